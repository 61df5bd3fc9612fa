"""Does the scam spotter load its messages, judge answers and explain the red flags afterwards?"""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

from hocvuso.errors import UserError
from hocvuso.widgets.scam import VERDICTS, ScamSpotter, ScamSpotterWidget, render_message

SCAM_FILES = sorted((ROOT / "curriculum" / "scams").glob("*.yml"))


@pytest.mark.parametrize("path", SCAM_FILES, ids=lambda p: p.stem)
def test_every_scam_file_loads_and_uses_all_three_kinds_of_channel_or_verdict(path):
    spotter = ScamSpotter.from_yaml(path)
    assert spotter.id == path.stem
    verdicts = {m.verdict for m in spotter.messages}
    # A spotter where every answer is "lừa đảo" teaches nothing: each file needs a safe or doubtful one.
    assert "lua-dao" in verdicts and len(verdicts) >= 2, path.name
    assert spotter.source.startswith("Nguồn")


def test_all_channels_appear_across_the_curriculum():
    channels = {m.channel for p in SCAM_FILES for m in ScamSpotter.from_yaml(p).messages}
    assert channels == {"sms", "zalo", "call"}


def test_right_answer_is_confirmed_and_red_flags_are_given():
    spotter = ScamSpotter.load("07-lua-dao-nguoi-cao-tuoi")
    fb = spotter.check("gia-cong-an-cap-nhat-cu-tru", "lua-dao")
    assert fb.correct
    assert fb.message.startswith("Đúng")
    assert any("link" in flag for flag in fb.red_flags)
    assert fb.explanation


def test_wrong_answer_names_both_the_choice_and_the_expected_label():
    spotter = ScamSpotter.load("07-lua-dao-nguoi-cao-tuoi")
    fb = spotter.check("gia-cong-an-cap-nhat-cu-tru", "an-toan")
    assert not fb.correct
    assert "An toàn" in fb.message and "Lừa đảo" in fb.message
    assert fb.red_flags  # the flags are shown whether the answer was right or wrong


def test_score_counts_only_correct_answers():
    spotter = ScamSpotter.load("06-ma-otp")
    answers = {m.id: m.verdict for m in spotter.messages}
    first = spotter.messages[0]
    wrong = next(v for v in VERDICTS if v != first.verdict)
    answers[first.id] = wrong
    assert spotter.score(answers) == (len(spotter.messages) - 1, len(spotter.messages))


def test_unknown_verdict_or_message_is_a_user_error():
    spotter = ScamSpotter.load("06-ma-otp")
    with pytest.raises(UserError, match="lua-dao"):
        spotter.check(spotter.messages[0].id, "gia")
    with pytest.raises(UserError, match="khong-co"):
        spotter.check("khong-co", "lua-dao")


def _write(tmp_path, mutate):
    data = yaml.safe_load((ROOT / "curriculum" / "scams" / "06-ma-otp.yml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "hong.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["messages"][1].update(verdict="nguy-hiem"), r"message ban-zalo-gui-nham-ma\.verdict.*lua-dao"),
        (lambda d: d["messages"][1].update(red_flags=[]), r"message ban-zalo-gui-nham-ma\.red_flags"),
        (lambda d: d["messages"][2].update(channel="email"), r"message otp-khong-tu-yeu-cau\.channel.*sms"),
        (lambda d: d["messages"][0].pop("explanation"), r"explanation"),
        (lambda d: d["messages"][3].update(id="Công an"), r"messages\[4\].*ASCII"),
        (lambda d: d.pop("source"), r"\[source\]"),
    ],
    ids=["bad-verdict", "scam-without-flags", "bad-channel", "no-explanation", "bad-id", "no-source"],
)
def test_broken_scam_file_names_file_message_field_and_fix(tmp_path, mutate, expected):
    path = _write(tmp_path, mutate)
    with pytest.raises(UserError) as info:
        ScamSpotter.from_yaml(path)
    message = info.value.one_line()
    assert str(path) in message and "fix" in message
    assert re.search(expected, message), message


def test_call_transcript_is_rendered_turn_by_turn_and_html_escaped():
    spotter = ScamSpotter.load("07-lua-dao-nguoi-cao-tuoi")
    call = spotter.message("gia-cong-an-cap-nhat-cu-tru")
    speakers = [s for s, _ in call.lines]
    assert speakers[:2] == ["Người gọi", "Bác Tư"]
    html = render_message(call)
    assert html.count("<b>Người gọi:</b>") == 3


def test_widget_hides_red_flags_until_answered_then_moves_on():
    spotter = ScamSpotter.load("03-link-cai-ung-dung")
    widget = ScamSpotterWidget(spotter)
    first = widget.current
    assert widget.feedback.value == ""
    assert widget.next_button.disabled
    assert first.red_flags[0] not in widget.body.value
    fb = widget.answer(first.verdict)
    assert fb.correct
    assert "Dấu hiệu cần chú ý" in widget.feedback.value
    assert not widget.next_button.disabled
    widget.next()
    assert widget.current.id == spotter.messages[1].id
    assert widget.feedback.value == ""
    assert "đã đúng 1/1" in widget.progress.value
    assert "hv-scam" in widget.box._dom_classes


def test_widget_reports_the_total_once_every_message_is_answered():
    spotter = ScamSpotter.load("06-ma-otp")
    widget = ScamSpotterWidget(spotter)
    for _ in spotter.messages:
        widget.answer(widget.current.verdict)
        widget.next()
    total = len(spotter.messages)
    assert f"Đã làm hết {total} tin: đúng {total}/{total}" in widget.progress.value
