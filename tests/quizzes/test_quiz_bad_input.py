"""Does every kind of bad submission get a clear status, without aborting the batch or touching other scores?"""

from __future__ import annotations

import copy
import csv

import nbformat
import pytest
from quizkit import BANKS, built_course, copy_course, fill, released, submit  # noqa: F401

from hocvuso.quizzes.build import solution_value
from hocvuso.quizzes.grade import grade

Q = "q01-nguoi-hoc-cao-tuoi"
BANK = BANKS[Q]
FULL = BANK.auto_points
RIGHT = {i.id: solution_value(i) for i in BANK.auto_items}


def _answer_index(nb, item_id):
    return next(k for k, c in enumerate(nb.cells) if c.metadata["nbgrader"]["grade_id"] == f"tl-{item_id}")


def _with_code(course, item_id, code):
    nb = fill(released(course, Q), RIGHT)
    nb.cells[_answer_index(nb, item_id)].source = code
    return nb


@pytest.fixture(scope="module")
def batch(built_course, tmp_path_factory):  # noqa: F811
    """One batch holding every bad input next to two good volunteers."""
    tmp = tmp_path_factory.mktemp("bad")
    course = copy_course(built_course, tmp)
    first = BANK.auto_items[0].id
    submit(course, "tnv-good-1", Q, fill(released(course, Q), RIGHT))
    # invalid JSON
    bad = course / "submitted" / "tnv-json" / Q / f"{Q}.ipynb"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"cells": [ {"cell_type": "code", "source": "tra_lo', encoding="utf-8")
    # deleted answer cell (item 2)
    nb = fill(released(course, Q), RIGHT)
    del nb.cells[_answer_index(nb, BANK.auto_items[1].id)]
    submit(course, "tnv-deleted", Q, nb)
    # duplicated answer cell
    nb = fill(released(course, Q), RIGHT)
    k = _answer_index(nb, first)
    dup = copy.deepcopy(nb.cells[k])
    dup.id = "copy-of-answer"
    nb.cells.insert(k + 1, dup)
    submit(course, "tnv-duplicated", Q, nb)
    # edited locked test cell: tries to make a wrong answer pass
    nb = fill(released(course, Q), {**RIGHT, first: "d"})
    test_cell = next(c for c in nb.cells if c.metadata["nbgrader"]["grade_id"] == f"kt-{first}")
    test_cell.source = "pass  # sửa cho qua"
    submit(course, "tnv-edited", Q, nb)
    # infinite loop, huge output, code that raises
    submit(course, "tnv-loop", Q, _with_code(course, first, "while True:\n    pass"))
    submit(course, "tnv-huge", Q, _with_code(course, first, 'print("x" * 300000)\ntra_loi = "a"'))
    submit(course, "tnv-raises", Q, _with_code(course, first, "tra_loi = 1 / 0"))
    # reads the answer key, writes the gradebook
    submit(course, "tnv-key", Q, _with_code(course, first, f'tra_loi = open("../../../source/{Q}/{Q}.ipynb").read()'))
    submit(course, "tnv-db", Q, _with_code(
        course, first, 'import sqlite3\nsqlite3.connect("../../../gradebook.db").execute("update grade set auto_score=99")'))
    # unknown quiz; Vietnamese id with spaces
    submit(course, "tnv-unknown", "q99-khong-co", fill(released(course, Q), RIGHT))
    submit(course, "Trần Văn Bình", Q, fill(released(course, Q), RIGHT))
    submit(course, "tnv-good-2", Q, fill(released(course, Q), {**RIGHT, first: "d"}))
    report = grade(course=course, out=tmp / "out", workers=2, timeout=8, progress=None)
    return course, tmp / "out", {s.student: s for s in report.submissions}


pytestmark = pytest.mark.slow


def test_the_batch_finishes_and_good_volunteers_get_their_own_scores(batch):
    _, _, subs = batch
    assert subs["tnv-good-1"].status == "ok" and subs["tnv-good-1"].score == FULL
    assert subs["tnv-good-2"].status == "ok" and subs["tnv-good-2"].score == FULL - 1


def test_invalid_json_is_reported_not_graded(batch):
    _, _, subs = batch
    assert subs["tnv-json"].status == "invalid-json" and subs["tnv-json"].score is None


def test_a_deleted_answer_cell_costs_only_that_item(batch):
    _, _, subs = batch
    s = subs["tnv-deleted"]
    assert "deleted-answer-cell" in s.status and s.score == FULL - 1
    assert BANK.auto_items[1].id in " ".join(s.details)


def test_a_duplicated_cell_is_reported_and_graded_once(batch):
    _, _, subs = batch
    assert "duplicated-cell" in subs["tnv-duplicated"].status and subs["tnv-duplicated"].score == FULL


def test_an_edited_test_cell_is_restored_so_the_wrong_answer_still_scores_zero(batch):
    _, _, subs = batch
    assert "edited-locked-cell" in subs["tnv-edited"].status and subs["tnv-edited"].score == FULL - 1


def test_an_infinite_loop_times_out_and_the_rest_is_graded(batch):
    _, _, subs = batch
    assert "timeout" in subs["tnv-loop"].status and subs["tnv-loop"].score == FULL - 1


def test_huge_output_is_reported_and_truncated_in_the_autograded_notebook(batch):
    course, _, subs = batch
    s = subs["tnv-huge"]
    assert "huge-output" in s.status and s.score == FULL, (s.status, s.score, s.details)
    nb = nbformat.read(course / "autograded" / "tnv-huge" / Q / f"{Q}.ipynb", as_version=4)
    assert max(len(str(o)) for c in nb.cells if c.cell_type == "code" for o in c.outputs) < 50_000


def test_code_that_raises_costs_only_that_item(batch):
    _, _, subs = batch
    assert "raises" in subs["tnv-raises"].status and subs["tnv-raises"].score == FULL - 1


@pytest.mark.parametrize("student", ["tnv-key", "tnv-db"])
def test_code_reaching_the_answer_key_or_gradebook_is_never_run(batch, student):
    course, _, subs = batch
    assert "forbidden-code" in subs[student].status and subs[student].score == FULL - 1
    # the gradebook was not rewritten: the good volunteer still has exactly full marks
    assert subs["tnv-good-1"].score == FULL


def test_unknown_quiz_is_reported(batch):
    _, _, subs = batch
    assert subs["tnv-unknown"].status == "unknown-quiz"


def test_vietnamese_student_id_is_slugged_and_the_mapping_recorded(batch):
    course, out, subs = batch
    assert subs["tran-van-binh"].score == FULL
    with (out / "student-ids.csv").open(encoding="utf-8") as fh:
        rows = {r["student"]: r["student_id_as_submitted"] for r in csv.DictReader(fh)}
    assert rows["tran-van-binh"] == "Trần Văn Bình"
    assert (course / "submitted" / "tran-van-binh" / Q / f"{Q}.ipynb").exists()


def test_the_formgrader_shows_the_name_as_submitted(batch):
    """Does the gradebook carry the Vietnamese name (family name first) for the formgrader's list?"""
    from nbgrader.api import Gradebook

    course, _, _ = batch
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "hocvuso") as gb:
        student = gb.find_student("tran-van-binh")
        assert (student.last_name, student.first_name) == ("Trần", "Văn Bình")
        plain = gb.find_student("tnv-good-1")
        assert (plain.last_name, plain.first_name) == ("tnv-good-1", "")


def test_the_grading_report_lists_every_submission_with_a_vietnamese_explanation(batch):
    _, out, subs = batch
    text = (out / "grading-report.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in text
    for student in subs:
        assert student in text
    assert "vòng lặp vô hạn" in text and "tệp hỏng" in text
