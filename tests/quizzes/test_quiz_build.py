"""Does `hocvuso quizzes build` write correct nbgrader notebooks and a release without answers?"""

from __future__ import annotations

import json
import os

import nbformat
import pytest
from conftest import ROOT
from quizkit import BANKS, QUIZ_IDS, built_course  # noqa: F401  (fixture)

from hocvuso.quizzes.build import HIDDEN_BEGIN, source_notebook

GOLDEN = ROOT / "tests" / "golden" / "quizzes" / "q01-nguoi-hoc-cao-tuoi.source.ipynb"


def test_built_source_notebook_matches_the_golden_file():
    """Regenerate on purpose with HOCVUSO_UPDATE_GOLDENS=1 (like otter's --update-goldens)."""
    text = nbformat.writes(source_notebook(BANKS["q01-nguoi-hoc-cao-tuoi"])) + "\n"
    if os.environ.get("HOCVUSO_UPDATE_GOLDENS"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), "run with HOCVUSO_UPDATE_GOLDENS=1 once to create the golden file"
    assert text == GOLDEN.read_text(encoding="utf-8"), "built notebook changed; if on purpose, HOCVUSO_UPDATE_GOLDENS=1"


@pytest.mark.parametrize("quiz", QUIZ_IDS)
def test_nbgrader_metadata_is_correct_by_construction(quiz):
    nb = source_notebook(BANKS[quiz])
    metas = [c.metadata["nbgrader"] for c in nb.cells]
    ids = [m["grade_id"] for m in metas]
    assert len(ids) == len(set(ids)) and all(i.isascii() for i in ids)
    assert all(m["schema_version"] == 3 for m in metas)
    graded = [m for m in metas if m["grade"]]
    assert sum(m["points"] for m in graded) == BANKS[quiz].auto_points + BANKS[quiz].reflection.points
    # every prompt cell is locked; answer cells are the only editable code cells
    for cell in nb.cells:
        m = cell.metadata["nbgrader"]
        if m["grade_id"].startswith("de-"):
            assert m["locked"] and cell.cell_type == "markdown"
        if cell.cell_type == "code" and not m["locked"]:
            assert m["solution"] and m["grade_id"].startswith("tl-")
    assert sum(1 for m in metas if m["solution"] and m["grade"]) == 1  # the one manually graded reflection


@pytest.mark.parametrize("quiz", QUIZ_IDS)
def test_release_has_one_line_answer_cells_and_contains_no_answer(built_course, quiz):  # noqa: F811
    path = built_course / "release" / quiz / f"{quiz}.ipynb"
    text = path.read_text(encoding="utf-8")
    assert HIDDEN_BEGIN not in text and "cham(" not in text and "BEGIN SOLUTION" not in text
    nb = nbformat.read(path, as_version=4)
    bank = BANKS[quiz]
    for cell in nb.cells:
        m = cell.metadata["nbgrader"]
        if m["grade_id"].startswith("tl-"):
            assert cell.source.startswith('tra_loi = ""  # Gõ') and "\n" not in cell.source.strip()
    # no correct answer anywhere in the code cells (the key lived only in the hidden tests)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for item in bank.auto_items:
        assert f"cham({json.dumps(item.id)}" not in code
    assert "correct" not in text and "misconception" not in text


def test_release_is_recorded_in_the_gradebook_with_points(built_course):  # noqa: F811
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{built_course / 'gradebook.db'}") as gb:
        names = {a.name for a in gb.assignments}
        assert set(QUIZ_IDS) <= names
        a = gb.find_assignment("q01-nguoi-hoc-cao-tuoi")
        assert a.max_score == BANKS["q01-nguoi-hoc-cao-tuoi"].auto_points + 3


def test_build_cli_writes_into_the_course_dir(course_dir):
    from conftest import run_cli

    res = run_cli("quizzes", "build", "--quiz", "q02-phuong-phap-huong-dan", env={"HOCVUSO_COURSE": str(course_dir)})
    assert res.returncode == 0, res.stderr
    assert (course_dir / "source" / "q02-phuong-phap-huong-dan" / "q02-phuong-phap-huong-dan.ipynb").exists()
    assert (course_dir / "release" / "q02-phuong-phap-huong-dan" / "q02-phuong-phap-huong-dan.ipynb").exists()
    bad = run_cli("quizzes", "build", "--quiz", "q99-khong-co", env={"HOCVUSO_COURSE": str(course_dir)})
    assert bad.returncode == 2 and "q99-khong-co" in bad.stderr and "Traceback" not in bad.stderr


def test_build_can_release_into_an_nbgrader_exchange_for_the_assignments_tab(course_dir, tmp_path):
    from hocvuso.quizzes.build import build

    exchange = tmp_path / "exchange"
    build(course_dir, only=["q01-nguoi-hoc-cao-tuoi"], exchange=exchange, progress=None)
    build(course_dir, only=["q01-nguoi-hoc-cao-tuoi"], exchange=exchange, progress=None)  # again: idempotent
    released = exchange / "hocvuso" / "outbound" / "q01-nguoi-hoc-cao-tuoi" / "q01-nguoi-hoc-cao-tuoi.ipynb"
    assert released.exists()
    assert "BEGIN HIDDEN TESTS" not in released.read_text(encoding="utf-8")
