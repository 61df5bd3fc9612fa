"""Is the pre/post instrument complete, stable and readable in large print?"""

from __future__ import annotations

import re
import unicodedata

import pytest

from hocvuso.errors import UserError
from hocvuso.surveys.instrument import load_instrument

#: Longest question a resident reads on a large-print page (characters, Vietnamese).
MAX_QUESTION_CHARS = 90
MAX_CHOICE_CHARS = 50


@pytest.fixture(scope="module")
def inst():
    return load_instrument()


def test_every_ease_subscale_of_the_programme_has_at_least_two_items(inst):
    ease = inst.subscales(types={"ease5"})
    wanted = {"device_basics", "apps", "qr_codes", "vneid", "public_services", "passwords",
              "scams_safety", "communication"}
    assert set(ease) == wanted
    assert all(len(items) >= 2 for items in ease.values())
    assert all(it.waves == ("pre", "post") for items in ease.values() for it in items)


def test_ease_scale_runs_from_never_tried_to_very_easily(inst):
    scale = inst.scales["ease5"]
    assert [c.code for c in scale.choices] == [1, 2, 3, 4, 5]
    assert scale.choices[0].vi == "Chưa từng thử" and scale.choices[-1].vi == "Rất dễ dàng"


def test_item_ids_are_ascii_snake_case_and_unique(inst):
    ids = inst.item_ids
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)


def test_instrument_has_every_part_the_evaluation_needs(inst):
    types = {it.type for it in inst.items}
    assert {"ease5", "observed3", "knowledge", "confidence5", "anxiety5", "satisfaction5",
            "intention5", "retro5", "consent", "code", "demographic"} <= types
    demo = {it.id for it in inst.items if it.section == "demographics"}
    assert {"age_band", "sex", "education", "lives_alone", "phone_type", "prior_use"} <= demo
    assert all(inst.item(i).waves == ("pre",) for i in demo)
    assert all(it.waves == ("post",) for it in inst.items if it.type in {"satisfaction5", "intention5", "retro5"})
    assert {"site_code", "session_code", "volunteer_code", "khu_pho", "venue_type"} <= set(inst.item_ids)


def test_anxiety_items_are_reverse_keyed_and_knowledge_items_have_a_correct_choice(inst):
    anx = [it for it in inst.items if it.type == "anxiety5"]
    assert anx and all(it.reverse for it in anx)
    assert not any(it.reverse for it in inst.items if it.type != "anxiety5")
    for it in inst.items:
        if it.type == "knowledge":
            assert it.correct in {str(c.code) for c in it.choices}


def test_wording_is_short_enough_for_large_print_and_in_nfc(inst):
    for it in inst.items:
        assert len(it.text_vi) <= MAX_QUESTION_CHARS, f"{it.id}: {len(it.text_vi)} chars"
        assert unicodedata.is_normalized("NFC", it.text_vi)
        for ch in it.choices:
            assert len(ch.vi) <= MAX_CHOICE_CHARS, f"{it.id}/{ch.code}"


def test_participant_code_pattern_accepts_the_example_and_rejects_a_phone_number(inst):
    pat = re.compile(inst.item("participant_code").pattern)
    assert pat.fullmatch("HT0512") and pat.fullmatch("AB3112")
    assert not pat.fullmatch("0912345678")
    assert not pat.fullmatch("HT3212") and not pat.fullmatch("HT0513") and not pat.fullmatch("HT0012")


def test_a_broken_instrument_names_the_item_and_the_fix(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "id: x\nsections: [{id: s, vi: S, en: S}]\nscales: {ease5: {vi: e, en: e, choices: "
        "[{code: 1, vi: a, en: a}]}}\nitems:\n  - {id: Câu-1, section: s, type: ease5, waves: [pre], "
        "text: {vi: a, en: a}}\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_instrument(bad)
    assert "Câu-1" in str(err.value) and "snake_case" in str(err.value)
