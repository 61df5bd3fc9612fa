"""Does the teaching-demo rubric load, agree with the syllabus, and apply the 3-growth-marks redo rule?"""

from __future__ import annotations

import unicodedata

import pytest
import yaml
from conftest import ROOT

from hocvuso.curriculum import load_syllabus
from hocvuso.errors import UserError
from hocvuso.rubric import demo_outcome, load_rubric


@pytest.fixture(scope="module")
def rubric():
    return load_rubric()


def marks_with_growth(rubric, n, growth="growth"):
    ids = rubric.criterion_ids
    return {cid: (growth if i < n else "good") for i, cid in enumerate(ids)}


def test_the_rubric_has_the_carpentries_style_criteria(rubric):
    ids = set(rubric.criterion_ids)
    assert {"slow-pace", "explains-each-action", "no-dismissive-words", "learner-taps"} <= ids
    assert rubric.mark_labels["good"]["vi"] == "tốt" and rubric.mark_labels["growth"]["vi"] == "cần cải thiện"
    assert all(c.vi and c.en for c in rubric.criteria)


def test_the_rubric_threshold_and_path_agree_with_the_syllabus(rubric):
    syllabus = load_syllabus()
    assert rubric.redo_if_growth_marks_at_least == syllabus.redo_if_growth_marks_at_least == 3
    assert rubric.path == ROOT / "curriculum" / syllabus.teaching_demo_rubric


def test_the_rubric_text_is_nfc():
    text = (ROOT / "curriculum" / "rubrics" / "teaching-demo.yml").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("growth, expected", [(0, "passed"), (2, "passed"), (3, "redo"), (5, "redo")])
def test_three_or_more_growth_marks_mean_redo(rubric, growth, expected):
    outcome = demo_outcome(marks_with_growth(rubric, growth), rubric)
    assert outcome.outcome == expected
    assert outcome.passed is (expected == "passed")
    assert outcome.growth_count == growth


def test_vietnamese_mark_names_are_accepted(rubric):
    outcome = demo_outcome(marks_with_growth(rubric, 3, growth="cần cải thiện") | {"slow-pace": "tốt"}, rubric)
    assert outcome.growth_count == 2 and outcome.passed
    assert "Đạt" in outcome.message_vi()


def test_an_unmarked_criterion_is_an_error_naming_it(rubric):
    marks = marks_with_growth(rubric, 0)
    marks.pop("learner-taps")
    with pytest.raises(UserError) as info:
        demo_outcome(marks, rubric, where="demo.csv row 4")
    assert "demo.csv row 4 [learner-taps]" in info.value.one_line()


def test_an_unknown_mark_is_an_error_naming_the_criterion(rubric):
    marks = marks_with_growth(rubric, 0) | {"teach-back": "ok"}
    with pytest.raises(UserError) as info:
        demo_outcome(marks, rubric)
    assert "[teach-back]" in info.value.one_line() and "cần cải thiện" in info.value.one_line()


def test_a_broken_rubric_names_the_file_the_criterion_and_the_fix(tmp_path):
    data = yaml.safe_load((ROOT / "curriculum" / "rubrics" / "teaching-demo.yml").read_text(encoding="utf-8"))
    data["criteria"][2].pop("en")
    path = tmp_path / "teaching-demo.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_rubric(path)
    message = info.value.one_line()
    assert str(path) in message and "criterion learner-taps" in message and "fix" in message
