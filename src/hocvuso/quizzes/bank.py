"""Question banks (``curriculum/quizzes/NN-slug.yml``): load, validate, normalise answers.

The format is documented in ``docs/QUIZ-BANKS.md``. :func:`load_bank` returns a :class:`Bank`
or raises :class:`~hocvuso.errors.UserError` naming the file, the item id, the field and the fix.

Answer normalisation (:func:`normalise`) is shared by the quiz notebooks (format check and
grading in the kernel) and by the grader (feedback), so a volunteer's ``" B "`` and ``"b)"``
mean exactly the same everywhere:

- single / scenario: ``"b"``, ``" B "``, ``"B."``, ``"b)"``, ``"(b)"`` → ``"b"``
- multiple: ``"a, c"``, ``"ac"``, ``"c a"``, ``"A; C"`` → ``frozenset({"a", "c"})``
- ordering: ``"b c a d"``, ``"B-C-A-D"``, ``"b,c,a,d"``, ``"b > c > a > d"`` → ``"bcad"``
- short: trimmed, inner spaces collapsed, case-folded, Unicode NFC (diacritics are kept).

A value that cannot be read raises :class:`MalformedAnswer` with a friendly Vietnamese message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ASCII_SLUG, UserError, read_yaml_mapping
from ..paths import curriculum_dir

ITEM_TYPES = ("single", "multiple", "ordering", "short", "scenario", "reflection")
AUTO_TYPES = ("single", "multiple", "ordering", "short", "scenario")
ID_RE = ASCII_SLUG
LETTER_RE = re.compile(r"^[a-z]$")
MIN_AUTO_ITEMS = 8

#: What every key of an item means (used in error messages).
ITEM_FIELDS: dict[str, str] = {
    "id": "ASCII slug [a-z0-9-], unique in the bank (becomes the nbgrader grade_id)",
    "type": "one of " + ", ".join(ITEM_TYPES),
    "points": "a positive number (default 1)",
    "prompt": "the question, in Vietnamese",
    "scenario": "the situation described before the question (scenario items)",
    "options": "letters a, b, c … → {text, correct: true, why} or {text, misconception}",
    "steps": "letters a, b, c … → the text of each step (ordering items)",
    "answer": "the correct order of the step letters, e.g. 'bcad' (ordering items)",
    "accept": "list of accepted answers after normalisation (short items)",
    "why": "explanation shown after grading (ordering, short)",
    "misconceptions": "optional: known wrong answer → the misconception it reveals",
    "rubric": "list of {points, criterion} whose points add up to the item's points (reflection)",
    "source": "optional short source note ('Nguồn')",
    "hint": "optional: a one-line reminder shown in feedback after a wrong answer (never the answer)",
}

#: Official domains a bank may name (from the content brief) and reserved example domains.
ALLOWED_DOMAINS = ("binhdanhocvuso.gov.vn", "dichvucong.gov.vn")
RESERVED_SUFFIXES = (".invalid", "example.com", "example.org", "example.net")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s\"'<>)]+|\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org|info|io|xyz|top|invalid)\b",
    re.IGNORECASE,
)


class MalformedAnswer(ValueError):
    """An answer whose form cannot be read (not a wrong answer: a badly written one)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Option:
    letter: str
    text: str
    correct: bool = False
    why: str = ""
    misconception: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    prompt: str
    points: float = 1.0
    scenario: str = ""
    options: tuple[Option, ...] = ()
    steps: tuple[tuple[str, str], ...] = ()
    answer: str = ""
    accept: tuple[str, ...] = ()
    why: str = ""
    misconceptions: dict[str, str] = field(default_factory=dict)
    rubric: tuple[tuple[float, str], ...] = ()
    source: str = ""
    hint: str = ""

    @property
    def auto(self) -> bool:
        return self.type in AUTO_TYPES

    @property
    def letters(self) -> tuple[str, ...]:
        if self.type == "ordering":
            return tuple(k for k, _ in self.steps)
        return tuple(o.letter for o in self.options)

    def option(self, letter: str) -> Option | None:
        return next((o for o in self.options if o.letter == letter), None)

    def key(self):
        """The normalised correct answer (what the hidden test compares with)."""
        if self.type in ("single", "scenario"):
            return next(o.letter for o in self.options if o.correct)
        if self.type == "multiple":
            return frozenset(o.letter for o in self.options if o.correct)
        if self.type == "ordering":
            return self.answer
        if self.type == "short":
            return tuple(self.accept)
        return None

    def is_correct(self, normalised) -> bool:
        if normalised is None:
            return False
        if self.type == "short":
            return normalised in self.accept
        return normalised == self.key()


