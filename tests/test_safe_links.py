"""Is every link, domain, phone number and QR payload in the lessons either official or harmless?

Lessons and exercises show volunteers what scams look like, so they are full of links and numbers.
A real-looking one could send a volunteer (or a learner they show it to) to a real site or a real
person. The only ones allowed are those the content brief names (dichvucong.gov.vn,
binhdanhocvuso.gov.vn, the VNCERT/CC hotlines 156 / 5656) and domains reserved for examples
(RFC 2606 / 6761: ``*.invalid``, ``*.example``, ``*.test``, ``example.com/.net/.org``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

from hocvuso.widgets.qrpractice import QRPractice, find_hosts, is_official_host, is_reserved_host

#: Widget and handout modules whose strings are shown to volunteers.
CODE_FILES = [
    ROOT / "src" / "hocvuso" / "widgets" / "scam.py",
    ROOT / "src" / "hocvuso" / "widgets" / "qrpractice.py",
    ROOT / "src" / "hocvuso" / "widgets" / "password.py",
    ROOT / "src" / "hocvuso" / "handouts.py",
    *sorted((ROOT / "src" / "hocvuso" / "templates").glob("handout*")),
]
ALLOWED_HOTLINES = {"156", "5656"}
#: Exception (not in the brief, reported to the lead): the national emergency numbers police 113,
#: fire 114, ambulance 115 are public services that can never lead to a scammer or a private person;
#: the quiz bank uses them as wrong answers next to the 156/5656 hotline. Nothing else is allowed.
NATIONAL_EMERGENCY = {"113", "114", "115"}

#: Top-level domains a bare "name.tld" in text must end with to count as a domain (so that
#: file names such as syllabus.yml or ordering.py are not taken for web sites).
TLDS = {
    "vn", "com", "net", "org", "gov", "edu", "info", "biz", "asia", "io", "app", "xyz", "top", "site",
    "online", "shop", "club", "vip", "cc", "me", "link", "click", "live", "store", "tk", "ml", "ga",
    "invalid", "example", "test", "localhost",
}
LONG_PHONE = re.compile(r"(?<![\d/])(?:\+84|0)(?:[\s.-]?\d){8,10}(?![\d/])")
SERVICE_NUMBER = re.compile(r"(?<!\d)(?:1800|1900)[\s.]?\d{2,4}(?:[\s.]?\d{2,4})?(?!\d)")
HOTLINE_CONTEXT = re.compile(r"(?:gọi|đường dây nóng|hotline|tổng đài|bấm số|call|dial)\D{0,30}?(?<![\d/.,])(\d{3,5})(?![\d/.,%])",
                             re.IGNORECASE)
EMERGENCY = re.compile(r"(?<![\d/.,])11[1-5](?![\d/.,])")


def scanned_files() -> list[Path]:
    files = [p for p in (ROOT / "curriculum").rglob("*") if p.is_file() and p.suffix in {".yml", ".yaml", ".md", ".txt", ".csv", ".html"}]
    files += sorted((ROOT / "notebooks").glob("*.ipynb"))
    files += [p for p in CODE_FILES if p.exists()]
    return sorted(files)


def text_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n".join("".join(c.get("source", "")) for c in nb.get("cells", []))
    return path.read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    """Every domain, phone number or hotline in ``text`` that is neither official nor reserved."""
    found = []
    for host in find_hosts(text):
        tld = host.rsplit(".", 1)[-1]
        if tld not in TLDS:
            continue
        if not (is_official_host(host) or is_reserved_host(host)):
            found.append(f"domain {host}")
    found += [f"phone {m.group(0).strip()}" for m in LONG_PHONE.finditer(text)]
    found += [f"service number {m.group(0).strip()}" for m in SERVICE_NUMBER.finditer(text)]
    found += [f"hotline {m.group(1)}" for m in HOTLINE_CONTEXT.finditer(text) if m.group(1) not in ALLOWED_HOTLINES | NATIONAL_EMERGENCY]
    found += [f"short number {m.group(0)}" for m in EMERGENCY.finditer(text) if m.group(0) not in NATIONAL_EMERGENCY]
    return found


@pytest.mark.parametrize("path", scanned_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_file_has_only_official_or_reserved_links_and_numbers(path):
    bad = problems(text_of(path))
    assert not bad, (f"{path.relative_to(ROOT)}: {bad} — dùng tên miền dành riêng (*.invalid, example.com/.net/.org) "
                     "hoặc địa chỉ chính thức trong CONTENT-BRIEF; không ghi số điện thoại thật")


@pytest.mark.parametrize("path", sorted((ROOT / "curriculum" / "qr").glob("*.yml")), ids=lambda p: p.stem)
def test_qr_payloads_point_only_at_reserved_domains_not_even_official_ones(path):
    for code in QRPractice.from_yaml(path).codes:
        hosts = find_hosts(code.payload)
        assert all(is_reserved_host(h) for h in hosts), (code.id, hosts)


def test_the_scan_covers_the_lessons_and_exercises_of_part_2():
    names = {p.name for p in scanned_files()}
    assert {"04-ma-qr.ipynb", "07-lua-dao-du-lieu-ca-nhan.ipynb", "04-quet-ma-qr.yml",
            "07-lua-dao-nguoi-cao-tuoi.yml", "quet-ma-qr-an-toan.yml"} <= names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tải tại https://vneid-capnhat.com/app", "domain vneid-capnhat.com"),
        ("vào dichvucong-gov.vn để khai", "domain dichvucong-gov.vn"),
        ("link: http://example.com.vn/x", "domain example.com.vn"),
        ("Số của cán bộ: 0912 345 678", "phone 0912 345 678"),
        ("gọi +84 28 3812 3456 ngay", "phone"),
        ("gọi tổng đài 1900 1234", "service number"),
        ("gọi ngay đường dây nóng 1088", "hotline 1088"),
        ("gọi 18001234 miễn phí", "service number"),
        ("báo 111 nếu cần", "short number 111"),
    ],
)
def test_scanner_catches_real_looking_links_and_numbers(text, expected):
    assert any(p.startswith(expected) for p in problems(text)), problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "Trang thật là dichvucong.gov.vn và https://binhdanhocvuso.gov.vn",
        "Mã trỏ tới https://dichvucong-gov-vn.example.com/dang-nhap hoặc vneid.invalid",
        "Đường dây nóng 156 hoặc 5656 (kiểm tra lại số)",
        "Nghị định 13/2023/NĐ-CP, Luật 91/2025/QH15, 129 triệu đồng, phí 22.000 đồng, 1/7/2025",
        "tệp curriculum/syllabus.yml và hocvuso.widgets.scam",
        "mật khẩu 8–20 ký tự, passcode 6 số, 21.800 phản ánh",
    ],
)
def test_scanner_accepts_official_reserved_and_ordinary_numbers(text):
    assert problems(text) == []
