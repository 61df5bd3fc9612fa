"""Load and check a survey instrument (``surveys/instruments/*.yml``).

The instrument is the one source of truth for the XLSForm, the paper form, the codebook, the
ingest and the scoring. :func:`load_instrument` returns an :class:`Instrument` or raises
:class:`~hocvuso.errors.UserError` naming the file, the item, the field and the fix.

How an item is stored in the clean data (``docs/DATA.md``) follows from its ``type``:

* rating scales (``ease5``, ``retro5``, ``confidence5``, ``anxiety5``, ``satisfaction5``,
  ``intention5``, ``observed3``) and ``consent``: the numeric code as answered (reverse-keyed
  items are NOT reversed in the data; :mod:`hocvuso.surveys.scoring` reverses them);
* ``knowledge``: 1 when the answer is the item's ``correct`` choice, 0 otherwise;
* ``demographic``: the ASCII choice code (numeric when every code is a number, e.g. 0/1);
* ``multi``: one 0/1 column per choice, named ``<item>__<choice>``;
* ``admin``: the code as text (upper case); ``code``: replaced by the keyed-hash ``pid``;
* ``text``: free text with identifiers masked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError, read_yaml_mapping
from ..paths import surveys_dir

#: What every key of an item means (shown in error messages and in the codebook).
ITEM_FIELDS: dict[str, str] = {
    "id": "ASCII snake_case, stable across waves (e.g. ease_qr_scan)",
    "section": "one of the ids under 'sections:'",
    "type": "one of the ids under 'scales:' (ease5, observed3, knowledge, ...)",
    "waves": "list of waves the item is asked in: [pre], [post] or [pre, post]",
    "subscale": "name of the score the item adds to (optional)",
    "reverse": "true when a higher answer means less of the subscale",
    "text": "mapping with 'vi' and 'en' wording, short and large-print friendly",
    "choices": "list of {code, vi, en} for demographic, knowledge and multi items",
    "correct": "knowledge items: the code of the right choice",
    "required": "true when the answer must be given (admin, consent and code items)",
    "pattern": "regular expression an admin or code answer must match",
}

#: Rating scales stored as their numeric code.
RATING_TYPES = {"ease5", "retro5", "observed3", "confidence5", "anxiety5", "satisfaction5", "intention5"}
#: Types whose answers are free strings (no choice list).
STRING_TYPES = {"admin", "code", "text"}
#: Types that need a per-item choice list.
CHOICE_TYPES = {"demographic", "knowledge", "multi"}
KNOWN_TYPES = RATING_TYPES | STRING_TYPES | CHOICE_TYPES | {"consent"}

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CHOICE_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_+\-]+$")
DEFAULT_INSTRUMENT = "hocvuso-pre-post.yml"


@dataclass(frozen=True)
class Choice:
    code: str | int
    vi: str
    en: str

    @property
    def name(self) -> str:
        """The XLSForm choice name (ASCII, no spaces)."""
        return str(self.code)


@dataclass(frozen=True)
class Scale:
    id: str
    vi: str
    en: str
    choices: tuple[Choice, ...] = ()
    reverse: bool = False

    @property
    def min(self) -> int | None:
        codes = [c.code for c in self.choices if isinstance(c.code, int)]
        return min(codes) if codes else None

    @property
    def max(self) -> int | None:
        codes = [c.code for c in self.choices if isinstance(c.code, int)]
        return max(codes) if codes else None


@dataclass(frozen=True)
class Item:
    id: str
    section: str
    type: str
    scale: Scale
    waves: tuple[str, ...]
    text_vi: str
    text_en: str
    subscale: str | None = None
    reverse: bool = False
    choices: tuple[Choice, ...] = ()
    correct: str | None = None
    required: bool = False
    pattern: str | None = None

    # -- how the item is stored -------------------------------------------------------------
    @property
    def is_rating(self) -> bool:
        return self.type in RATING_TYPES or self.type == "consent"

    @property
    def is_numeric(self) -> bool:
        """Stored as a small integer in the clean data."""
        if self.is_rating or self.type == "knowledge":
            return True
        if self.type == "demographic":
            return all(isinstance(c.code, int) for c in self.choices)
        return False

    @property
    def min(self) -> int | None:
        if self.type == "knowledge":
            return 0
        codes = [c.code for c in self.choices if isinstance(c.code, int)]
        return min(codes) if codes else None

    @property
    def max(self) -> int | None:
        if self.type == "knowledge":
            return 1
        codes = [c.code for c in self.choices if isinstance(c.code, int)]
        return max(codes) if codes else None

    @property
    def columns(self) -> list[str]:
        """Clean-data column(s) for this item (``participant_code`` becomes ``pid``)."""
        if self.type == "multi":
            return [f"{self.id}__{c.code}" for c in self.choices]
        if self.type == "code":
            return ["pid"]
        return [self.id]

    @property
    def xlsform_type(self) -> str:
        if self.type == "multi":
            return f"select_multiple {self.list_name}"
        if self.type in STRING_TYPES:
            return "text"
        return f"select_one {self.list_name}"

    @property
    def list_name(self) -> str:
        """Name of the XLSForm choice list: the scale's for rating scales, the item's otherwise."""
        return self.id if self.type in CHOICE_TYPES or self.id == "wave" else self.scale.id


@dataclass(frozen=True)
class Instrument:
    path: Path
    id: str
    version: str
    title_vi: str
    title_en: str
    waves: tuple[str, ...]
    sections: dict[str, tuple[str, str]]
    scales: dict[str, Scale]
    items: tuple[Item, ...]
    meta: dict = field(default_factory=dict)

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def item_ids(self) -> list[str]:
        return [it.id for it in self.items]

    def items_for(self, wave: str) -> list[Item]:
        return [it for it in self.items if wave in it.waves]

    def subscales(self, *, types: set[str] | None = None) -> dict[str, list[Item]]:
        """Subscale name → its items, in instrument order (optionally only some item types)."""
        out: dict[str, list[Item]] = {}
        for it in self.items:
            if it.subscale and (types is None or it.type in types):
                out.setdefault(it.subscale, []).append(it)
        return out

    @property
    def analysis_items(self) -> list[Item]:
        """Items with a numeric answer that an analysis compares (ratings, knowledge, observed)."""
        return [it for it in self.items if it.is_numeric and it.section not in ("admin", "consent")
                and it.type != "demographic"]


# ── loading ────────────────────────────────────────────────────────────────────────────────

def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def _err(path: Path, where: str, message: str, fix: str) -> UserError:
    return UserError(message, where=f"{path} [{where}]", fix=fix)


def _code(value):
    """Choice codes: ints stay ints ("1" in YAML quotes stays a string unless all-digit)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def _choices(path: Path, where: str, raw) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or not raw:
        raise _err(path, where, "'choices' phải là danh sách {code, vi, en} / must be a list of {code, vi, en}",
                   "ví dụ: choices: [{code: a, vi: 'Có', en: 'Yes'}]")
    out, seen = [], set()
    for i, ch in enumerate(raw):
        if not isinstance(ch, dict) or "code" not in ch or not ch.get("vi") or not ch.get("en"):
            raise _err(path, f"{where}.choices[{i}]", "lựa chọn thiếu code/vi/en / choice needs code, vi and en",
                       "viết {code: ..., vi: ..., en: ...}")
        code = _code(ch["code"])
        if not CHOICE_CODE_PATTERN.match(str(code)):
            raise _err(path, f"{where}.choices[{i}]", f"mã lựa chọn {code!r} phải là ASCII không dấu, không khoảng trắng / "
                       "choice code must be ASCII without spaces", "ví dụ 'nha_van_hoa'")
        if str(code) in seen:
            raise _err(path, f"{where}.choices[{i}]", f"mã lựa chọn {code!r} bị trùng / duplicated choice code",
                       "mỗi lựa chọn một mã khác nhau")
        seen.add(str(code))
        out.append(Choice(code, _nfc(ch["vi"]), _nfc(ch["en"])))
    return tuple(out)


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Read and validate an instrument YAML (default ``surveys/instruments/hocvuso-pre-post.yml``)."""
    path = Path(path) if path else surveys_dir() / "instruments" / DEFAULT_INSTRUMENT
    data = read_yaml_mapping(path, what="bộ câu hỏi / instrument", fix="tạo surveys/instruments/<tên>.yml")
    if not isinstance(data.get("items"), list):
        raise _err(path, "items", "thiếu danh sách 'items' / no 'items' list", "thêm 'items:' với các câu hỏi")

    waves = tuple(str(w) for w in data.get("waves") or ("pre", "post"))
    sections = {}
    for s in data.get("sections") or []:
        if not isinstance(s, dict) or "id" not in s:
            raise _err(path, "sections", "mỗi phần cần 'id', 'vi', 'en' / each section needs id, vi, en",
                       "ví dụ {id: ease, vi: ..., en: ...}")
        sections[str(s["id"])] = (_nfc(s.get("vi", s["id"])), _nfc(s.get("en", s["id"])))

    scales: dict[str, Scale] = {}
    for sid, spec in (data.get("scales") or {}).items():
        spec = spec or {}
        choices = _choices(path, f"scales.{sid}", spec["choices"]) if spec.get("choices") else ()
        scales[str(sid)] = Scale(str(sid), _nfc(spec.get("vi", sid)), _nfc(spec.get("en", sid)), choices,
                                 bool(spec.get("reverse", False)))

    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["items"]):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise _err(path, f"items[{index}]", "câu hỏi thiếu 'id' / item without 'id'", ITEM_FIELDS["id"])
        iid = str(entry["id"])
        where = f"item {iid}"
        if not ID_PATTERN.match(iid):
            raise _err(path, where, "id phải là ASCII snake_case không dấu / id must be ASCII snake_case",
                       ITEM_FIELDS["id"])
        if iid in seen:
            raise _err(path, where, "id bị trùng / duplicated id", "mỗi câu hỏi một id khác nhau")
        seen.add(iid)
        unknown = set(entry) - set(ITEM_FIELDS)
        if unknown:
            raise _err(path, where, f"khóa không biết / unknown key(s): {', '.join(sorted(unknown))}",
                       "các khóa hợp lệ / valid keys: " + ", ".join(ITEM_FIELDS))
        itype = str(entry.get("type", ""))
        if itype not in KNOWN_TYPES or itype not in scales:
            raise _err(path, where, f"'type: {itype}' không có trong 'scales:' / unknown type",
                       "dùng một trong / use one of: " + ", ".join(sorted(KNOWN_TYPES & set(scales))))
        section = str(entry.get("section", ""))
        if section not in sections:
            raise _err(path, where, f"'section: {section}' không có trong 'sections:' / unknown section",
                       "dùng một trong / use one of: " + ", ".join(sections))
        item_waves = entry.get("waves")
        if not isinstance(item_waves, list) or not item_waves or any(w not in waves for w in item_waves):
            raise _err(path, where, f"'waves' phải là danh sách trong {list(waves)} / waves must be a list of {list(waves)}",
                       ITEM_FIELDS["waves"])
        text = entry.get("text")
        if not isinstance(text, dict) or not str(text.get("vi", "")).strip() or not str(text.get("en", "")).strip():
            raise _err(path, where, "thiếu 'text.vi' hoặc 'text.en' / missing text", ITEM_FIELDS["text"])
        scale = scales[itype]
        if itype in CHOICE_TYPES or entry.get("choices"):
            choices = _choices(path, where, entry.get("choices"))
        else:
            choices = scale.choices
        correct = entry.get("correct")
        if itype == "knowledge":
            if correct is None or str(correct) not in {str(c.code) for c in choices}:
                raise _err(path, where, f"'correct: {correct}' không phải mã của một lựa chọn / not a choice code",
                           ITEM_FIELDS["correct"])
            correct = str(correct)
        elif correct is not None:
            raise _err(path, where, "'correct' chỉ dùng cho câu kiến thức / only knowledge items have 'correct'",
                       "xóa 'correct' hoặc đổi 'type: knowledge'")
        pattern = entry.get("pattern")
        if pattern is not None:
            try:
                re.compile(str(pattern))
            except re.error:
                raise _err(path, where, f"'pattern' không hợp lệ / invalid regex: {pattern}",
                           "sửa biểu thức chính quy") from None
        reverse = bool(entry.get("reverse", scale.reverse))
        if reverse and itype not in RATING_TYPES:
            raise _err(path, where, "'reverse' chỉ dùng cho thang điểm / only rating items can be reverse-keyed",
                       "xóa 'reverse'")
        required = bool(entry.get("required", itype in {"admin", "code", "consent"}))
        items.append(Item(
            id=iid, section=section, type=itype, scale=scale, waves=tuple(str(w) for w in item_waves),
            text_vi=_nfc(text["vi"]), text_en=_nfc(text["en"]),
            subscale=str(entry["subscale"]) if entry.get("subscale") else None,
            reverse=reverse, choices=choices, correct=correct, required=required,
            pattern=str(pattern) if pattern is not None else None,
        ))

    ids = {it.id for it in items}
    for must in ("wave", "participant_code", "consent"):
        if must not in ids:
            raise _err(path, "items", f"thiếu câu hỏi bắt buộc '{must}' / missing required item '{must}'",
                       f"thêm một câu hỏi với id '{must}'")
    title = data.get("title") or {}
    return Instrument(
        path=path, id=str(data.get("id", path.stem)), version=str(data.get("version", "1")),
        title_vi=_nfc(title.get("vi", path.stem)), title_en=_nfc(title.get("en", path.stem)),
        waves=waves, sections=sections, scales=scales, items=tuple(items),
    )