@dataclass(frozen=True)
class Bank:
    path: Path
    quiz: str
    module: str
    title_vi: str
    title_en: str
    items: tuple[Item, ...]

    @property
    def auto_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.auto)

    @property
    def reflection(self) -> Item:
        return next(i for i in self.items if i.type == "reflection")

    @property
    def auto_points(self) -> float:
        return float(sum(i.points for i in self.auto_items))

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)


# ------------------------------------------------------------------ normalisation
def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_SEPARATORS = re.compile(r"[\s,;/|>\-–—→.+&]+|\bvà\b")


def _letters_of(raw: str) -> list[str]:
    text = nfc(raw).strip().casefold()
    text = text.strip("()[]{}\"'`")
    text = _SEPARATORS.sub(" ", text)
    text = text.replace(")", " ").replace("(", " ")
    parts = text.split()
    if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isascii() and parts[0].isalpha():
        parts = list(parts[0])  # "ac" → ["a", "c"]
    return parts


def _example(kind: str, letters: tuple[str, ...]) -> str:
    if kind in ("single", "scenario"):
        return '"b"'
    if kind == "multiple":
        return '"a, c"'
    if kind == "ordering":
        return '"' + " ".join(letters[::-1]) + '"' if letters else '"b c a d"'
    return '"156"'


def instruction(kind: str, letters: tuple[str, ...] = ()) -> str:
    """The one-line Vietnamese instruction written after ``tra_loi = ""`` in an answer cell."""
    ex = _example(kind, letters)
    return {
        "single": f"Gõ chữ cái đáp án, ví dụ: {ex}",
        "scenario": f"Gõ chữ cái đáp án, ví dụ: {ex}",
        "multiple": f"Gõ TẤT CẢ chữ cái đúng, cách nhau dấu phẩy, ví dụ: {ex}",
        "ordering": f"Gõ các chữ cái theo thứ tự đúng, ví dụ: {ex}",
        "short": "Gõ câu trả lời ngắn giữa hai dấu nháy",
    }[kind]


def normalise(kind: str, raw, letters: tuple[str, ...] = ()):
    """Normalise a volunteer's answer; ``None`` if unanswered; MalformedAnswer if unreadable.

    ``letters`` are the option (or step) letters of the item; when given, letters outside
    them are malformed.
    """
    if raw is None:
        return None
    if isinstance(raw, (list, tuple, set, frozenset)) and kind in ("multiple", "ordering"):
        raw = " ".join(str(x) for x in raw)
    if not isinstance(raw, str):
        raise MalformedAnswer(
            f'câu trả lời phải nằm giữa hai dấu nháy, ví dụ: tra_loi = {_example(kind, letters)}'
        )
    if not raw.strip():
        return None
    choices = ", ".join(letters) if letters else "a, b, c, d"
    if kind in ("single", "scenario"):
        parts = _letters_of(raw)
        if len(parts) != 1 or not LETTER_RE.match(parts[0]) or (letters and parts[0] not in letters):
            raise MalformedAnswer(f"hãy gõ MỘT chữ cái trong số {choices}, ví dụ: {_example(kind, letters)}")
        return parts[0]
    if kind == "multiple":
        parts = _letters_of(raw)
        bad = [p for p in parts if not LETTER_RE.match(p) or (letters and p not in letters)]
        if bad or not parts:
            raise MalformedAnswer(f"chỉ gõ các chữ cái trong số {choices}, cách nhau dấu phẩy, "
                                  f"ví dụ: {_example(kind, letters)}")
        return frozenset(parts)
    if kind == "ordering":
        parts = _letters_of(raw)
        order = "".join(parts)
        ok = all(LETTER_RE.match(p) for p in parts)
        if letters:
            ok = ok and sorted(order) == sorted(letters)
        if not ok or not order:
            raise MalformedAnswer(f"hãy gõ mỗi chữ cái {choices} đúng một lần, theo thứ tự bạn chọn, "
                                  f"ví dụ: {_example(kind, letters)}")
        return order
    if kind == "short":
        text = nfc(raw).strip().strip("\"'.").strip()
        return re.sub(r"\s+", " ", text).casefold()
    raise ValueError(f"unknown item type {kind!r}")


