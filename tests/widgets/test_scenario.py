"""Does the role-play explain each choice, branch, end with a score, and explain broken files?"""

from __future__ import annotations

import copy

import pytest
import yaml

from hocvuso.errors import UserError
from hocvuso.widgets.scenario import Scenario, ScenarioPlayer, ScenarioWidget

CONTENT = {
    "id": "thu",
    "title": "Tình huống thử",
    "persona": {"name": "Bác Thử", "description": "nhân vật hư cấu"},
    "intro": "Bối cảnh.",
    "start": "dau",
    "nodes": {
        "dau": {
            "says": "Cháu bấm giùm bác đi.",
            "options": [
                {"id": "a", "text": "Dạ để cháu bấm.", "points": 0,
                 "feedback": "Cầm máy làm thay thì bác không học được.", "next": "cuu"},
                {"id": "b", "text": "Dạ bác tự bấm, cháu chỉ.", "points": 2,
                 "feedback": "Tay bác trên máy bác.", "next": "giua"},
            ],
        },
        "cuu": {
            "says": "Ừ, cháu bấm đi.",
            "options": [
                {"id": "a", "text": "Cháu trả máy bác.", "points": 1, "feedback": "Cứu vãn.", "next": "giua"},
                {"id": "b", "text": "Xong rồi bác.", "points": 0, "feedback": "Bác không học được gì.",
                 "next": "het-xau"},
            ],
        },
        "giua": {
            "says": "Rồi bấm đâu?",
            "options": [
                {"id": "a", "text": "Bác nhìn góc trên bên phải.", "points": 2, "feedback": "Chỉ hướng nhìn.",
                 "next": "het-tot"},
                {"id": "b", "text": "Dễ mà bác.", "points": 0, "feedback": "Đừng nói «dễ mà».",
                 "next": "het-xau"},
            ],
        },
        "het-tot": {"says": "Bác làm được rồi!", "ending": "Bác tự làm được."},
        "het-xau": {"says": "Thôi để bữa khác.", "ending": "Bác bỏ về."},
    },
    "sources": ["Nguồn: thử"],
}


def write(tmp_path, data):
    path = tmp_path / "thu.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def scenario(tmp_path):
    return Scenario.from_yaml(write(tmp_path, CONTENT))


def test_a_wrong_choice_gives_the_explanation_for_that_choice_and_branches(scenario):
    player = ScenarioPlayer(scenario)
    feedback = player.choose("a")
    assert feedback.explanation == "Cầm máy làm thay thì bác không học được."
    assert feedback.points == 0 and not feedback.best and feedback.verdict == "Chưa nên"
    assert player.node.says == "Ừ, cháu bấm đi."


def test_a_good_choice_is_marked_best_and_moves_the_scene_on(scenario):
    player = ScenarioPlayer(scenario)
    feedback = player.choose("b")
    assert feedback.best and feedback.verdict == "Tốt"
    assert player.node.id == "giua" and not player.finished


def test_a_finished_scene_reports_the_score_and_a_summary(scenario):
    player = ScenarioPlayer(scenario)
    player.choose("a")
    player.choose("a")
    player.choose("a")
    assert player.finished
    assert (player.score, player.max_score) == (3, 4)
    summary = player.summary()
    assert summary.startswith("Điểm: 3/4.")
    assert "Bác tự làm được." in summary and "Dạ để cháu bấm." in summary


def test_the_best_path_earns_the_full_score(scenario):
    player = ScenarioPlayer(scenario)
    player.choose("b")
    player.choose("a")
    assert player.finished and player.score == player.max_score == 4
    assert "tốt nhất ở mọi bước" in player.summary()


def test_restart_starts_over_and_choosing_after_the_end_is_refused(scenario):
    player = ScenarioPlayer(scenario)
    player.choose("b")
    player.choose("b")
    with pytest.raises(ValueError):
        player.choose("a")
    player.restart()
    assert player.node.id == "dau" and player.score == 0 and player.history == []


def test_every_path_is_listed_and_playing_it_reaches_an_ending(scenario):
    paths = scenario.paths()
    assert len(paths) == 5  # a-a-a, a-a-b, a-b, b-a, b-b
    for path in paths:
        player = ScenarioPlayer(scenario)
        for node_id, option_id in path:
            assert player.node.id == node_id
            player.choose(option_id)
        assert player.finished


def _mutated(mutate):
    data = copy.deepcopy(CONTENT)
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate, where, fix",
    [
        (lambda d: d["nodes"]["giua"]["options"][0].update(next="khong-co"), "node giua, option a", "het-tot"),
        (lambda d: d["nodes"]["giua"]["options"][1].update(next="dau"), "node giua, option b", "cảnh mới"),
        (lambda d: d["nodes"].update({"mo-coi": {"says": "…", "ending": "…"}}), "node mo-coi", "thêm một lựa chọn"),
        (lambda d: d["nodes"]["cuu"]["options"][0].update(points=2), "node dau, option a", "giảm 'points'"),
        (lambda d: d["nodes"]["dau"]["options"][1].update(points=3), "node dau, option b", "0 = không nên"),
        (lambda d: d["nodes"]["het-tot"].pop("ending"), "node het-tot", "ending"),
        (lambda d: d["nodes"]["giua"]["options"][0].pop("feedback"), "node giua, option a", "feedback"),
        (lambda d: d.update(start="bat-dau"), "start", "dau"),
        (lambda d: d.pop("sources"), "sources", "Nguồn"),
    ],
    ids=["unknown-next", "loop", "unreachable", "detour-reaches-full-score", "points-out-of-range",
         "ending-without-text", "option-without-feedback", "unknown-start", "no-sources"],
)
def test_a_broken_scenario_names_the_file_the_node_and_the_fix(tmp_path, mutate, where, fix):
    path = write(tmp_path, _mutated(mutate))
    with pytest.raises(UserError) as info:
        Scenario.from_yaml(path)
    message = info.value.one_line()
    assert str(path) in message and where in message and fix in message, message


def test_the_widget_shows_the_feedback_of_a_wrong_click_and_the_final_score(scenario):
    view = ScenarioWidget(scenario)
    assert "hv-scenario" in view.box._dom_classes
    buttons = view.choices.children
    assert [b.description for b in buttons] == ["Dạ để cháu bấm.", "Dạ bác tự bấm, cháu chỉ."]
    assert all("hv-choice" in b._dom_classes for b in buttons)
    buttons[0].click()
    assert "Cầm máy làm thay thì bác không học được." in view.feedback.value
    assert "hv-feedback" in view.feedback._dom_classes
    view.choices.children[0].click()  # recovery
    view.choices.children[0].click()  # guided attention -> ending
    assert "Điểm: 3/4" in view.score.value and "kết thúc" in view.score.value
    assert "hv-score" in view.score._dom_classes
    assert "Bác tự làm được." in view.summary.value
    assert view.choices.children == ()
    view.restart_button.click()
    assert "Điểm: 0/4" in view.score.value and view.feedback.value == ""
