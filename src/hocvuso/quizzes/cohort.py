"""A synthetic cohort of volunteers (``tnv-demo-001`` …) answering the released quizzes.

SYNTHETIC DATA — no real person. Each volunteer has a skill in [0, 1]; the chance of answering
an item right grows with skill and falls with the item's difficulty (a small Rasch-like model),
so item analysis has something to find. Answers are written the ways people really type them
(``" B "``, ``"b)"``, ``"c a"``, ``"B-C-A-D"``), a few are malformed (``"ab"`` for a single
choice) or left blank, and one volunteer has a Vietnamese name-like id with spaces to show how
ids are turned into ASCII slugs. The teaching-demo marks for the same volunteers come from
:func:`demo_marks`.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import nbformat

from ..paths import course_dir
from .bank import Bank, Item, load_banks

#: The one name-like id (fictional) that shows slugging: spaces and Vietnamese letters.
NAME_LIKE_ID = "Lê Thị Hồng Nhung (tổng hợp)"


def student_ids(n: int) -> list[str]:
    ids = [f"tnv-demo-{k:03d}" for k in range(1, n)]
    return ids + [NAME_LIKE_ID]


def right_answer(item: Item, rng: random.Random | None = None) -> str:
    """A right answer, typed in one of the usual ways."""
    rng = rng or random.Random(0)
    key = item.key()
    if item.type in ("single", "scenario"):
        return rng.choice([key, key.upper(), f" {key} ", f"{key.upper()}.", f"{key})"])
    if item.type == "multiple":
        letters = sorted(key)
        rng.shuffle(letters)
        return rng.choice([", ".join(letters), "".join(letters), " ".join(letters).upper()])
    if item.type == "ordering":
        return rng.choice([" ".join(key), "-".join(key).upper(), key])
    return rng.choice([key[0], key[0].capitalize(), f" {key[0]} "])


def wrong_answer(item: Item, rng: random.Random | None = None) -> str:
    """A well-formed wrong answer (a distractor, a known wrong order, a known wrong short answer)."""
    rng = rng or random.Random(0)
    if item.type in ("single", "scenario"):
        return rng.choice([o.letter for o in item.options if not o.correct])
    if item.type == "multiple":
        right = sorted(item.key())
        wrong = [o.letter for o in item.options if not o.correct]
        return ", ".join(sorted(set(right[:-1] + wrong[:1])))
    if item.type == "ordering":
        known = [k for k in item.misconceptions if k != item.answer]
        return rng.choice(known) if known else "".join(item.letters)
    known = [k for k in item.misconceptions if k not in item.accept]
    return rng.choice(known) if known else "không biết"


def malformed_answer(item: Item) -> str:
    if item.type in ("single", "scenario"):
        return "ab"
    if item.type == "multiple":
        return "a, z"
    if item.type == "ordering":
        return item.letters[0] * 2
    return ""  # a blank short answer (unanswered)


def difficulty(bank: Bank, item: Item) -> float:
    """A fixed synthetic difficulty per item, from its position (deterministic)."""
    k = bank.items.index(item)
    return -1.2 + 2.4 * ((k * 7) % 10) / 9


def answers_for(bank: Bank, skill: float, rng: random.Random) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in bank.auto_items:
        roll = rng.random()
        if roll < 0.03:
            continue  # left blank
        if roll < 0.06:
            out[item.id] = malformed_answer(item)
            continue
        p = 1 / (1 + math.exp(-(8 * (skill - 0.6) - difficulty(bank, item) + 1.2)))
        out[item.id] = right_answer(item, rng) if rng.random() < p else wrong_answer(item, rng)
    return out


def fill_notebook(nb, answers: dict[str, str]):
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if gid.startswith("tl-") and gid[3:] in answers:
            cell.source = f"tra_loi = {answers[gid[3:]]!r}"
    return nb


def skills(n: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    return {sid: min(1.0, max(0.0, rng.betavariate(4, 2))) for sid in student_ids(n)}


def write_cohort(course: Path | None = None, *, n: int = 40, seed: int = 2025,
                 quizzes: list[str] | None = None) -> list[Path]:
    """Write every synthetic volunteer's answers to every built quiz into ``course/submitted/``."""
    course = Path(course) if course else course_dir()
    banks = load_banks(only=quizzes)
    rng = random.Random(seed)
    paths = []
    for sid, skill in skills(n, seed).items():
        for qid, bank in banks.items():
            release = course / "release" / qid / f"{qid}.ipynb"
            if not release.exists():
                continue
            nb = fill_notebook(nbformat.read(release, as_version=4), answers_for(bank, skill, rng))
            target = course / "submitted" / sid / qid / f"{qid}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
            paths.append(target)
    return paths


def demo_marks(n: int = 40, seed: int = 2025) -> list[dict[str, str]]:
    """Synthetic teaching-demo marks (one row per volunteer, one column per rubric criterion)."""
    from ..rubric import load_rubric

    rubric = load_rubric()
    rng = random.Random(seed + 1)
    rows = []
    for sid, skill in skills(n, seed).items():
        row = {"student": sid}
        for c in rubric.criteria:
            row[c.id] = "growth" if rng.random() > 0.35 + 0.6 * skill else "good"
        rows.append(row)
    return rows