def describe(kind: str, normalised) -> str:
    """Show a normalised answer back to a volunteer (``{"a","c"}`` → ``"a, c"``)."""
    if normalised is None:
        return "(chưa trả lời)"
    if kind == "multiple":
        return ", ".join(sorted(normalised))
    if kind == "ordering":
        return " → ".join(normalised)
    return str(normalised)


# ------------------------------------------------------------------ loading
def _err(path: Path, where: str, message: str, fix: str) -> UserError:
    return UserError(message, where=f"{path} [{where}]", fix=fix)


def _text(path, where, value, key, *, required=True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _err(path, where, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}:' — {ITEM_FIELDS.get(key, key)}")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _err(path, where, f"'{key}' phải là một đoạn chữ / must be text", f"viết '{key}: \"…\"'")
    text = str(value)
    if unicodedata.normalize("NFC", text) != text:
        raise _err(path, where, f"'{key}' không ở dạng Unicode NFC / text is not NFC",
                   "lưu tệp ở dạng NFC (gõ lại dấu bằng bộ gõ Unicode dựng sẵn)")
    _check_urls(path, where, key, text)
    return text.strip()


def _check_urls(path, where, key, text: str) -> None:
    for m in _URL_RE.finditer(text):
        url = m.group(0).lower().rstrip(".,;:")
        host = re.sub(r"^(https?://)?(www\.)?", "", url).split("/")[0]
        if host.endswith(ALLOWED_DOMAINS) or host.endswith(RESERVED_SUFFIXES):
            continue
        raise _err(path, where, f"'{key}' có địa chỉ web không được phép '{m.group(0)}' / URL not allowed",
                   "chỉ dùng " + ", ".join(ALLOWED_DOMAINS) + " hoặc tên miền dành riêng (.invalid, example.com)")


