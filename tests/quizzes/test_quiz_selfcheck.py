"""Does a volunteer running a released quiz get instant, friendly Vietnamese messages and never a traceback?"""

from __future__ import annotations

import pytest
from nbclient import NotebookClient
from quizkit import BANKS, built_course, fill, released  # noqa: F401

from hocvuso.quizzes.grading import MALFORMED, UNANSWERED

Q = "q01-nguoi-hoc-cao-tuoi"


def _run(nb, cwd):
    NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _texts(cell) -> str:
    out = []
    for o in cell.get("outputs", []):
        out.append(o.get("text", ""))
        out.extend(str(v) for v in o.get("data", {}).values())
        out.extend(o.get("traceback", []))
    return "\n".join(out)


@pytest.fixture(scope="module")
def ran(built_course, tmp_path_factory):  # noqa: F811
    items = BANKS[Q].auto_items
    nb = fill(released(built_course, Q), {items[0].id: "b)", items[1].id: "a, z", items[3].id: "B-C-A-D"})
    # a volunteer forgets the quotes in item 5
    answer5 = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == f"tl-{items[4].id}")
    answer5.source = "tra_loi = b"
    return _run(nb, tmp_path_factory.mktemp("run"))


pytestmark = pytest.mark.slow


def test_self_check_lists_unanswered_and_malformed_answers_with_a_stable_class(ran):
    last = ran.cells[-1]
    assert last.metadata["nbgrader"]["grade_id"] == "tu-kiem-tra"
    html = next(o["data"]["text/html"] for o in last.outputs if "text/html" in o.get("data", {}))
    assert 'class="hv-selfcheck"' in html
    assert MALFORMED in html and UNANSWERED in html
    assert "Câu 2" in html and "Câu 1:" not in html  # item 1 ("b)") is well-formed: not listed


def test_self_check_never_says_whether_an_answer_is_right(ran):
    text = _texts(ran.cells[-1])
    assert "đúng cách ghi" in text and "sai" not in text.replace("không cho biết đáp án đúng hay sai", "")


def test_each_test_cell_confirms_or_explains_the_form_of_the_answer(ran):
    by_id = {c.metadata["nbgrader"]["grade_id"]: c for c in ran.cells}
    items = BANKS[Q].auto_items
    assert 'đã ghi nhận câu trả lời "b"' in _texts(by_id[f"kt-{items[0].id}"])
    assert MALFORMED in _texts(by_id[f"kt-{items[1].id}"])
    assert 'đã ghi nhận câu trả lời "b → c → a → d"' in _texts(by_id[f"kt-{items[3].id}"])


def test_no_output_anywhere_is_a_python_traceback(ran):
    for cell in ran.cells:
        text = _texts(cell)
        assert "Traceback (most recent call last)" not in text and "File \"" not in text, cell.source
    forgot_quotes = next(c for c in ran.cells if c.source == "tra_loi = b")
    assert "dấu nháy" in _texts(forgot_quotes)


def test_release_runs_top_to_bottom_without_errors_when_blank(built_course, tmp_path):  # noqa: F811
    """'Run all' on a fresh quiz must reach the self-check (a test cell never raises in the release)."""
    nb = _run(released(built_course, Q), tmp_path)
    errors = [c for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors
    assert UNANSWERED in _texts(nb.cells[-1])
    assert nb.cells[-1].outputs[0]["data"]["text/plain"].count("Câu ") == len(BANKS[Q].auto_items)


def test_running_a_test_cell_twice_keeps_the_recorded_answer():
    """In-process: the helpers work without a kernel too (the namespace is then empty)."""
    from hocvuso.quizzes import grading
    from hocvuso.quizzes.selfcheck import summary

    grading.bat_dau("q", [("x", "single", "abcd"), ("y", "ordering", "abcd")])
    ns = grading._user_ns()
    if ns == {}:  # outside IPython: simulate the answer by recording it directly
        grading._STATE["answers"]["x"] = ("ok", "b", "b")
    grading.kiem_tra("x")  # no tra_loi now: must keep "b"
    assert grading._STATE["answers"]["x"][1] == "b"
    assert [s for s, _ in summary()] == ["ok", "unanswered"]
    grading._reset()
