"""Are the lesson content files of modules 00, 01, 02 and 08 valid, reachable, NFC and sourced?

Covers every scenario and exercise under curriculum/ (whoever wrote it), the lesson header helpers,
and the notebooks 00, 01, 02, 08: header from the syllabus, >= 2 interactive practices, a "Nguồn"
note for every principle, and no contradiction with the survey instrument's participant code.
"""

from __future__ import annotations

import re
import unicodedata

import nbformat
import pytest
import yaml
from conftest import ROOT

from hocvuso.curriculum import load_syllabus
from hocvuso.rubric import load_rubric
from hocvuso.widgets.lesson import RubricSelfCheck, check_practice_answer, header_html, key_points_html
from hocvuso.widgets.ordering import OrderingExercise, OrderingWidget
from hocvuso.widgets.scenario import Scenario, ScenarioPlayer, ScenarioWidget
from hocvuso.widgets.teachback import TeachbackChecker

SCENARIOS = sorted((ROOT / "curriculum" / "scenarios").glob("*.yml"))
EXERCISES = sorted((ROOT / "curriculum" / "exercises").glob("*.yml"))
MY_MODULES = ["00-bat-dau", "01-nguoi-hoc-cao-tuoi", "02-phuong-phap-huong-dan", "08-to-chuc-buoi-hoc"]
PRACTICE_CALLS = re.compile(r"\b(show_scenario|show_ordering|show_teachback|practice_answer|show_rubric_selfcheck)\(")


def ids(paths):
    return [p.name for p in paths]


def load_exercise(path):
    kind = yaml.safe_load(path.read_text(encoding="utf-8")).get("kind", "ordering")
    if kind == "teachback":
        return TeachbackChecker.from_yaml(path)
    assert kind == "ordering", f"{path}: unknown kind {kind!r} (ordering | teachback)"
    return OrderingExercise.from_yaml(path)


def notebook(module_id):
    return nbformat.read(ROOT / "notebooks" / f"{module_id}.ipynb", as_version=4)


# ---------------------------------------------------------------- content files
@pytest.mark.parametrize("path", SCENARIOS + EXERCISES, ids=ids(SCENARIOS + EXERCISES))
def test_content_file_is_nfc(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("path", SCENARIOS, ids=ids(SCENARIOS))
def test_every_scenario_loads_and_every_branch_ends_with_a_score(path):
    scenario = Scenario.from_yaml(path)
    assert "hư cấu" in scenario.persona_description, "personas must say they are fictional"
    assert all(s.startswith("Nguồn") for s in scenario.sources)
    paths = scenario.paths()
    used = {(n, o) for p in paths for n, o in p}
    assert used == {(n.id, o.id) for n in scenario.nodes.values() for o in n.options}, "every option is played"
    best = 0
    for trail in paths:
        player = ScenarioPlayer(scenario)
        for _node, option in trail:
            feedback = player.choose(option)
            assert feedback.explanation
        assert player.finished and player.summary().startswith(f"Điểm: {player.score}/{player.max_score}")
        best = max(best, player.score)
    assert best == scenario.max_score()
    ScenarioWidget(scenario)  # the view builds from real content


@pytest.mark.parametrize("path", EXERCISES, ids=ids(EXERCISES))
def test_every_exercise_loads_and_its_model_answer_or_order_is_accepted(path):
    exercise = load_exercise(path)
    if isinstance(exercise, OrderingExercise):
        assert exercise.check(exercise.answer).correct
        assert not exercise.check(exercise.initial_order()).correct
        OrderingWidget(exercise)
    else:
        assert all(exercise.check(a).good for a in exercise.model_answers)
        assert not exercise.check("Dễ mà bác.").good


def test_content_names_are_unique_and_match_the_file_names():
    for path in SCENARIOS + EXERCISES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data.get("id", path.stem) == path.stem, path


# ---------------------------------------------------------------- lesson helpers
def test_header_is_generated_from_the_syllabus():
    syllabus = load_syllabus()
    for module_id in MY_MODULES:
        module = syllabus.module(module_id)
        html = header_html(module_id, syllabus)
        assert module.title_vi in html
        assert f"{int(module.total_minutes)} phút" in html
        assert all(o in html.replace("&#x27;", "'") for o in module.objectives)
        assert not any(n in html for n in module.instructor_notes), "instructor notes stay out of learner text"


def test_key_points_come_from_the_syllabus():
    module = load_syllabus().module("02-phuong-phap-huong-dan")
    html = key_points_html(module.id)
    assert all(p in html for p in module.key_points)


@pytest.mark.parametrize("answer, ok", [("shift + enter", True), ("Shift+Enter", True), ("Ctrl + Enter", False), ("", False)])
def test_practice_answer_ignores_case_and_spaces(answer, ok):
    assert check_practice_answer(answer, ["Shift + Enter"]).correct is ok


def test_rubric_self_check_gives_the_outcome_only_when_every_criterion_is_marked():
    state = RubricSelfCheck(load_rubric())
    ids_ = state.rubric.criterion_ids
    for cid in ids_[:-1]:
        state.set(cid, "growth" if cid in ids_[:3] else "good")
    assert state.outcome() is None and "Đã chấm" in state.message()
    state.set(ids_[-1], "tốt")
    assert state.outcome().outcome == "redo" and "dạy lại" in state.message()


# ---------------------------------------------------------------- notebooks
@pytest.mark.parametrize("module_id", MY_MODULES)
def test_notebook_starts_with_the_syllabus_header_and_has_two_practices(module_id):
    nb = notebook(module_id)
    first = nb.cells[0]
    assert first.cell_type == "code" and f'show_header("{module_id}")' in first.source
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert len(PRACTICE_CALLS.findall(sources)) >= 2
    for name in re.findall(r'show_(?:scenario|ordering|teachback)\("([^"]+)"\)', sources):
        folder = "scenarios" if f'show_scenario("{name}")' in sources else "exercises"
        assert (ROOT / "curriculum" / folder / f"{name}.yml").exists(), name


@pytest.mark.parametrize("module_id", MY_MODULES)
def test_notebook_text_is_nfc_and_every_principle_section_names_its_source(module_id):
    nb = notebook(module_id)
    for cell in nb.cells:
        assert unicodedata.normalize("NFC", cell.source) == cell.source
    if module_id == "00-bat-dau":
        return
    sections = [c.source for c in nb.cells if c.cell_type == "markdown" and re.match(r"^## \d+\.", c.source)]
    assert sections
    unsourced = [s.splitlines()[0] for s in sections if "Nguồn" not in s]
    assert not unsourced, f"sections without a Nguồn note: {unsourced}"


def test_teach_back_is_presented_as_borrowed_and_not_yet_trialled():
    text = "\n".join(c.source for c in notebook("02-phuong-phap-huong-dan").cells)
    assert "hiểu biết sức khỏe" in text and "chưa được thử nghiệm" in text


def test_survey_lesson_agrees_with_the_instrument_participant_code():
    instrument = yaml.safe_load((ROOT / "surveys" / "instruments" / "hocvuso-pre-post.yml").read_text(encoding="utf-8"))
    item = next(i for i in instrument["items"] if i["id"] == "participant_code")
    pattern = re.compile(item["pattern"])
    text = "\n".join(c.source for c in notebook("08-to-chuc-buoi-hoc").cells)
    examples = re.findall(r"\b[A-Z]{2}\d{4}\b", text)
    assert examples and all(pattern.match(e) for e in examples)
    assert "chữ cái đầu tên mẹ" in text and "không bao giờ" in text.lower()
