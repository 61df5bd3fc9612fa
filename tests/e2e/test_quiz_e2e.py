"""Does a volunteer filling in a released quiz in JupyterLab get the friendly self-check message?

The quiz is built into the temporary course with the real ``hocvuso quizzes build``; the volunteer
opens ``course/release/<quiz>/<quiz>.ipynb``, types answers in the answer cells (one answer written
in a form the grader cannot read), runs all cells and reads the self-check at the bottom. The
message the page must show is computed in this process with ``hocvuso.quizzes.grading.check_form``.
"""

from __future__ import annotations

import ast
import unicodedata

import nbformat
from e2e_support import *  # noqa: F403  (fixtures: lab, page, e2e_workspace, screenshots, ...)
from e2e_support import E2E, NOTEBOOK, QUIZ, open_in_lab, run_all_cells, shoot
from playwright.sync_api import expect

pytestmark = E2E

ANSWER_STUB = 'tra_loi = ""'


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def quiz_items(notebook) -> list[tuple[str, str, str]]:
    """The ``bat_dau(quiz, items)`` call of the start cell, read as data."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for node in ast.walk(ast.parse(cell.source)) if cell.cell_type == "code" else ():
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "bat_dau":
                return ast.literal_eval(node.args[1])
    raise AssertionError(f"{notebook}: no bat_dau(...) start cell")


def expected_messages(items, answers: dict[int, str]) -> dict[int, tuple[str, str]]:
    """(status, message) that check_form gives for each typed answer (item number → …)."""
    from hocvuso.quizzes import grading

    grading._STATE.update({"quiz": QUIZ, "answers": {},
                           "items": {iid: (n, kind, tuple(letters))
                                     for n, (iid, kind, letters) in enumerate(items, start=1)}})
    try:
        return {n: grading.check_form(items[n - 1][0], raw)[::2] for n, raw in answers.items()}
    finally:
        grading._reset()


def test_volunteer_sees_friendly_message_for_a_malformed_answer(lab, page, e2e_workspace, built_quiz,
                                                                screenshots):
    """A letter that is not an option ("z") is flagged in Vietnamese with how to write it; the others pass."""
    items = quiz_items(e2e_workspace["root"] / built_quiz)
    kinds = [kind for _, kind, _ in items]
    assert kinds[0] == "single", kinds  # the answers below are written for this bank's first items
    answers = {1: "z", 2: "b d a c"}  # item 1 malformed, item 2 a well-formed ordering
    expected = expected_messages(items, answers)
    assert expected[1][0] == "malformed" and expected[2][0] == "ok"

    code = [c.source for c in nbformat.read(e2e_workspace["root"] / built_quiz, as_version=4).cells
            if c.cell_type == "code"]
    answer_at = [i for i, source in enumerate(code) if source.startswith(ANSWER_STUB)]
    assert len(answer_at) == len(items), "one answer cell per auto-graded item"

    open_in_lab(page, lab, built_quiz)
    cells = page.locator(f"{NOTEBOOK} .jp-Notebook .jp-CodeCell")
    expect(cells).to_have_count(len(code), timeout=30_000)
    for n, raw in answers.items():
        cell = cells.nth(answer_at[n - 1])
        cell.scroll_into_view_if_needed()  # JupyterLab creates a cell's editor when it comes into view
        editor = cell.locator(".cm-content")
        expect(editor).to_contain_text(ANSWER_STUB, timeout=20_000)
        editor.click()
        editor.fill(f'tra_loi = "{raw}"')
        expect(editor).to_have_text(f'tra_loi = "{raw}"')
    run_all_cells(page)

    selfcheck = page.locator(".jp-OutputArea-output .hv-selfcheck", has_text="Tự kiểm tra")
    selfcheck.wait_for(timeout=60_000)
    text = _nfc(selfcheck.inner_text())
    n_unanswered = len(items) - len(answers)
    assert "1 câu chưa đúng cách ghi" in text, text
    assert f"{n_unanswered} câu chưa trả lời" in text, text
    assert _nfc(expected[1][1]) in text, text  # the friendly line for "z", with the fix
    assert "Câu 2" not in text  # a well-formed answer is not listed (and right/wrong is never said)
    malformed = selfcheck.locator("li.hv-malformed")
    assert malformed.count() == 1
    # The visible check right under the answer says the same thing, next to the cell to fix.
    page.locator(".jp-OutputArea-output .hv-selfcheck", has_text=expected[1][1][:30]).first.wait_for()
    selfcheck.scroll_into_view_if_needed()
    # The Vietnamese instructions in code cells are drawn with a monospace font that has the letters
    # (DejaVu Sans Mono lacks "ể", "ả", … and shows the mark beside the letter).
    family = cells.first.locator(".cm-content").evaluate("el => getComputedStyle(el).fontFamily")
    assert "Noto Sans Mono" in family, family
    shoot(page, screenshots, "2-quiz-selfcheck.png")
