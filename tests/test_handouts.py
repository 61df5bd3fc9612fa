"""Do the handouts print large, high-contrast step cards with every step of their source file?"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

from hocvuso.errors import UserError
from hocvuso.handouts import build_handouts, demo_step, load_handout, load_handouts

SOURCES = sorted((ROOT / "curriculum" / "handouts").glob("*.yml"))
REQUIRED = {
    "dang-nhap-vneid": "Đăng nhập VNeID",
    "lay-lai-mat-khau-vneid": "Lấy lại mật khẩu VNeID",
    "quet-ma-qr-an-toan": "Quét mã QR an toàn",
    "nam-dau-hieu-cuoc-goi-lua-dao": "5 dấu hiệu cuộc gọi lừa đảo",
    "cai-van-tay-an-toan": "Cài đăng nhập vân tay an toàn",
}


class _Card(HTMLParser):
    """Collects the text of every element with a given class, the <html lang> and the <style> text."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.css = ""
        self.texts: dict[str, list[str]] = {}
        self._stack: list[tuple[str, set[str]]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        self._in_style = tag == "style"
        classes = set((attrs.get("class") or "").split())
        self._stack.append((tag, classes))
        for c in classes:
            self.texts.setdefault(c, []).append("")

    def handle_endtag(self, tag):
        self._in_style = False
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._in_style:
            self.css += data
        for _tag, classes in self._stack:
            for c in classes:
                self.texts[c][-1] += data


def parse(path: Path) -> _Card:
    card = _Card()
    card.feed(path.read_text(encoding="utf-8"))
    return card


def css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of every innermost CSS block, @media contents included."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = dict((k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";")) if v.strip())
        rules.append((selector.strip(), decls))
    return rules


def to_pt(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(pt|px)", value.strip()).groups()
    return float(number) * (0.75 if unit == "px" else 1.0)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    build_handouts(out)
    return out


def test_cli_writes_the_five_required_cards_and_an_index(build_dir):
    result = run_cli("handouts", env={"HOCVUSO_BUILD": str(build_dir)})
    assert result.returncode == 0, result.stderr
    out = build_dir / "handouts"
    for hid, title in REQUIRED.items():
        card = parse(out / f"{hid}.html")
        assert card.texts["hv-handout-title"][0].strip() == title
    index = (out / "index.html").read_text(encoding="utf-8")
    for hid in REQUIRED:
        assert f'href="{hid}.html"' in index


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_card_has_every_step_of_its_source_file_in_order(built, source):
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    card = parse(built / f"{source.stem}.html")
    shown = [t.strip() for t in card.texts["hv-step-text"]]
    assert shown == [s["text"].strip() for s in data["steps"]]
    assert len(card.texts["hv-step"]) == len(data["steps"])
    assert len(card.texts["hv-step-icon"]) == len(data["steps"])  # one icon per step
    assert card.texts["hv-source"][0].strip().startswith("Nguồn")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_body_text_is_at_least_16pt_and_no_font_is_smaller(built, source):
    card = parse(built / f"{source.stem}.html")
    rules = css_rules(card.css)
    body = [d for sel, d in rules if sel == "body" and "font-size" in d]
    assert body and to_pt(body[0]["font-size"]) >= 16
    sizes = {sel: to_pt(d["font-size"]) for sel, d in rules if "font-size" in d}
    assert min(sizes.values()) >= 16, sizes


def test_text_is_black_on_white_for_high_contrast(built):
    rules = css_rules(parse(built / "dang-nhap-vneid.html").css)
    body = next(d for sel, d in rules if sel == "body" and "color" in d)
    assert body["color"] == "#000" and body["background"] == "#fff"


@pytest.mark.parametrize("name", [*REQUIRED, "index"])
def test_page_is_self_contained_vietnamese_html(built, name):
    html = (built / f"{name}.html").read_text(encoding="utf-8")
    card = parse(built / f"{name}.html")
    assert card.lang == "vi"
    assert "@page" in card.css and "A4" in card.css
    for forbidden in ("http:", "https:", "//", "@import", "url(", "<link", "<script", "<img"):
        assert forbidden not in html.replace("<!DOCTYPE html>", ""), (name, forbidden)


def _broken(tmp_path, mutate, name="dang-nhap-vneid.yml"):
    data = yaml.safe_load((ROOT / "curriculum" / "handouts" / name).read_text(encoding="utf-8"))
    mutate(data)
    folder = tmp_path / "handouts"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["steps"][2].update(icon="dien-thoai"), r"step 3\.icon.*phone"),
        (lambda d: d["steps"][1].pop("text"), r"step 2.*text"),
        (lambda d: d["steps"].__setitem__(0, "Mở ứng dụng"), r"step 1.*text.*icon"),
        (lambda d: d.update(steps=d["steps"][:1]), r"\[steps\].*2[–-]8"),
        (lambda d: d.update(source="VNeID handbook"), r"\[source\].*Nguồn"),
        (lambda d: d["steps"][0].update(colour="red"), r"step 1.*colour"),
    ],
    ids=["unknown-icon", "step-without-text", "step-as-plain-string", "too-few-steps", "source-not-nguon", "unknown-key"],
)
def test_broken_handout_names_file_step_and_fix(tmp_path, mutate, expected):
    path = _broken(tmp_path, mutate)
    with pytest.raises(UserError) as info:
        load_handout(path)
    message = info.value.one_line()
    assert str(path) in message and "fix" in message
    assert re.search(expected, message), message


def test_broken_yaml_syntax_names_the_line(tmp_path):
    path = tmp_path / "hong.yml"
    path.write_text('title: "Đăng nhập\nsteps:\n  - text: [\n', encoding="utf-8")
    with pytest.raises(UserError, match=r"hong\.yml \[line \d+\]"):
        load_handout(path)


def test_cli_reports_a_broken_handout_on_one_line_exit_2(tmp_path):
    path = _broken(tmp_path, lambda d: d["steps"][0].update(icon="?"))
    result = run_cli("handouts", "--source", str(path.parent), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "step 1.icon" in result.stderr and "dang-nhap-vneid.yml" in result.stderr


def test_all_handout_files_load_and_are_nfc():
    import unicodedata

    handouts = load_handouts()
    assert {h.id for h in handouts} >= set(REQUIRED)
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, source.name


def test_demo_step_builds_the_handouts_and_is_idempotent(tmp_path):
    first = demo_step(tmp_path)
    second = demo_step(tmp_path)
    assert first == second
    index = next(iter(first.values()))
    assert index.name == "index.html" and index.parent == tmp_path / "handouts"
    assert len(list(index.parent.glob("*.html"))) == len(SOURCES) + 1
