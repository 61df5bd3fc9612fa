"""Does the password explainer judge the VNeID rule while never keeping or showing the typed text?"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hocvuso.widgets.password import (
    PasswordChecker,
    PasswordWidget,
    explain,
    features,
)

SECRET = "Ngua!Hong7Truc"


def _everything_visible(widget: PasswordWidget) -> str:
    """All state the kernel holds or could send to a browser, plus every repr."""
    parts = [repr(widget), repr(widget.checker), repr(widget.checker.last), repr(vars(widget.checker))]
    stack = [widget.box]
    while stack:
        w = stack.pop()
        parts.append(repr(w.get_state()))
        parts.append(repr(w))
        stack.extend(getattr(w, "children", ()))
    return "\n".join(parts)


@pytest.mark.parametrize(
    "text, meets",
    [
        ("Ngua!Hong7Truc", True),
        ("Ab1!efgh", True),              # exactly 8
        ("Ab1!" + "x" * 16, True),       # exactly 20
        ("Ab1!efg", False),              # 7: too short
        ("Ab1!" + "x" * 17, False),      # 21: too long
        ("abcdefg1!", False),            # no upper case
        ("ABCDEFG1!", False),            # no lower case
        ("Abcdefgh!", False),            # no digit
        ("Abcdefgh1", False),            # no special character
    ],
)
def test_vneid_rule_needs_8_to_20_chars_with_upper_lower_digit_special(text, meets):
    assert explain(features(text)).meets_vneid_rule is meets


def test_explanation_says_what_is_missing_in_vietnamese():
    result = explain(features("matkhau"))
    assert not result.meets_vneid_rule
    missing = [label for label, ok in result.checks if not ok]
    assert any("Độ dài" in m for m in missing) and any("chữ hoa" in m for m in missing)
    assert any("Thêm 1 ký tự" in a for a in result.advice)
    assert any("Còn thiếu" in a and "chữ số" in a for a in result.advice)


def test_accented_letters_are_flagged_not_counted_as_plain_letters():
    feats = features("Mậtkhẩu1!")
    assert feats.accented
    assert any("chữ không dấu" in a for a in explain(feats).advice)


def test_longer_password_needs_more_guesses():
    assert features("Ab1!efghijkl").guesses_log10 > features("Ab1!efgh").guesses_log10


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=2, max_size=30))
def test_explanation_depends_only_on_counts_never_on_the_text_itself(text):
    """The same characters in reverse order give the same explanation: nothing of the text survives."""
    assume(not any(unicodedata.combining(c) for c in text))  # reversing would re-compose accents
    assert explain(features(text)) == explain(features(text[::-1]))


def test_widget_clears_the_box_and_keeps_no_trace_of_what_was_typed(capsys):
    widget = PasswordWidget()
    widget.input.value = SECRET
    result = widget.check()
    assert result.meets_vneid_rule
    assert widget.input.value == ""
    assert "Đạt quy định" in widget.feedback.value
    seen = _everything_visible(widget) + capsys.readouterr().out
    assert SECRET not in seen
    assert SECRET[:6] not in seen  # not even a prefix


def test_checker_remembers_only_features():
    checker = PasswordChecker()
    checker.check(SECRET)
    assert SECRET not in repr(vars(checker)) and SECRET not in repr(checker.last)
    assert checker.last.features.length == len(SECRET)
