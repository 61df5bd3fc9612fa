"""Does a coordinator see the graded cohort in nbgrader's Formgrader, opened from JupyterLab's menu?

Three synthetic volunteers (``tnv-tong-hop-NN``: synthetic, no real people) hand in the lesson-02
quiz with 9, 5 and 0 answers matching the answer key; the real ``hocvuso quizzes grade`` grades
them into the temporary course's gradebook. The coordinator opens Nbgrader → Formgrader, goes to
the quiz's submissions and must see every volunteer, graded, with the score the gradebook holds.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
from conftest import run_cli
from e2e_support import *  # noqa: F403  (fixtures: lab, page, e2e_workspace, built_quiz, ...)
from e2e_support import E2E, QUIZ, menu, shoot
from playwright.sync_api import expect

pytestmark = E2E

#: synthetic volunteer id → how many answers (from the first item on) match the key
COHORT = {"tnv-tong-hop-01": 9, "tnv-tong-hop-02": 5, "tnv-tong-hop-03": 0}
KEY = re.compile(r"cham\((.*)\)\s*\n### END HIDDEN TESTS")


def answer_key(source_notebook) -> list[str]:
    """One accepted answer per auto-graded item, read from the hidden tests of the source notebook."""
    keys = []
    for cell in nbformat.read(source_notebook, as_version=4).cells:
        match = KEY.search(cell.source)
        if match:
            _item, key = ast.literal_eval(f"({match.group(1)})")
            keys.append(key if isinstance(key, str) else key[0])
    return keys


@pytest.fixture(scope="module")
def graded_cohort(e2e_workspace, built_quiz, tmp_path_factory) -> dict[str, tuple[float, float]]:
    """Write and grade the synthetic submissions; return {volunteer: (score, max score)} from the gradebook."""
    course = e2e_workspace["course"]
    keys = answer_key(course / "source" / QUIZ / f"{QUIZ}.ipynb")
    assert len(keys) >= max(COHORT.values())
    inbox = tmp_path_factory.mktemp("submissions")
    for student, n_right in COHORT.items():
        nb = nbformat.read(e2e_workspace["root"] / built_quiz, as_version=4)
        answers = iter(keys[:n_right])
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.startswith('tra_loi = ""'):
                key = next(answers, None)
                if key is not None:
                    cell.source = f"tra_loi = {key!r}"
        nbformat.write(nb, inbox / f"{QUIZ}_{student}.ipynb")
    result = run_cli("quizzes", "grade", str(inbox), "--workers", "1", env=e2e_workspace["env"])
    assert result.returncode == 0, result.stdout + result.stderr

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: (gb.find_submission(QUIZ, s).score, gb.find_submission(QUIZ, s).max_score) for s in COHORT}
    assert [scores[s][0] for s in COHORT] == [float(n) for n in COHORT.values()], scores
    return scores


def test_coordinator_sees_the_graded_cohort_in_formgrader(lab, page, graded_cohort, screenshots):
    """Nbgrader → Formgrader → the quiz's submissions: every synthetic volunteer, graded, with the gradebook score."""
    page.goto(lab.lab_url(reset=True))
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=60_000)
    menu(page, "Nbgrader", "Formgrader")
    formgrader = page.frame_locator("iframe[src*='formgrader']")
    quiz_row = formgrader.locator("#main-table tr", has_text=QUIZ)
    expect(quiz_row.locator("td.num-submissions")).to_have_text(str(len(COHORT)), timeout=30_000)
    quiz_row.locator("td.num-submissions a").click()

    rows = formgrader.locator("#main-table tr")
    expect(rows).to_have_count(len(COHORT), timeout=30_000)
    for student, (score, max_score) in graded_cohort.items():
        row = formgrader.locator("#main-table tr", has=formgrader.locator("td.student-id", has_text=student))
        expect(row.locator("td.status")).to_have_text("graded")
        expect(row.locator("td.score")).to_have_text(f"{score:g} / {max_score:g}")
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()  # fold the file browser away
    shoot(page, screenshots, "3-formgrader.png")
