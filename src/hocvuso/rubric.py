"""The teaching-demo rubric (``curriculum/rubrics/teaching-demo.yml``) and its pass/redo rule.

A coordinator watches a volunteer coach a role-played older learner and marks every criterion
``good`` ("tốt") or ``growth`` ("cần cải thiện"). Three or more growth marks (the rubric's
``redo_if_growth_marks_at_least``) mean the demo is redone — the Carpentries checkout rule.

For the readiness table (issue 5) and anyone else::

    from hocvuso.rubric import load_rubric, demo_outcome

    rubric = load_rubric()                       # validated; UserError names file, criterion, fix
    outcome = demo_outcome({"slow-pace": "good", "learner-taps": "growth", ...})
    outcome.passed        # True / False
    outcome.outcome       # "passed" or "redo"
    outcome.growth        # ids of the criteria marked growth, in rubric order

``marks`` maps every criterion id to a mark; ``"good"``/``"growth"`` and the Vietnamese
``"tốt"``/``"cần cải thiện"`` are both accepted. A missing or unknown criterion, or an unknown
mark, is a :class:`~hocvuso.errors.UserError` (a demo is only scored when every criterion is).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ASCII_SLUG, UserError, read_yaml_mapping
from .paths import curriculum_dir

__all__ = ["Criterion", "Rubric", "DemoOutcome", "load_rubric", "demo_outcome", "MARKS"]

#: canonical mark -> accepted spellings (lower case, NFC)
MARKS: dict[str, tuple[str, ...]] = {
    "good": ("good", "tốt"),
    "growth": ("growth", "cần cải thiện"),
}
SLUG = ASCII_SLUG


@dataclass(frozen=True)
class Criterion:
    id: str
    vi: str
    en: str


@dataclass(frozen=True)
class Rubric:
    id: str
    title_vi: str
    title_en: str
    criteria: tuple[Criterion, ...]
    redo_if_growth_marks_at_least: int
    mark_labels: dict[str, dict[str, str]]
    path: Path

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)


@dataclass(frozen=True)
class DemoOutcome:
    outcome: str  # "passed" or "redo"
    growth: tuple[str, ...]
    threshold: int

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    @property
    def growth_count(self) -> int:
        return len(self.growth)

    def message_vi(self) -> str:
        if self.passed:
            return f"Đạt: {self.growth_count} dấu «cần cải thiện» (dạy lại khi từ {self.threshold} dấu trở lên)."
        return f"Cần dạy thử lại: {self.growth_count} dấu «cần cải thiện» (từ {self.threshold} dấu trở lên là dạy lại)."


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def default_rubric_path() -> Path:
    """The rubric the syllabus names (``programme.teaching_demo.rubric``), else rubrics/teaching-demo.yml."""
    try:
        from .curriculum import load_syllabus

        name = load_syllabus().teaching_demo_rubric
    except UserError:
        name = None
    return curriculum_dir() / (name or "rubrics/teaching-demo.yml")


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Read and validate the teaching-demo rubric; raise UserError naming file, criterion and fix."""
    path = Path(path) if path else default_rubric_path()
    data = read_yaml_mapping(path, what="phiếu đánh giá dạy thử / teaching-demo rubric",
                             fix="tạo curriculum/rubrics/teaching-demo.yml (xem docs trong hocvuso/rubric.py)")

    def err(item: str, message: str, fix: str) -> UserError:
        return UserError(message, where=f"{path} [{item}]", fix=fix)

    title = data.get("title") or {}
    if not isinstance(title, dict) or not title.get("vi") or not title.get("en"):
        raise err("title", "thiếu 'title.vi' hoặc 'title.en' / missing title", "thêm 'title: {vi: ..., en: ...}'")
    threshold = data.get("redo_if_growth_marks_at_least")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise err("redo_if_growth_marks_at_least",
                  f"phải là số nguyên dương, không phải {threshold!r} / must be a positive integer",
                  "ví dụ 'redo_if_growth_marks_at_least: 3'")
    marks = data.get("marks") or {}
    if not isinstance(marks, dict) or set(marks) != set(MARKS) or not all(
            isinstance(marks[m], dict) and marks[m].get("vi") and marks[m].get("en") for m in MARKS):
        raise err("marks", "'marks' phải có đúng hai mức 'good' và 'growth', mỗi mức có vi/en / needs good and growth",
                  "marks: {good: {vi: tốt, en: good}, growth: {vi: cần cải thiện, en: growth}}")
    raw = data.get("criteria")
    if not isinstance(raw, list) or len(raw) < threshold:
        raise err("criteria", f"cần ít nhất {threshold} tiêu chí / needs at least {threshold} criteria",
                  "liệt kê 'criteria:' với id, vi, en")
    criteria: list[Criterion] = []
    for index, entry in enumerate(raw, start=1):
        cid = entry.get("id") if isinstance(entry, dict) else None
        item = f"criterion {cid}" if isinstance(cid, str) else f"criteria[{index}]"
        if not isinstance(cid, str) or not SLUG.match(cid) or cid in {c.id for c in criteria}:
            raise err(item, f"'id' phải là chữ ASCII không dấu, không trùng, không phải {cid!r} / bad or duplicated id",
                      "ví dụ 'id: learner-taps'")
        for lang in ("vi", "en"):
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                raise err(item, f"thiếu '{lang}' / missing '{lang}' text", f"thêm '{lang}: \"...\"'")
        criteria.append(Criterion(cid, _nfc(entry["vi"]), _nfc(entry["en"])))
    return Rubric(
        id=str(data.get("id") or path.stem), title_vi=_nfc(title["vi"]), title_en=_nfc(title["en"]),
        criteria=tuple(criteria), redo_if_growth_marks_at_least=threshold,
        mark_labels={m: {"vi": _nfc(marks[m]["vi"]), "en": _nfc(marks[m]["en"])} for m in MARKS}, path=path,
    )


def canonical_mark(value) -> str | None:
    """'good' / 'growth' for any accepted spelling, else None."""
    text = _nfc(value).lower()
    for mark, spellings in MARKS.items():
        if text in spellings:
            return mark
    return None


def demo_outcome(marks: Mapping[str, str], rubric: Rubric | None = None, *, where: str = "teaching demo") -> DemoOutcome:
    """"passed" or "redo" for one demo: redo when growth marks >= the rubric's threshold.

    ``where`` names the record in error messages (e.g. "demo-scores.csv row 4").
    """
    rubric = rubric or load_rubric()
    unknown = sorted(set(marks) - set(rubric.criterion_ids))
    if unknown:
        raise UserError(f"tiêu chí lạ {unknown} / unknown criteria", where=f"{where} [{unknown[0]}]",
                        fix="các tiêu chí: " + ", ".join(rubric.criterion_ids))
    missing = [c for c in rubric.criterion_ids if c not in marks]
    if missing:
        raise UserError(f"chưa chấm tiêu chí {missing} / criteria not marked", where=f"{where} [{missing[0]}]",
                        fix="chấm mọi tiêu chí là 'good' (tốt) hoặc 'growth' (cần cải thiện)")
    growth = []
    for cid in rubric.criterion_ids:
        mark = canonical_mark(marks[cid])
        if mark is None:
            raise UserError(f"mức '{marks[cid]}' không hợp lệ / unknown mark", where=f"{where} [{cid}]",
                            fix="dùng 'good'/'tốt' hoặc 'growth'/'cần cải thiện'")
        if mark == "growth":
            growth.append(cid)
    threshold = rubric.redo_if_growth_marks_at_least
    return DemoOutcome("redo" if len(growth) >= threshold else "passed", tuple(growth), threshold)
