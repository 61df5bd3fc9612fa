"""Are subscale scores computed with reverse keying and the half rule?"""

from __future__ import annotations

import pandas as pd
import pytest

from hocvuso.surveys.instrument import load_instrument
from hocvuso.surveys.scoring import reverse_keyed, subscale_items, subscale_scores


@pytest.fixture(scope="module")
def inst():
    return load_instrument()


def test_subscale_items_come_from_the_instrument(inst):
    items = subscale_items(inst)
    assert items["qr_codes"] == ["ease_qr_scan", "ease_qr_pay"]
    assert len(items["ease_total"]) == 16
    assert items["confidence"] == ["conf_learn", "conf_solve", "conf_scam", "anx_break", "anx_money"]


def test_reverse_keyed_items_are_flipped_only_by_scoring(inst):
    df = pd.DataFrame({"anx_break": pd.array([1, 5, 2, None], dtype="Int8"), "conf_learn": [5, 1, 4, 3]})
    rev = reverse_keyed(df, inst)
    assert list(rev["anx_break"].astype("Float64").fillna(-1)) == [5, 1, 4, -1]
    assert list(rev["conf_learn"]) == [5, 1, 4, 3]
    assert list(df["anx_break"].fillna(-1)) == [1, 5, 2, -1], "the data itself is not changed"


def test_confidence_score_averages_confidence_and_reversed_anxiety(inst):
    df = pd.DataFrame({"conf_learn": [5], "conf_solve": [4], "conf_scam": [3], "anx_break": [1], "anx_money": [2]})
    # (5 + 4 + 3 + (6-1) + (6-2)) / 5 = 4.2
    assert subscale_scores(df, inst)["confidence"].iloc[0] == pytest.approx(4.2)


def test_half_rule_leaves_a_score_missing_when_too_few_items_are_answered(inst):
    df = pd.DataFrame({"ease_qr_scan": pd.array([4, None, None], dtype="Int8"),
                       "ease_qr_pay": pd.array([2, 5, None], dtype="Int8")})
    qr = subscale_scores(df, inst)["qr_codes"]
    assert qr.iloc[0] == 3 and qr.iloc[1] == 5 and pd.isna(qr.iloc[2])
    strict = subscale_scores(df, inst, min_answered=1.0)["qr_codes"]
    assert pd.isna(strict.iloc[1])


def test_knowledge_sum_counts_correct_answers(inst):
    df = pd.DataFrame({"know_otp": [1, 0], "know_vneid_update": [1, 0], "know_install_source": [1, 1],
                       "know_qr_check": [0, 0]})
    assert list(subscale_scores(df, inst, how="sum")["knowledge"]) == [3, 1]


def test_matched_table_is_scored_per_wave_with_a_suffix(inst):
    m = pd.DataFrame({"ease_vneid_login_pre": [1], "ease_vneid_docs_pre": [2],
                      "ease_vneid_login_post": [4], "ease_vneid_docs_post": [5]})
    pre = subscale_scores(m, inst, suffix="_pre")["vneid"].iloc[0]
    post = subscale_scores(m, inst, suffix="_post")["vneid"].iloc[0]
    assert (pre, post) == (1.5, 4.5)
