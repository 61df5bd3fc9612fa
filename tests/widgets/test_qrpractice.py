"""Does the QR practice show what a phone would, refuse real domains, and explain each decision?"""

from __future__ import annotations

import re

import pytest
import segno
import yaml
from conftest import ROOT

from hocvuso.errors import UserError
from hocvuso.widgets.qrpractice import (
    QRPractice,
    QRPracticeWidget,
    find_hosts,
    is_official_host,
    is_reserved_host,
    preview,
    qr_svg,
)

QR_FILES = sorted((ROOT / "curriculum" / "qr").glob("*.yml"))


@pytest.mark.parametrize("path", QR_FILES, ids=lambda p: p.stem)
def test_every_practice_code_points_only_at_reserved_domains(path):
    practice = QRPractice.from_yaml(path)
    for code in practice.codes:
        for host in find_hosts(code.payload):
            assert is_reserved_host(host), (code.id, host)


@pytest.mark.parametrize("path", QR_FILES, ids=lambda p: p.stem)
def test_each_file_mixes_official_looking_codes_with_others_and_has_a_code_to_refuse(path):
    practice = QRPractice.from_yaml(path)
    assert {c.looks_official for c in practice.codes} == {True, False}
    assert any(c.verdict == "khong-mo" for c in practice.codes)
    assert practice.source.startswith("Nguồn")


@pytest.mark.parametrize("path", QR_FILES, ids=lambda p: p.stem)
def test_practice_codes_are_small_enough_to_scan_from_a_printed_page(path):
    for code in QRPractice.from_yaml(path).codes:
        assert segno.make(code.payload, error="m").version <= 6, code.id


@pytest.mark.parametrize(
    "host, reserved",
    [
        ("dichvucong-gov-vn.example.com", True),
        ("vneid-capnhat.gov-vn.invalid", True),
        ("a.b.example.org", True),
        ("example.net", True),
        ("example.com.vn", False),         # looks reserved, is not
        ("myexample.com", False),
        ("dichvucong.gov.vn", False),
        ("dichvucong.gov.vn.example.com", True),
    ],
)
def test_reserved_domain_rule(host, reserved):
    assert is_reserved_host(host) is reserved


def test_only_the_official_domains_named_in_the_brief_count_as_official():
    assert is_official_host("dichvucong.gov.vn") and is_official_host("binhdanhocvuso.gov.vn")
    assert not is_official_host("dichvucong-gov-vn.example.com")
    assert not is_official_host("dichvucong.gov.vn.ho-tro.example.com")


def test_preview_of_a_link_puts_the_domain_first_like_a_phone():
    p = preview("https://dichvucong-gov-vn.example.com/dang-nhap")
    assert p.kind == "link"
    assert "dichvucong-gov-vn.example.com" in p.headline
    assert p.detail.endswith("/dang-nhap")


def test_preview_of_wifi_code_names_the_network_but_not_the_password():
    p = preview("WIFI:S:NhaVanHoa-KP5;T:WPA;P:hoc-vu-so-2025;;")
    assert p.kind == "wifi" and "NhaVanHoa-KP5" in p.headline
    assert "hoc-vu-so-2025" not in p.headline + p.detail


def test_qr_svg_is_inline_svg_and_differs_per_payload():
    a, b = qr_svg("https://a.example.com"), qr_svg("https://b.example.com")
    assert a.startswith("<svg") and b.startswith("<svg") and a != b


def test_answer_feedback_gives_red_flags_for_a_code_not_to_open():
    practice = QRPractice.load("04-quet-ma-qr")
    fb = practice.check("dich-vu-cong-na-na", "mo")
    assert not fb.correct and "Không mở" in fb.message
    assert any("dichvucong.gov.vn" in f for f in fb.red_flags)


def _write(tmp_path, mutate):
    data = yaml.safe_load((ROOT / "curriculum" / "qr" / "04-quet-ma-qr.yml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "qr-hong.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["codes"][0].update(payload="https://dichvucong.gov.vn"), r"code thuc-don-quan\.payload.*dichvucong\.gov\.vn.*example"),
        (lambda d: d["codes"][0].update(payload="https://vneid-gia.com/tai"), r"vneid-gia\.com"),
        (lambda d: d["codes"][1].update(payload="Xem them tai lua-dao.vn"), r"code wifi-nha-van-hoa\.payload.*lua-dao\.vn"),
        (lambda d: d["codes"][2].update(verdict="bo-qua"), r"code to-roi-cap-nhat-vneid\.verdict"),
        (lambda d: d["codes"][3].update(red_flags=[]), r"code dich-vu-cong-na-na\.red_flags"),
        (lambda d: d["codes"][4].update(looks_official="co"), r"looks_official"),
    ],
    ids=["official-domain", "real-looking-domain", "bare-domain-in-text", "bad-verdict", "no-flags", "bad-bool"],
)
def test_broken_or_unsafe_qr_file_names_file_code_field_and_fix(tmp_path, mutate, expected):
    path = _write(tmp_path, mutate)
    with pytest.raises(UserError) as info:
        QRPractice.from_yaml(path)
    message = info.value.one_line()
    assert str(path) in message and "fix" in message
    assert re.search(expected, message), message


def test_widget_reveals_preview_only_after_scanning_and_then_allows_an_answer():
    widget = QRPracticeWidget(QRPractice.load("04-quet-ma-qr"))
    assert widget.image.value.startswith("<svg")
    assert widget.preview.value == ""
    assert all(b.disabled for b in widget.buttons)
    p = widget.scan()
    assert p.headline in widget.preview.value.replace("&laquo;", "«")
    assert not any(b.disabled for b in widget.buttons)
    fb = widget.answer(widget.current.verdict)
    assert fb.correct and "✔" in widget.feedback.value
    widget.next()
    assert widget.index == 1 and widget.preview.value == "" and all(b.disabled for b in widget.buttons)
    assert "hv-qr" in widget.box._dom_classes
