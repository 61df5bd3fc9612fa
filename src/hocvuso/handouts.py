"""``hocvuso handouts``: large-print step cards that older learners take home.

Each ``curriculum/handouts/<id>.yml`` becomes ``build/handouts/<id>.html``: a self-contained,
high-contrast page (inline CSS, no external fonts, images or links; ``lang="vi"``) meant to be
printed on A4, body text 18 pt, one numbered step per line with an icon and, where the file asks
for it, an empty frame where the volunteer can stick a screenshot. ``index.html`` lists them.

Content file (``curriculum/handouts/<id>.yml``; see :data:`FIELDS`)::

    title: "Đăng nhập VNeID"
    subtitle: "Dành cho bác đã có tài khoản VNeID"
    steps:                       # in order, 2-8 steps, one short sentence each
      - text: "Mở ứng dụng VNeID."
        icon: phone              # one of ICONS
        picture: "Biểu tượng VNeID trên màn hình"   # optional: caption of a picture frame
    remember:                    # optional: the "Nhớ kỹ" box
      - "Không đọc mật khẩu, mã OTP cho ai."
    source: "Nguồn: ..."         # printed small at the bottom

A broken file raises :class:`~hocvuso.errors.UserError` naming the file, the step and the fix.
"""

from __future__ import annotations

import argparse
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import ASCII_SLUG, UserError, read_yaml_mapping
from .paths import build_dir, curriculum_dir

__all__ = ["FIELDS", "ICONS", "Step", "Handout", "load_handout", "load_handouts", "render_handout",
           "render_index", "build_handouts", "register", "demo_step"]

#: What every key of a handout file means.
FIELDS: dict[str, str] = {
    "title": "the card title in Vietnamese, short (e.g. 'Đăng nhập VNeID')",
    "subtitle": "optional: who or when the card is for",
    "steps": "list of 2-8 steps in order; each has 'text' and 'icon', optionally 'picture'",
    "remember": "optional list of sentences for the 'Nhớ kỹ' (remember) box",
    "source": "the source note 'Nguồn: ...' printed at the bottom",
}
STEP_KEYS = {"text", "icon", "picture"}
MAX_STEPS = 8
ID_PATTERN = ASCII_SLUG

# Simple line icons drawn inline (48x48, stroke = currentColor) so a printed card needs no font
# or file: every name here can be used as a step's 'icon'.
_S = 'fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"'
ICONS: dict[str, str] = {
    "phone": f'<rect x="13" y="4" width="22" height="40" rx="4" {_S}/><line x1="21" y1="38" x2="27" y2="38" {_S}/>',
    "id-card": f'<rect x="4" y="10" width="40" height="28" rx="3" {_S}/><circle cx="16" cy="22" r="5" {_S}/>'
               f'<path d="M9 33c2-4 12-4 14 0" {_S}/><line x1="28" y1="20" x2="39" y2="20" {_S}/>'
               f'<line x1="28" y1="27" x2="39" y2="27" {_S}/>',
    "lock": f'<rect x="9" y="21" width="30" height="22" rx="3" {_S}/><path d="M15 21v-6a9 9 0 0 1 18 0v6" {_S}/>'
            f'<line x1="24" y1="29" x2="24" y2="35" {_S}/>',
    "key": f'<circle cx="15" cy="24" r="8" {_S}/><path d="M23 24h20M36 24v7M42 24v5" {_S}/>',
    "check": f'<circle cx="24" cy="24" r="19" {_S}/><path d="M15 25l6 6 12-13" {_S}/>',
    "sms": f'<path d="M6 9h36v24H20l-9 8v-8H6z" {_S}/><line x1="13" y1="18" x2="35" y2="18" {_S}/>'
           f'<line x1="13" y1="25" x2="29" y2="25" {_S}/>',
    "qr": f'<rect x="5" y="5" width="14" height="14" {_S}/><rect x="29" y="5" width="14" height="14" {_S}/>'
          f'<rect x="5" y="29" width="14" height="14" {_S}/><path d="M29 29h5v5h-5zM38 38h5v5h-5zM38 29h5M29 43h4" {_S}/>',
    "camera": f'<path d="M5 15h9l4-6h12l4 6h9v25H5z" {_S}/><circle cx="24" cy="27" r="8" {_S}/>',
    "eye": f'<path d="M3 24c6-10 14-14 21-14s15 4 21 14c-6 10-14 14-21 14S9 34 3 24z" {_S}/><circle cx="24" cy="24" r="6" {_S}/>',
    "warning": f'<path d="M24 5l20 36H4z" {_S}/><line x1="24" y1="18" x2="24" y2="29" {_S}/><circle cx="24" cy="35" r="1.5" fill="currentColor"/>',
    "stop": f'<path d="M16 4h16l12 12v16L32 44H16L4 32V16z" {_S}/><path d="M16 16l16 16M32 16L16 32" {_S}/>',
    "money": f'<rect x="4" y="12" width="40" height="24" rx="3" {_S}/><circle cx="24" cy="24" r="6" {_S}/>',
    "fingerprint": f'<path d="M12 34c-2-4-3-8-2-13a14 14 0 0 1 28 0c0 4 0 8-1 12" {_S}/>'
                   f'<path d="M18 38c-2-4-3-9-2-14a8 8 0 0 1 16 0c0 5 0 9-2 14" {_S}/><path d="M24 24c0 7-1 13-3 18" {_S}/>',
    "book": f'<path d="M6 8h15a3 3 0 0 1 3 3v31a3 3 0 0 0-3-3H6zM42 8H27a3 3 0 0 0-3 3v31a3 3 0 0 1 3-3h15z" {_S}/>',
    "person": f'<circle cx="24" cy="14" r="8" {_S}/><path d="M8 44c1-10 8-15 16-15s15 5 16 15" {_S}/>',
    "link": f'<path d="M20 28l8-8M17 23l-5 5a7 7 0 0 0 10 10l5-5M31 25l5-5a7 7 0 0 0-10-10l-5 5" {_S}/>',
}


