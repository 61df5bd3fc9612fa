"""Does the step-ordering exercise name the first wrong position and explain broken content files?"""

from __future__ import annotations

import pytest
import yaml

from hocvuso.errors import UserError
from hocvuso.widgets.ordering import OrderingExercise, OrderingWidget

CONTENT = {
    "id": "thu",
    "title": "Thứ tự",
    "instructions": "Sắp xếp các bước.",
    "steps": [
        {"id": "mot", "text": "Bước một", "hint": "Bắt đầu bằng bước một."},
        {"id": "hai", "text": "Bước hai", "hint": "Bước hai đứng sau bước một."},
        {"id": "ba", "text": "Bước ba"},
        {"id": "bon", "text": "Bước bốn"},
    ],
    "source": "Nguồn: thử nghiệm",
}


def write(tmp_path, data, name="thu.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def exercise(tmp_path):
    return OrderingExercise.from_yaml(write(tmp_path, CONTENT))


def test_the_correct_order_is_accepted(exercise):
    result = exercise.check(["mot", "hai", "ba", "bon"])
    assert result.correct and result.first_wrong is None
    assert "4 bước" in result.message


def test_feedback_names_the_first_wrong_position_and_gives_the_hint_for_it(exercise):
    result = exercise.check(["mot", "ba", "hai", "bon"])
    assert not result.correct
    assert result.first_wrong == 2
    assert result.expected == "hai" and result.placed == "ba"
    assert "Vị trí 2" in result.message
    assert "Bước hai đứng sau bước một." in result.message
    assert "Bước 1 đã đúng" in result.message


def test_only_the_first_wrong_position_is_reported_when_several_are_wrong(exercise):
    result = exercise.check(["bon", "ba", "hai", "mot"])
    assert result.first_wrong == 1
    assert "Vị trí 1" in result.message and "Vị trí 2" not in result.message


def test_an_order_that_misses_a_step_is_refused_with_the_step_list(exercise):
    with pytest.raises(UserError) as info:
        exercise.check(["mot", "hai", "ba"])
    assert "mot, hai, ba, bon" in info.value.one_line()


def test_the_start_order_is_shuffled_reproducibly_and_never_already_correct(exercise):
    first = exercise.initial_order()
    assert first != list(exercise.answer)
    assert sorted(first) == sorted(exercise.answer)
    assert exercise.initial_order() == first


@pytest.mark.parametrize(
    "mutate, where, fix",
    [
        (lambda d: d["steps"][1].pop("text"), "step hai", "text"),
        (lambda d: d["steps"][2].update(id="Bước 3"), "steps[3]", "ASCII"),
        (lambda d: d["steps"][3].update(id="mot"), "step mot", "mỗi bước một id"),
        (lambda d: d.update(steps=d["steps"][:2]), "steps", "ít nhất 3"),
        (lambda d: d.pop("title"), "title", "title"),
        (lambda d: d["steps"][0].update(giai_thich="x"), "step mot", "id, text, hint"),
    ],
    ids=["no-text", "bad-id", "duplicate-id", "too-few", "no-title", "unknown-key"],
)
def test_a_broken_content_file_names_the_file_the_step_and_the_fix(tmp_path, mutate, where, fix):
    data = yaml.safe_load(yaml.safe_dump(CONTENT))
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(UserError) as info:
        OrderingExercise.from_yaml(path)
    message = info.value.one_line()
    assert str(path) in message and where in message and fix in message, message


def test_the_widget_buttons_move_steps_and_show_the_feedback(exercise):
    view = OrderingWidget(exercise)
    view.order = ["mot", "ba", "hai", "bon"]
    view._render()
    view.move(1, +1)  # what the ▼ button of row 2 does
    assert view.order == ["mot", "hai", "ba", "bon"]
    result = view.check()
    assert result.correct and "Đúng hết" in view.feedback.value
    assert "hv-ordering" in view.box._dom_classes
    assert all("hv-step" in row._dom_classes for row in view.rows.children)


def test_clicking_check_on_a_wrong_order_shows_the_position_in_the_page(exercise):
    view = OrderingWidget(exercise)
    view.order = ["hai", "mot", "ba", "bon"]
    check_button = view.check_button
    assert any(check_button in getattr(child, "children", ()) for child in view.box.children)
    assert check_button.description == "Kiểm tra" and "hv-check" in check_button._dom_classes
    check_button.click()
    assert "Vị trí 1" in view.feedback.value and "hv-feedback" in view.feedback._dom_classes


def test_first_wrong_is_always_the_first_position_that_differs_from_the_answer(exercise):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None)
    @given(st.permutations(list(exercise.answer)))
    def check(order):
        result = exercise.check(order)
        mismatches = [i for i, (a, b) in enumerate(zip(order, exercise.answer, strict=True), start=1) if a != b]
        assert result.correct is (not mismatches)
        assert result.first_wrong == (mismatches[0] if mismatches else None)

    check()
