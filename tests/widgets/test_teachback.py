"""Does the teach-back checker find the key elements, flag dismissive words and show model answers?"""

from __future__ import annotations

import copy

import pytest
import yaml

from hocvuso.errors import UserError
from hocvuso.widgets.teachback import TeachbackChecker, TeachbackWidget

CONTENT = {
    "kind": "teachback",
    "id": "thu",
    "title": "Bạn sẽ nói gì?",
    "situation": "Bạn vừa hướng dẫn bác.",
    "elements": [
        {"id": "trach-nhiem", "label": "Nhận trách nhiệm", "keywords": ["cháu chỉ", "rõ chưa"],
         "tip": "Nói «để cháu xem cháu chỉ đã rõ chưa»."},
        {"id": "tu-lam", "label": "Mời bác tự làm lại", "keywords": ["làm lại", "tự làm"],
         "tip": "Nhờ bác tự làm lại."},
    ],
    "avoid": [
        {"phrases": ["dễ mà", "dễ thôi"], "why": "coi thường cái khó"},
        {"phrases": ["sao chậm thế"], "why": "trách người học"},
    ],
    "model_answers": ["Để cháu xem cháu chỉ đã rõ chưa, bác tự làm lại từ đầu nhé."],
    "source": "Nguồn: thử",
}


def write(tmp_path, data):
    path = tmp_path / "thu.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def checker(tmp_path):
    return TeachbackChecker.from_yaml(write(tmp_path, CONTENT))


def test_a_good_answer_has_every_element_and_nothing_flagged(checker):
    result = checker.check("Dạ để cháu xem cháu chỉ đã rõ chưa: bác làm lại cho cháu xem nhé.")
    assert result.good
    assert result.present == ("trach-nhiem", "tu-lam") and result.missing == ()


def test_a_missing_element_is_named_with_its_tip(checker):
    result = checker.check("Bác tự làm lại nhé.")
    assert result.missing == ("trach-nhiem",)
    assert "Chưa thấy ý: Nhận trách nhiệm" in result.message and "cháu chỉ đã rõ chưa" in result.message


@pytest.mark.parametrize("text, phrase", [
    ("Dễ mà bác, bác làm lại đi.", "dễ mà"),
    ("Sao chậm thế, bác tự làm lại đi.", "sao chậm thế"),
    ("de ma bac, bac lam lai di", "dễ mà"),
])
def test_dismissive_words_are_flagged_with_the_reason(checker, text, phrase):
    result = checker.check(text)
    assert not result.good
    assert phrase in [p for p, _ in result.flagged]
    assert f"Tránh nói «{phrase}»" in result.message


def test_text_with_diacritics_is_not_mistaken_for_a_dismissive_phrase(checker):
    result = checker.check("Để mà cháu xem cháu chỉ đã rõ chưa, bác làm lại nhé.")
    assert result.flagged == () and result.good


def test_text_typed_without_diacritics_still_finds_the_elements(checker):
    result = checker.check("de chau xem chau chi da ro chua, bac lam lai nhe")
    assert result.good and "không dấu" in result.message


def test_an_empty_answer_is_not_an_attempt(checker):
    result = checker.check("   ")
    assert not result.attempted and not result.good


def test_the_widget_shows_model_answers_only_after_an_attempt(checker):
    view = TeachbackWidget(checker)
    assert view.answers.value == ""
    view.button.click()  # empty: no model answers yet
    assert view.answers.value == "" and "chưa gõ" in view.feedback.value
    view.input.value = "Dễ mà bác."
    view.button.click()
    assert "dễ mà" in view.feedback.value
    assert "bác tự làm lại từ đầu nhé" in view.answers.value
    assert "hv-teachback" in view.box._dom_classes and "hv-model-answers" in view.answers._dom_classes


@pytest.mark.parametrize(
    "mutate, where, fix",
    [
        (lambda d: d.pop("kind"), "kind", "kind: teachback"),
        (lambda d: d["elements"][1].update(keywords=[]), "element tu-lam", "keywords"),
        (lambda d: d["elements"][1].update(id="trach-nhiem"), "element trach-nhiem", "moi-lam-lai"),
        (lambda d: d.update(model_answers=["Dễ mà, bác làm lại đi."]), "model_answers[1]", "sửa câu mẫu"),
        (lambda d: d.pop("source"), "source", "source"),
    ],
    ids=["no-kind", "empty-keywords", "duplicate-id", "model-answer-fails-own-check", "no-source"],
)
def test_a_broken_teachback_file_names_the_file_the_item_and_the_fix(tmp_path, mutate, where, fix):
    data = copy.deepcopy(CONTENT)
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(UserError) as info:
        TeachbackChecker.from_yaml(path)
    message = info.value.one_line()
    assert str(path) in message and where in message and fix in message, message