def _points(path, where, value, default=1.0) -> float:
    if value is None:
        return float(default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _err(path, where, f"'points' phải là số dương, không phải {value!r} / must be positive",
                   "ví dụ 'points: 1'")
    return float(value)


def _letters_map(path, where, value, key) -> dict:
    if not isinstance(value, dict) or len(value) < 2:
        raise _err(path, where, f"'{key}' phải có ít nhất 2 lựa chọn a, b, … / needs ≥ 2 lettered entries",
                   f"'{key}:' — {ITEM_FIELDS[key]}")
    keys = [str(k) for k in value]
    expected = [chr(ord("a") + i) for i in range(len(keys))]
    if keys != expected:
        raise _err(path, where, f"các chữ cái của '{key}' phải là {', '.join(expected)} theo thứ tự, "
                   f"không phải {', '.join(keys)} / letters must be a, b, c … in order",
                   f"đặt tên lại các lựa chọn: {', '.join(expected)}")
    return {str(k): v for k, v in value.items()}


def _item(path: Path, index: int, raw) -> Item:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise _err(path, f"items[{index}]", "câu hỏi thiếu 'id' / item has no 'id'", f"thêm 'id': {ITEM_FIELDS['id']}")
    iid = str(raw["id"])
    where = f"item {iid}"
    if not ID_RE.match(iid):
        raise _err(path, where, "'id' phải là chữ ASCII thường, số và gạch ngang / id must be an ASCII slug",
                   "ví dụ 'id: muc-2-gia-tri' (không dấu, không khoảng trắng)")
    unknown = set(raw) - set(ITEM_FIELDS)
    if unknown:
        raise _err(path, where, f"khóa lạ {sorted(unknown)} / unknown keys", "các khóa hợp lệ: " + ", ".join(ITEM_FIELDS))
    kind = raw.get("type")
    if kind not in ITEM_TYPES:
        raise _err(path, where, f"'type' không hợp lệ: {kind!r} / invalid type", f"'type:' là {ITEM_FIELDS['type']}")
    common = dict(
        id=iid, type=kind,
        prompt=_text(path, where, raw.get("prompt"), "prompt"),
        points=_points(path, where, raw.get("points"), 1),
        source=_text(path, where, raw.get("source"), "source", required=False),
        hint=_text(path, where, raw.get("hint"), "hint", required=False),
    )
    misc = raw.get("misconceptions") or {}
    if not isinstance(misc, dict):
        raise _err(path, where, "'misconceptions' phải là bảng câu sai → ghi chú / must be a mapping",
                   "ví dụ 'misconceptions: {\"113\": \"…\"}'")
    misconceptions = {str(k): _text(path, where, v, "misconceptions") for k, v in misc.items()}

    if kind in ("single", "multiple", "scenario"):
        opts = _letters_map(path, where, raw.get("options"), "options")
        options = []
        for letter, spec in opts.items():
            owhere = f"{where} option {letter}"
            if not isinstance(spec, dict):
                raise _err(path, owhere, "lựa chọn phải có 'text' / option needs 'text'",
                           "ví dụ 'a: {text: \"…\", correct: true, why: \"…\"}'")
            extra = set(spec) - {"text", "correct", "why", "misconception"}
            if extra:
                raise _err(path, owhere, f"khóa lạ {sorted(extra)} / unknown keys", "dùng text, correct, why, misconception")
            correct = spec.get("correct", False) is True
            options.append(Option(
                letter=letter, text=_text(path, owhere, spec.get("text"), "text"), correct=correct,
                why=_text(path, owhere, spec.get("why"), "why", required=False),
                misconception=_text(path, owhere, spec.get("misconception"), "misconception", required=False),
            ))
        n_correct = sum(o.correct for o in options)
        if kind in ("single", "scenario") and n_correct != 1:
            raise _err(path, where, f"câu '{kind}' cần đúng 1 lựa chọn đúng, đang có {n_correct} / "
                       f"needs exactly one correct option", "đặt 'correct: true' cho đúng một lựa chọn")
        if kind == "multiple" and n_correct < 2:
            raise _err(path, where, f"câu 'multiple' cần ít nhất 2 lựa chọn đúng, đang có {n_correct} / "
                       "needs at least 2 correct options", "đặt 'correct: true' cho ≥ 2 lựa chọn, hoặc đổi type thành single")
        for o in options:
            if not o.correct and not o.misconception:
                raise _err(path, f"{where} option {o.letter}", "lựa chọn sai thiếu 'misconception' / "
                           "wrong option has no 'misconception'",
                           "viết 'misconception:' — hiểu lầm mà lựa chọn này bộc lộ")
        if kind == "scenario":
            common["scenario"] = _text(path, where, raw.get("scenario"), "scenario")
        return Item(**common, options=tuple(options), misconceptions=misconceptions)

    if kind == "ordering":
        steps = _letters_map(path, where, raw.get("steps"), "steps")
        steps_t = tuple((k, _text(path, f"{where} step {k}", v, "steps")) for k, v in steps.items())
        answer = re.sub(r"[\s,\-]+", "", str(raw.get("answer") or "")).lower()
        if sorted(answer) != sorted(steps):
            raise _err(path, where, f"'answer' '{raw.get('answer')}' không phải một cách xếp của {''.join(steps)} / "
                       "answer is not a permutation of the step letters",
                       f"mỗi chữ cái {', '.join(steps)} xuất hiện đúng một lần, ví dụ 'answer: \"{''.join(steps)}\"'")
        if answer == "".join(steps):
            raise _err(path, where, "'answer' trùng với thứ tự hiển thị / answer equals the display order",
                       "xáo thứ tự các bước trong 'steps' để câu hỏi có ý nghĩa")
        return Item(**common, steps=steps_t, answer=answer, why=_text(path, where, raw.get("why"), "why"),
                    misconceptions={re.sub(r"[\s,\-]+", "", k).lower(): v for k, v in misconceptions.items()})

    if kind == "short":
        accept = raw.get("accept")
        if not isinstance(accept, list) or not accept:
            raise _err(path, where, "câu 'short' cần danh sách 'accept' không rỗng / needs a non-empty 'accept' list",
                       "ví dụ 'accept: [\"156\"]'")
        norm = tuple(normalise("short", _text(path, where, str(a), "accept")) for a in accept)
        return Item(**common, accept=norm, why=_text(path, where, raw.get("why"), "why"),
                    misconceptions={normalise("short", k): v for k, v in misconceptions.items()})

    # reflection
    rubric = raw.get("rubric")
    if not isinstance(rubric, list) or not rubric:
        raise _err(path, where, "câu 'reflection' cần 'rubric' / reflection needs a 'rubric'", ITEM_FIELDS["rubric"])
    crit = []
    for r in rubric:
        if not isinstance(r, dict) or "criterion" not in r:
            raise _err(path, where, "mỗi dòng rubric cần 'points' và 'criterion' / rubric rows need points and criterion",
                       "ví dụ '- {points: 1, criterion: \"…\"}'")
        crit.append((_points(path, where, r.get("points")), _text(path, where, r.get("criterion"), "criterion")))
    total = sum(p for p, _ in crit)
    if abs(total - common["points"]) > 1e-9:
        raise _err(path, where, f"điểm rubric cộng lại {total:g} khác 'points' {common['points']:g} / "
                   "rubric points do not add up", "sửa 'points' hoặc điểm từng tiêu chí")
    return Item(**common, rubric=tuple(crit))


def bank_path(name: str | Path) -> Path:
    p = Path(name)
    if p.suffix in (".yml", ".yaml") and (p.is_absolute() or p.exists()):
        return p
    return curriculum_dir() / "quizzes" / p.name


def load_bank(path: str | Path) -> Bank:
    """Read and validate one question bank; raise UserError naming file, item and fix."""
    path = bank_path(path)
    data = read_yaml_mapping(path, what="ngân hàng câu hỏi / question bank", fix="viết tệp theo docs/QUIZ-BANKS.md")
    for key in ("quiz", "module", "title", "items"):
        if key not in data:
            raise _err(path, key, f"thiếu '{key}' / missing '{key}'", "xem ví dụ trong docs/QUIZ-BANKS.md")
    quiz = str(data["quiz"])
    if not ID_RE.match(quiz):
        raise _err(path, "quiz", "'quiz' phải là mã ASCII / quiz id must be an ASCII slug", "ví dụ 'quiz: q05-vneid'")
    title = data.get("title")
    if not isinstance(title, dict) or not title.get("vi") or not title.get("en"):
        raise _err(path, "title", "thiếu 'title.vi' hoặc 'title.en' / missing title", 'ví dụ title: {vi: "…", en: "…"}')
    if not isinstance(data["items"], list):
        raise _err(path, "items", "'items' phải là danh sách / must be a list", "mỗi câu hỏi một mục '- id: …'")
    items = [_item(path, i, raw) for i, raw in enumerate(data["items"])]
    seen: set[str] = set()
    for it in items:
        if it.id in seen:
            raise _err(path, f"item {it.id}", "'id' bị trùng / duplicated id", "đặt id khác cho một trong hai câu")
        seen.add(it.id)
    n_auto = sum(it.auto for it in items)
    if n_auto < MIN_AUTO_ITEMS:
        raise _err(path, "items", f"chỉ có {n_auto} câu chấm tự động, cần ít nhất {MIN_AUTO_ITEMS} / "
                   f"needs ≥ {MIN_AUTO_ITEMS} auto-graded items", "thêm câu single/multiple/ordering/short/scenario")
    n_refl = sum(it.type == "reflection" for it in items)
    if n_refl != 1:
        raise _err(path, "items", f"cần đúng 1 câu 'reflection', đang có {n_refl} / needs exactly one reflection",
                   "giữ một câu type: reflection có rubric")
    return Bank(path=path, quiz=quiz, module=str(data["module"]),
                title_vi=_text(path, "title", title["vi"], "title.vi"), title_en=str(title["en"]),
                items=tuple(items))


def load_banks(*, syllabus=None, only_present: bool = True, only=None) -> dict[str, Bank]:
    """All banks named in the syllabus ``quizzes:``, keyed by quiz id (missing files skipped if ``only_present``).

    A bank whose ``quiz:`` disagrees with its syllabus key is an error.
    """
    from ..curriculum import load_syllabus

    syllabus = syllabus or load_syllabus()
    banks: dict[str, Bank] = {}
    for qid, quiz in syllabus.quizzes.items():
        if only and qid not in only:
            continue
        path = curriculum_dir() / "quizzes" / quiz.bank
        if not path.exists() and only_present:
            continue
        bank = load_bank(path)
        if bank.quiz != qid:
            raise _err(path, "quiz", f"'quiz: {bank.quiz}' khác mã trong syllabus '{qid}' / quiz id differs from syllabus",
                       f"đặt 'quiz: {qid}'")
        banks[qid] = bank
    return banks