@dataclass(frozen=True)
class Step:
    number: int
    text: str
    icon: str
    picture: str = ""

    @property
    def icon_svg(self) -> str:
        return ICONS[self.icon]


@dataclass(frozen=True)
class Handout:
    id: str
    title: str
    subtitle: str
    steps: tuple[Step, ...]
    remember: tuple[str, ...]
    source: str
    path: Path | None = None


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def load_handout(path: str | Path) -> Handout:
    """Read and validate one handout file; every mistake names the file, the step and the fix."""
    path = Path(path)

    def err(item: str, message: str, fix: str) -> UserError:
        return UserError(message, where=f"{path} [{item}]", fix=fix)

    data = read_yaml_mapping(path, what="phiếu hướng dẫn / handout",
                             fix="kiểm tra tên tệp trong curriculum/handouts/; xem ví dụ trong hocvuso.handouts")
    hid = path.stem
    if not ID_PATTERN.match(hid):
        raise err("file name", f"tên tệp '{hid}' phải là chữ ASCII không dấu / file name must be an ASCII slug",
                  "đổi tên tệp, ví dụ 'dang-nhap-vneid.yml'")
    unknown = set(data) - set(FIELDS) - {"id"}
    if unknown:
        raise err("file", f"khóa lạ {sorted(unknown)} / unknown keys", "các khóa hợp lệ: " + ", ".join(FIELDS))
    for key in ("title", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise err(key, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}:' — {FIELDS[key]}")
    if not _nfc(data["source"]).startswith("Nguồn"):
        raise err("source", "ghi chú nguồn phải bắt đầu bằng «Nguồn:» / source must start with 'Nguồn:'",
                  "viết 'source: \"Nguồn: ...\"'")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not 2 <= len(raw_steps) <= MAX_STEPS:
        count = len(raw_steps) if isinstance(raw_steps, list) else 0
        raise err("steps", f"cần 2–{MAX_STEPS} bước, đang có {count} / needs 2-{MAX_STEPS} steps, has {count}",
                  f"viết 'steps:' — {FIELDS['steps']}; phiếu dài quá thì tách làm hai")
    steps: list[Step] = []
    for number, raw in enumerate(raw_steps, start=1):
        item = f"step {number}"
        if isinstance(raw, str):
            raise err(item, "bước phải có 'text' và 'icon' / a step needs 'text' and 'icon'",
                      f"viết '- {{text: \"{raw[:30]}\", icon: check}}'")
        if not isinstance(raw, dict):
            raise err(item, "bước phải là một bảng khóa: giá trị / a step must be a mapping",
                      "ví dụ '- {text: \"Mở ứng dụng VNeID.\", icon: phone}'")
        bad = set(raw) - STEP_KEYS
        if bad:
            raise err(item, f"khóa lạ {sorted(bad)} / unknown keys", "các khóa hợp lệ: text, icon, picture")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise err(item, "bước thiếu 'text' / step has no 'text'", "thêm 'text: \"...\"' (một câu ngắn)")
        icon = raw.get("icon")
        if icon not in ICONS:
            raise err(f"{item}.icon", f"biểu tượng {icon!r} không có / unknown icon",
                      "dùng một trong: " + ", ".join(ICONS))
        picture = raw.get("picture") or ""
        if not isinstance(picture, str):
            raise err(f"{item}.picture", "'picture' phải là một câu mô tả ảnh / must be a caption",
                      "ví dụ 'picture: \"Màn hình đăng nhập\"'")
        steps.append(Step(number, _nfc(text), icon, _nfc(picture)))
    remember = data.get("remember") or []
    if not isinstance(remember, list) or not all(isinstance(r, str) and r.strip() for r in remember):
        raise err("remember", "'remember' phải là danh sách câu / must be a list of sentences",
                  "ví dụ 'remember: [\"Không đọc mã OTP cho ai.\"]'")
    return Handout(hid, _nfc(data["title"]), _nfc(data.get("subtitle") or ""), tuple(steps),
                   tuple(_nfc(r) for r in remember), _nfc(data["source"]), path)


def load_handouts(folder: str | Path | None = None) -> list[Handout]:
    folder = Path(folder) if folder else curriculum_dir() / "handouts"
    files = sorted(folder.glob("*.yml"))
    if not files:
        raise UserError("không có phiếu hướng dẫn nào / no handout files", where=str(folder),
                        fix="thêm tệp <ten-phieu>.yml vào curriculum/handouts/")
    return [load_handout(p) for p in files]


def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("hocvuso", "templates"), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_handout(handout: Handout) -> str:
    return _env().get_template("handout.html").render(h=handout)


def render_index(handouts: list[Handout]) -> str:
    return _env().get_template("handout-index.html").render(handouts=handouts)


def build_handouts(out: str | Path | None = None, source: str | Path | None = None) -> list[Path]:
    """Write every handout and ``index.html`` to ``out`` (default build/handouts/); return the paths."""
    handouts = load_handouts(source)
    out = Path(out) if out else build_dir() / "handouts"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for h in handouts:
        target = out / f"{h.id}.html"
        target.write_text(render_handout(h), encoding="utf-8")
        written.append(target)
    index = out / "index.html"
    index.write_text(render_index(handouts), encoding="utf-8")
    written.append(index)
    return written


# ---------------------------------------------------------------- command line
def register(sub) -> None:
    p = sub.add_parser(
        "handouts",
        help="in phiếu hướng dẫn chữ to cho người học / build large-print handouts",
        description="Tạo phiếu hướng dẫn từng bước, chữ to, tương phản cao (HTML, in khổ A4) từ "
        "curriculum/handouts/*.yml vào build/handouts/.\nBuild large-print, high-contrast step cards "
        "(HTML, print on A4) from curriculum/handouts/*.yml into build/handouts/.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--source", type=Path, default=None, help="thư mục phiếu / handout folder (curriculum/handouts)")
    p.add_argument("--out", type=Path, default=None, help="thư mục kết quả / output folder (build/handouts)")
    p.set_defaults(func=_cmd_handouts)


def _cmd_handouts(args) -> int:
    written = build_handouts(args.out, args.source)
    for path in written:
        print(f"  {path}")
    print(f"Đã tạo {len(written) - 1} phiếu và trang mục lục / wrote {len(written) - 1} handouts and an index: "
          f"{written[-1]}")
    return 0


def demo_step(build: Path) -> dict[str, Path]:
    """Demo: build every handout into build/handouts/."""
    written = build_handouts(build / "handouts")
    return {"phiếu hướng dẫn chữ to / large-print handouts": written[-1]}
