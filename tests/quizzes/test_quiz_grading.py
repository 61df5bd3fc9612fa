"""Does grading give the right scores for every quiz, and is the feedback helpful without leaking the key?"""

from __future__ import annotations

import csv
import random

import pytest
from quizkit import BANKS, QUIZ_IDS, built_course, copy_course, fill, released, submit  # noqa: F401

from hocvuso.quizzes.cohort import right_answer, wrong_answer
from hocvuso.quizzes.grade import grade, slugify


def representative(bank):
    """First half of the items right (typed in varied ways), the rest a diagnostic distractor."""
    rng = random.Random(1)
    items = bank.auto_items
    half = len(items) // 2
    answers = {i.id: right_answer(i, rng) for i in items[:half]}
    answers.update({i.id: wrong_answer(i, rng) for i in items[half:]})
    return answers, sum(i.points for i in items[:half])


@pytest.fixture(scope="module")
def graded(built_course, tmp_path_factory):  # noqa: F811
    tmp = tmp_path_factory.mktemp("grading")
    course = copy_course(built_course, tmp)
    for q in QUIZ_IDS:
        bank = BANKS[q]
        submit(course, "tnv-solution", q, fill(released(course, q), {i.id: right_answer(i) for i in bank.auto_items}))
        submit(course, "tnv-blank", q, released(course, q))
        submit(course, "tnv-partial", q, fill(released(course, q), representative(bank)[0]))
    report = grade(course=course, out=tmp / "out", workers=2, progress=None)
    return course, tmp / "out", report.by_key()


pytestmark = pytest.mark.slow


@pytest.mark.parametrize("quiz", QUIZ_IDS)
def test_the_solution_scores_full_marks(graded, quiz):
    _, _, subs = graded
    s = subs[("tnv-solution", quiz)]
    assert s.status == "ok" and s.score == BANKS[quiz].auto_points == s.max_score


@pytest.mark.parametrize("quiz", QUIZ_IDS)
def test_the_released_blank_scores_zero(graded, quiz):
    _, _, subs = graded
    assert subs[("tnv-blank", quiz)].score == 0


@pytest.mark.parametrize("quiz", QUIZ_IDS)
def test_a_representative_wrong_submission_scores_the_expected_partial_marks(graded, quiz):
    _, _, subs = graded
    assert subs[("tnv-partial", quiz)].score == representative(BANKS[quiz])[1]


def test_per_item_scores_csv_has_one_row_per_volunteer_and_item(graded):
    _, out, _ = graded
    with (out / "item-scores.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 * sum(len(BANKS[q].auto_items) for q in QUIZ_IDS)
    partial = [r for r in rows if r["student"] == "tnv-partial" and r["quiz"] == QUIZ_IDS[0]]
    assert [float(r["score"]) for r in partial] == [
        1.0 if k < len(partial) // 2 else 0.0 for k in range(len(partial))]
    assert {r["answer_status"] for r in rows if r["student"] == "tnv-blank"} == {"unanswered"}


def test_feedback_explains_wrong_answers_with_their_misconception(graded):
    _, out, _ = graded
    page = (out / "feedback" / "tnv-partial.html").read_text(encoding="utf-8")
    assert 'lang="vi"' in page and "hv-feedback" in page
    bank = BANKS[QUIZ_IDS[0]]
    wrong_single = next(i for i in bank.auto_items[len(bank.auto_items) // 2:] if i.type in ("single", "scenario"))
    chosen = wrong_answer(wrong_single, random.Random(0))
    # the note for the option this volunteer chose is there (html-escaped quotes aside)
    note = wrong_single.option(chosen).misconception.replace('"', "&#34;")
    assert note in page


def test_feedback_never_shows_hidden_tests_or_the_answer_key(graded):
    """nbgrader issue #917: feedback must not reveal hidden tests."""
    _, out, _ = graded
    for page in (out / "feedback").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and "cham(" not in text
    partial = (out / "feedback" / "tnv-partial.html").read_text(encoding="utf-8")
    for q in QUIZ_IDS:
        for item in BANKS[q].auto_items[len(BANKS[q].auto_items) // 2:]:
            # explanations of the right option of items this volunteer got wrong are not shown
            for o in item.options:
                if o.correct and o.why:
                    assert o.why.replace('"', "&#34;") not in partial, (q, item.id)
            if item.type == "ordering":
                assert " → ".join(item.answer) not in partial


def test_grading_writes_into_a_second_gradebook_given_by_url(built_course, tmp_path):  # noqa: F811
    course = copy_course(built_course, tmp_path)
    q = QUIZ_IDS[0]
    submit(course, "tnv-solution", q, fill(released(course, q), {i.id: right_answer(i) for i in BANKS[q].auto_items}))
    other = f"sqlite:///{tmp_path / 'other.db'}"
    report = grade(course=course, db_url=other, out=tmp_path / "out", workers=1, progress=None)
    assert report.by_key()[("tnv-solution", q)].score == BANKS[q].auto_points
    from nbgrader.api import Gradebook

    with Gradebook(other) as gb:
        assert gb.find_submission(q, "tnv-solution").score == BANKS[q].auto_points


def test_a_bad_gradebook_url_is_a_user_error(built_course, tmp_path):  # noqa: F811
    from hocvuso.errors import UserError

    with pytest.raises(UserError) as exc:
        grade(course=built_course, db_url="mysql://x", out=tmp_path, progress=None)
    assert "--db" in exc.value.one_line()


@pytest.mark.parametrize("raw,slug", [("Nguyễn Thị Mai", "nguyen-thi-mai"), ("Đỗ  Văn Đức", "do-van-duc"),
                                      ("tnv-demo-001", "tnv-demo-001")])
def test_student_ids_become_ascii_slugs(raw, slug):
    assert slugify(raw) == slug


def test_cli_grades_a_zip_of_downloaded_notebooks_named_either_way(built_course, tmp_path):  # noqa: F811
    import zipfile

    import nbformat
    from conftest import run_cli

    course = copy_course(built_course, tmp_path)
    q = QUIZ_IDS[0]
    full = {i.id: right_answer(i) for i in BANKS[q].auto_items}
    archive = tmp_path / "tai-ve.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"{q}_tnv-zip-1.ipynb", nbformat.writes(fill(released(course, q), full)))
        zf.writestr(f"tnv-zip-2/{q}.ipynb", nbformat.writes(released(course, q)))
    res = run_cli("quizzes", "grade", str(archive), "--course", str(course), "--workers", "1",
                  "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    with (tmp_path / "out" / "grading-report.csv").open(encoding="utf-8") as fh:
        rows = {r["student"]: r for r in csv.DictReader(fh)}
    assert float(rows["tnv-zip-1"]["score"]) == BANKS[q].auto_points and float(rows["tnv-zip-2"]["score"]) == 0
    assert (course / "submitted" / "tnv-zip-1" / q / f"{q}.ipynb").exists()


def test_a_zip_with_unsafe_paths_is_refused(built_course, tmp_path):  # noqa: F811
    import zipfile

    from conftest import run_cli

    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../escape.ipynb", "{}")
    res = run_cli("quizzes", "grade", str(archive), "--course", str(built_course), "--out", str(tmp_path / "o"))
    assert res.returncode == 2 and "zip" in res.stderr and "Traceback" not in res.stderr
