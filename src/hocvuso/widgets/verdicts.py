"""What the scam spotter and the QR practice share: items judged with a verdict and red flags.

Both exercises show one item at a time (a message, a QR code), the volunteer picks a verdict,
and the feedback names the red flags and explains. This module holds the parts that are the
same: reading the list of items from a content file (ids, unknown keys, required texts, the
verdict, the red flags) and building the feedback for one answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..errors import ASCII_SLUG, UserError
from . import nfc

SLUG = ASCII_SLUG


@dataclass(frozen=True)
class Feedback:
    """The outcome of one answer: right or wrong, the expected verdict, the red flags and why."""

    correct: bool
    chosen: str
    expected: str
    message: str
    red_flags: tuple[str, ...]
    explanation: str


ErrorMaker = Callable[[str, str, str], UserError]


def read_items(raw, *, err: ErrorMaker, list_key: str, noun: str, keys: set[str], texts: tuple[str, ...],
               verdicts: Mapping[str, str], safe_verdict: str, example: str, id_example: str,
               flag_example: str, flags_needed: str) -> list[tuple[str, str, Mapping]]:
    """Check the common fields of every item; return ``(id, item label, entry)`` for each.

    ``texts`` must be non-empty strings; ``verdict`` one of ``verdicts``; ``red_flags`` a list of
    sentences, with at least one unless the verdict is ``safe_verdict``. Errors name the item
    (``messages[3]`` before its id is known, ``message gia-cong-an`` after) and the fix.
    """
    if not isinstance(raw, list) or len(raw) < 2:
        raise err(list_key, f"cần ít nhất 2 {noun} / needs a list of at least 2 entries",
                  f"viết '{list_key}:' là danh sách, mỗi mục có " + ", ".join(sorted(keys)))
    out: list[tuple[str, str, Mapping]] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        item = f"{list_key}[{index}]"
        if not isinstance(entry, Mapping):
            raise err(item, f"mỗi {noun} phải là một bảng khóa: giá trị / each entry must be a mapping",
                      f"ví dụ: '{example}'")
        iid = entry.get("id")
        if not isinstance(iid, str) or not SLUG.match(iid):
            raise err(item, f"'id' phải là chữ ASCII không dấu, không phải {iid!r} / id must be an ASCII slug",
                      f"ví dụ 'id: {id_example}'")
        item = f"{list_key.rstrip('s')} {iid}"
        if iid in seen:
            raise err(item, "'id' bị trùng / duplicated id", f"mỗi {noun} một id khác nhau")
        seen.add(iid)
        unknown = set(entry) - keys
        if unknown:
            raise err(item, f"khóa lạ {sorted(unknown)} / unknown keys", "các khóa hợp lệ: " + ", ".join(sorted(keys)))
        for key in texts:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise err(f"{item}.{key}", f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"'")
        verdict = entry.get("verdict")
        if verdict not in verdicts:
            raise err(f"{item}.verdict", f"'verdict' không hợp lệ: {verdict!r} / unknown verdict",
                      "dùng một trong: " + ", ".join(verdicts))
        flags = entry.get("red_flags") or []
        if not isinstance(flags, list) or not all(isinstance(f, str) and f.strip() for f in flags):
            raise err(f"{item}.red_flags", "'red_flags' phải là danh sách câu / must be a list of sentences",
                      f"ví dụ 'red_flags: [\"{flag_example}\"]'")
        if verdict != safe_verdict and not flags:
            raise err(f"{item}.red_flags", flags_needed, "thêm 'red_flags:' liệt kê dấu hiệu để tình nguyện viên "
                      "học cách nhận ra")
        out.append((iid, item, entry))
    return out


def flags_of(entry: Mapping) -> tuple[str, ...]:
    return tuple(nfc(f) for f in entry.get("red_flags") or [])


def judge(verdicts: Mapping[str, str], chosen: str, expected: str, red_flags: tuple[str, ...], explanation: str,
          *, where: str, right: str, wrong: str) -> Feedback:
    """Feedback for one answer. ``right``/``wrong`` are templates with ``{expected}`` and ``{chosen}``."""
    if chosen not in verdicts:
        raise UserError(f"câu trả lời không hợp lệ: {chosen!r} / unknown verdict", where=where,
                        fix="dùng một trong: " + ", ".join(verdicts))
    correct = chosen == expected
    text = (right if correct else wrong).format(expected=verdicts[expected], chosen=verdicts[chosen])
    return Feedback(correct, chosen, expected, text, red_flags, explanation)
