"""Does a coordinator see the graded cohort in nbgrader's Formgrader, opened from JupyterLab's menu?

Three synthetic volunteers (``tnv-tong-hop-NN``: synthetic, no real people) hand in the lesson-02
quiz with 9, 5 and 0 answers matching the answer key; the real ``hocvuso quizzes grade`` grades
them into the temporary course's gradebook. The coordinator opens Nbgrader → Formgrader, goes to
the quiz's submissions and must see every volunteer, graded, with the score the gradebook holds.
"""

from __future__ import annotations

from e2e_support import *  # noqa: F403  (fixtures: lab, page, graded_cohort, screenshots, ...)
from e2e_support import COHORT, E2E, QUIZ, menu, shoot
from playwright.sync_api import expect

pytestmark = E2E

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
