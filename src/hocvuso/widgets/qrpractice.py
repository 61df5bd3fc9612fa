"""QR practice: scan a practice QR code, read the preview the phone shows, decide whether to open it.

The codes are generated with ``segno`` from the content file and point ONLY at reserved,
harmless domains (``*.invalid``, ``*.example``, ``*.test``, ``example.com/.net/.org``), so
nothing can be opened for real; the loader refuses any other domain. Some look official
(``dichvucong-gov-vn.example.com``), some do not; the lesson is to read the preview first.

Public API
----------

``QRPractice.load(name_or_path)`` / ``QRPractice.from_yaml(path)``
    Read and validate ``curriculum/qr/<name>.yml``; a broken file raises
    :class:`~hocvuso.errors.UserError` naming the file, the code id, the field and the fix.
``preview(payload) -> Preview``
    What a phone camera shows after scanning (kind, headline, detail), e.g. the domain of a link.
``practice.check(code_id, verdict) -> Feedback``
    ``verdict`` is one of :data:`VERDICTS` (``mo``, ``hoi-truoc``, ``khong-mo``).
``qr_svg(payload)``
    The QR code as inline SVG.
``is_reserved_host(host)`` / ``is_official_host(host)``
    The domain rules the practice and ``tests/test_safe_links.py`` share.
``QRPracticeWidget(practice)`` / ``show_qr_practice(name_or_path)``
    The ipywidgets view: the code and where it was found; "Quét mã" reveals the preview; then
    three answer buttons; then the explanation.

Content file (``curriculum/qr/<NN-slug>.yml``)::

    id: 04-quet-ma-qr
    title: "..."
    instructions: "..."
    source: "Nguồn: ..."
    codes:
      - id: thuc-don-quan            # ASCII slug, unique in the file
        where: "Mã in trên thực đơn của quán cà phê."   # where the learner saw it
        payload: "https://thucdon.example.com/hoa-sua"  # what the QR holds
        looks_official: false        # does it try to look like a state body?
        verdict: mo                  # mo | hoi-truoc | khong-mo
        red_flags: []                # at least one unless the verdict is mo
        explanation: "..."

CSS classes (for browser tests): ``hv-qr`` (the box), ``hv-qr-code``, ``hv-scan``,
``hv-qr-preview``, ``hv-choice``, ``hv-feedback``, ``hv-next``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UserError
from . import content_file, escape, nfc, read_content_yaml
from .verdicts import Feedback, flags_of, judge, read_items

__all__ = ["VERDICTS", "OFFICIAL_HOSTS", "RESERVED_SUFFIXES", "Preview", "QRCode", "Feedback", "QRPractice",
           "preview", "qr_svg", "is_reserved_host", "is_official_host", "find_hosts", "QRPracticeWidget",
           "show_qr_practice"]

VERDICTS: dict[str, str] = {
    "mo": "Mở được",
    "hoi-truoc": "Hỏi lại trước",
    "khong-mo": "Không mở",
}

#: Official domains named in the project's content brief (the only real ones lessons may show).
OFFICIAL_HOSTS = frozenset({"dichvucong.gov.vn", "binhdanhocvuso.gov.vn"})
#: Reserved for documentation and testing (RFC 2606 / RFC 6761): can never reach a real site.
RESERVED_SUFFIXES = (".invalid", ".example", ".test", ".localhost")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")

CODE_KEYS = {"id", "where", "payload", "looks_official", "verdict", "red_flags", "explanation"}
#: Something that looks like a domain name: labels joined by dots, ending in letters.
URL_PATTERN = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"'<>)\]]+", re.IGNORECASE)
HOST_PATTERN = re.compile(r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![\w-])", re.IGNORECASE)


def is_reserved_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return (host.endswith(RESERVED_SUFFIXES) or host in RESERVED_DOMAINS
            or any(host.endswith("." + d) for d in RESERVED_DOMAINS))


def is_official_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in OFFICIAL_HOSTS or any(host == "www." + h for h in OFFICIAL_HOSTS)


def find_hosts(text: str) -> list[str]:
    """Every host of a URL in ``text`` (``scheme://host``) and every bare domain-like token."""
    hosts = [urlsplit(m.group(0)).hostname or "" for m in URL_PATTERN.finditer(text)]
    rest = URL_PATTERN.sub(" ", text)  # a URL's path ("/tai-app.apk") is not a domain
    hosts += [m.group(0) for m in HOST_PATTERN.finditer(rest)]
    return [h.lower() for h in hosts if h]


@dataclass(frozen=True)
class Preview:
    """What the phone shows after scanning: ``kind`` is link / wifi / text."""

    kind: str
    headline: str
    detail: str


def preview(payload: str) -> Preview:
    """The preview a phone camera shows for a QR payload (domain first for links)."""
    if re.match(r"^https?://", payload, re.I):
        host = urlsplit(payload).hostname or ""
        return Preview("link", f"Mở trang web «{host}»", payload)
    if payload.upper().startswith("WIFI:"):
        fields = dict(part.split(":", 1) for part in payload[5:].split(";") if ":" in part)
        return Preview("wifi", f"Kết nối Wi-Fi «{fields.get('S', '')}»", "Mạng Wi-Fi, có mật khẩu" if fields.get("P") else "Mạng Wi-Fi")
    return Preview("text", "Văn bản", payload)


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code of ``payload`` as an inline SVG element (error correction M)."""
    import segno

    return segno.make(payload, error="m").svg_inline(scale=scale, border=4, dark="#000", light="#fff")


@dataclass(frozen=True)
class QRCode:
    id: str
    where: str
    payload: str
    looks_official: bool
    verdict: str
    red_flags: tuple[str, ...]
    explanation: str

    @property
    def preview(self) -> Preview:
        return preview(self.payload)


@dataclass(frozen=True)
class QRPractice:
    id: str
    title: str
    instructions: str
    codes: tuple[QRCode, ...]
    source: str = ""
    path: Path | None = None

    @classmethod
    def load(cls, name_or_path: str | Path) -> QRPractice:
        return cls.from_yaml(content_file("qr", name_or_path))

    @classmethod
    def from_yaml(cls, path: str | Path) -> QRPractice:
        path = Path(path)
        if not path.exists():
            raise UserError("không tìm thấy bài luyện mã QR / QR practice not found", where=str(path),
                            fix="kiểm tra tên tệp trong curriculum/qr/")
        return cls.from_dict(read_content_yaml(path), path=path)

    @classmethod
    def from_dict(cls, data: Mapping, *, path: Path | None = None) -> QRPractice:
        where = str(path) if path else "<qr>"

        def err(item: str, message: str, fix: str) -> UserError:
            return UserError(message, where=f"{where} [{item}]", fix=fix)

        for key in ("title", "instructions", "source"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise err(key, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"' (tiếng Việt)")
        codes: list[QRCode] = []
        for cid, item, entry in read_items(
            data.get("codes"), err=err, list_key="codes", noun="mã", keys=CODE_KEYS,
            texts=("where", "payload", "explanation"), verdicts=VERDICTS, safe_verdict="mo",
            example='- {id: ma-1, where: "...", payload: "https://a.example.com", verdict: mo, ...}',
            id_example="thuc-don-quan", flag_example="Tên miền na ná trang thật",
            flags_needed="mã không nên mở ngay phải có ít nhất một dấu hiệu / a code not to open needs at least "
                         "one red flag",
        ):
            payload = str(entry["payload"]).strip()
            for host in find_hosts(payload):
                if not is_reserved_host(host):
                    raise err(f"{item}.payload", f"tên miền '{host}' có thể là trang thật / '{host}' may be a real site",
                              "mã luyện tập chỉ được trỏ tới tên miền dành riêng: *.invalid, *.example, *.test, "
                              "example.com/.net/.org (ví dụ 'dichvucong-gov-vn.example.com')")
            looks = entry.get("looks_official", False)
            if not isinstance(looks, bool):
                raise err(f"{item}.looks_official", f"'looks_official' phải là true/false, không phải {looks!r}",
                          "viết 'looks_official: true' hoặc 'false'")
            codes.append(QRCode(cid, nfc(entry["where"]), payload, looks, entry["verdict"], flags_of(entry),
                                nfc(entry["explanation"])))
        return cls(id=str(data.get("id") or (path.stem if path else "qr")), title=nfc(data["title"]),
                   instructions=nfc(data["instructions"]), codes=tuple(codes), source=nfc(data["source"]),
                   path=path)

    def code(self, code_id: str) -> QRCode:
        for c in self.codes:
            if c.id == code_id:
                return c
        raise UserError(f"không có mã '{code_id}' / no such code", where=str(self.path or self.id),
                        fix="các mã: " + ", ".join(c.id for c in self.codes))

    def check(self, code_id: str, verdict: str) -> Feedback:
        c = self.code(code_id) if verdict in VERDICTS else None
        return judge(VERDICTS, verdict, c.verdict if c else "", c.red_flags if c else (), c.explanation if c else "",
                     where=str(self.path or self.id), right="Đúng: «{expected}».",
                     wrong="Chưa đúng: bạn chọn «{chosen}», nên chọn «{expected}».")


# ---------------------------------------------------------------------- view
def render_preview(p: Preview) -> str:
    """The preview as a phone-like banner: the headline (domain) large, the full text below."""
    return ("<div class='hv-qr-preview-body' style='background:#263238;color:#fff;border-radius:12px;"
            "padding:10px 14px;max-width:30em'>"
            "<div style='font-size:85%;opacity:.8'>📷 Camera đọc được:</div>"
            f"<div style='font-size:120%;font-weight:bold'>{escape(p.headline)}</div>"
            f"<div style='font-family:monospace;word-break:break-all'>{escape(p.detail)}</div></div>")


class QRPracticeWidget:
    """ipywidgets view: code + where it was found → "Quét mã" → preview → answer → explanation."""

    def __init__(self, practice: QRPractice):
        import ipywidgets as w

        self.practice = practice
        self.index = 0
        self.scanned = False
        self.answers: dict[str, str] = {}
        self.situation = w.HTML()
        self.image = w.HTML()
        self.image.add_class("hv-qr-code")
        self.scan_button = w.Button(description="Quét mã", icon="camera", button_style="info")
        self.scan_button.add_class("hv-scan")
        self.scan_button.on_click(lambda _b: self.scan())
        self.preview = w.HTML()
        self.preview.add_class("hv-qr-preview")
        styles = {"mo": "success", "hoi-truoc": "warning", "khong-mo": "danger"}
        self.buttons = []
        for verdict, label in VERDICTS.items():
            b = w.Button(description=label, button_style=styles[verdict], disabled=True)
            b.add_class("hv-choice")
            b.on_click(lambda _b, v=verdict: self.answer(v))
            self.buttons.append(b)
        self.feedback = w.HTML()
        self.feedback.add_class("hv-feedback")
        self.next_button = w.Button(description="Mã tiếp theo ▶", disabled=True)
        self.next_button.add_class("hv-next")
        self.next_button.on_click(lambda _b: self.next())
        header = w.HTML(f"<h4>{escape(practice.title)}</h4><p>{escape(practice.instructions)}</p>")
        parts = [header, self.situation, self.image, self.scan_button, self.preview, w.HBox(self.buttons),
                 self.feedback, self.next_button]
        if practice.source:
            parts.append(w.HTML(f"<p style='font-size:90%;color:#555'>{escape(practice.source)}</p>"))
        self.box = w.VBox(parts)
        self.box.add_class("hv-qr")
        self._render()

    @property
    def current(self) -> QRCode:
        return self.practice.codes[self.index]

    def _render(self) -> None:
        c = self.current
        right = sum(self.practice.check(cid, v).correct for cid, v in self.answers.items())
        total = len(self.practice.codes)
        done = f" · <b>Đã làm hết {total} mã: đúng {right}/{total}.</b>" if len(self.answers) == total else ""
        self.situation.value = (f"<p>Mã {self.index + 1}/{total} · đã đúng {right}/{len(self.answers)}{done}</p>"
                                f"<p><b>Tình huống:</b> {escape(c.where)}</p>")
        self.image.value = qr_svg(c.payload)
        self.preview.value = render_preview(c.preview) if self.scanned else ""
        for b in self.buttons:
            b.disabled = not self.scanned

    def scan(self) -> Preview:
        self.scanned = True
        self._render()
        return self.current.preview

    def answer(self, verdict: str) -> Feedback:
        fb = self.practice.check(self.current.id, verdict)
        self.answers.setdefault(self.current.id, verdict)
        colour = "#1b5e20" if fb.correct else "#b71c1c"
        flags = "".join(f"<li>{escape(f)}</li>" for f in fb.red_flags)
        self.feedback.value = (f"<p style='color:{colour};font-size:110%'>{'✔' if fb.correct else '✘'} "
                               f"{escape(fb.message)}</p>"
                               + (f"<p><b>Dấu hiệu cần chú ý:</b></p><ul>{flags}</ul>" if flags else "")
                               + f"<p>{escape(fb.explanation)}</p>")
        self.next_button.disabled = False
        self._render()
        return fb

    def next(self) -> None:
        self.index = (self.index + 1) % len(self.practice.codes)
        self.scanned = False
        self.feedback.value = ""
        self.next_button.disabled = True
        self._render()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_qr_practice(name_or_path: str | Path) -> None:
    """Display the QR practice for ``curriculum/qr/<name>.yml`` (or a path) in the notebook."""
    from IPython.display import display

    display(QRPracticeWidget(QRPractice.load(name_or_path)).box)
