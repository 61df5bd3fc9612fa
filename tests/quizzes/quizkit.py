"""Shared helpers for the quiz tests: one built course per session (building takes a few seconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from hocvuso.quizzes.bank import load_banks


def _valid_banks() -> dict:
    """Banks that load now (others' banks may be mid-edit; test_quiz_bank checks every bank loads)."""
    from hocvuso.curriculum import load_syllabus

    out = {}
    for qid in load_syllabus().quizzes:
        try:
            out.update(load_banks(only=[qid]))
        except Exception:  # noqa: BLE001
            continue
    return out


BANKS = _valid_banks()
QUIZ_IDS = sorted(BANKS)


@pytest.fixture(scope="session")
def built_course(tmp_path_factory) -> Path:
    """A course with every bank present built and released (shared, treat as read-only)."""
    from hocvuso.quizzes.build import build

    course = tmp_path_factory.mktemp("built") / "course"
    course.mkdir()
    shutil.copy(ROOT / "course" / "nbgrader_config.py", course / "nbgrader_config.py")
    build(course, only=QUIZ_IDS, progress=None)
    return course


def copy_course(built: Path, dest: Path) -> Path:
    """A private copy of the built course (source, release, gradebook) for a test that grades."""
    target = dest / "course"
    shutil.copytree(built, target, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    return target


def answer_cells(nb) -> list:
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"]


def fill(nb, answers: dict[str, str]):
    """Write answers (item id → what the volunteer typed) into a released notebook, in place."""
    for cell in answer_cells(nb):
        item = cell.metadata["nbgrader"]["grade_id"].removeprefix("tl-")
        if item in answers:
            cell.source = f"tra_loi = {answers[item]!r}"
    return nb


def released(course: Path, quiz: str):
    return nbformat.read(course / "release" / quiz / f"{quiz}.ipynb", as_version=4)


def submit(course: Path, student: str, quiz: str, nb) -> Path:
    path = course / "submitted" / student / quiz / f"{quiz}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
