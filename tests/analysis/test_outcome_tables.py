"""Do the report tables say the right thing, protect small cells and survive bad input?"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from cohort_factory import make_data, make_responses

from hocvuso.analysis import tables as T
from hocvuso.analysis.data import from_responses, load_clean


@pytest.fixture(scope="module")
def data():
    return make_data(240, seed=4)


def test_scale_scores_reverse_the_anxiety_items_and_need_half_the_items(data):
    items = data.items
    frame = pd.DataFrame({"conf_learn": [5.0, 5.0, np.nan], "anx_break": [1.0, np.nan, np.nan]})
    inst = {it.id: it for it in items}
    scores = T.scale_scores(frame, [inst["conf_learn"], inst["anx_break"]])
    # strongly disagreeing with the anxiety item (1) counts as 5 towards confidence;
    # half the items answered is enough, none is not
    assert scores["confidence"].tolist()[:2] == [5.0, 5.0]
    assert math.isnan(scores["confidence"].iloc[2])


def test_subscale_change_shows_the_built_in_improvement(data):
    table = T.change_by_subscale(data)
    ease = table.set_index("item").loc["ease_total"]
    assert ease.mean_diff > 0.3 and ease.p_adj < 0.001 and ease.n == len(data.matched)


def test_item_change_is_holm_adjusted_across_items(data):
    table = T.change_by_item(data)
    assert (table.p_adj >= table.p - 1e-15).all()
    assert len(table) == len(data.change_items)


def test_table1_compares_completers_and_lost_with_standardised_differences(data):
    raw = T.table1(data)
    head = raw[raw.kind == "count"].iloc[0]
    assert head.completers == data.flow["matched"] and head.lost == data.flow["pre_only"]
    sex = raw[(raw.variable == "sex") & (raw.level == "nu")].iloc[0]
    base = data.baseline()
    p1 = (base[base.completer].sex == "nu").mean()
    p0 = (base[~base.completer].sex == "nu").mean()
    assert sex.smd == pytest.approx((p1 - p0) / math.sqrt((p1 * (1 - p1) + p0 * (1 - p0)) / 2))


def test_small_cells_show_less_than_five():
    assert [T.protect(n) for n in (0, 1, 4, 5, 17)] == ["<5", "<5", "<5", "5", "17"]
    resp = make_responses(60, seed=1, lost=0.04)  # only a handful lost to follow-up
    data = from_responses(resp)
    assert data.flow["pre_only"] < 5
    shown = T.format_table1(T.table1(data), "vi")
    lost_col = shown.iloc[:, 3]
    assert lost_col.iloc[0] == "<5"
    # no lost-group cell shows a count or a percentage of fewer than 5 people
    assert all(v in ("<5", "—") for v in lost_col)


def test_change_rows_with_fewer_than_five_pairs_show_no_statistics():
    resp = make_responses(40, seed=2)
    post_ids = resp.loc[resp.wave == "post", "pid"].unique()[:3]
    resp = resp[(resp.wave == "pre") | resp.pid.isin(post_ids)]
    data = from_responses(resp)
    assert data.flow["matched"] < 5
    shown = T.format_change(T.change_by_subscale(data), "en")
    assert set(shown["n"]) == {"<5"}
    assert set(shown["Change (95% CI)"]) == {"—"}


def test_an_item_nobody_answered_is_stated_not_a_nan():
    resp = make_responses(80, seed=3)
    resp["ease_qr_scan"] = np.nan
    data = from_responses(resp)
    shown = T.format_change(T.change_by_item(data), "en", label=lambda i: i)
    row = shown[shown.iloc[:, 0] == "ease_qr_scan"].iloc[0]
    assert row["n"] == "<5" and "nan" not in " ".join(map(str, row.to_numpy())).lower()


def test_subgroup_with_one_level_gets_a_note_instead_of_a_test():
    resp = make_responses(120, seed=5)
    resp["venue_type"] = "cafe"
    data = from_responses(resp)
    by_level, inter = T.subgroup_change(data, ["venue_type", "sex"], ["ease_total"])
    one = inter[inter.subgroup == "venue_type"].iloc[0]
    assert math.isnan(one.p) and "only one level" in one.note
    two = inter[inter.subgroup == "sex"].iloc[0]
    assert 0 <= two.p <= 1
    # the interaction test is the one-way ANOVA of change scores across levels
    assert set(by_level.subgroup) == {"venue_type", "sex"}


def test_mixed_model_uses_all_responses_and_agrees_with_complete_pairs(data):
    table = T.mixed_model(data, ["ease_total", "confidence"])
    row = table.set_index("outcome").loc["ease_total"]
    assert row.n_people == data.flow["pre"]  # people seen once still count
    assert row.n_obs > row.cc_n * 2
    assert row.estimate == pytest.approx(row.cc_estimate, abs=0.1)
    assert row.ci_low < row.estimate < row.ci_high


def test_reliability_reports_alpha_per_subscale_at_baseline(data):
    rel = T.reliability(data)
    conf = rel.set_index("subscale").loc["confidence"]
    assert 0.5 < conf.alpha < 1 and conf.k >= 2


def test_knowledge_items_use_mcnemar(data):
    k = T.knowledge_change(data)
    assert len(k) >= 1 and (k.b >= k.c).all()  # built-in improvement: more wrong→right


def test_load_clean_reads_the_contract_folder(tmp_path):
    resp = make_responses(50, seed=9)
    clean = tmp_path / "out" / "clean"
    clean.mkdir(parents=True)
    resp.to_parquet(clean / "responses.parquet")
    data = load_clean(tmp_path / "out")
    assert data.flow["pre"] == 50 and len(data.matched) == data.flow["matched"]


def test_load_clean_names_a_missing_folder(tmp_path):
    from hocvuso.errors import UserError

    with pytest.raises(UserError, match="clean"):
        load_clean(tmp_path / "nowhere")


def test_a_single_small_cell_cannot_be_recovered_from_the_column_total():
    raw = pd.DataFrame([
        {"variable": "n", "level": "", "kind": "count", "completers": 100, "lost": 30},
        {"variable": "sex", "level": "nam", "kind": "n", "completers": 40, "lost": 3},
        {"variable": "sex", "level": "nu", "kind": "n", "completers": 60, "lost": 27},
    ]).assign(completers_pct=[np.nan, 40, 60], lost_pct=[np.nan, 10, 90], completers_sd=np.nan,
              lost_sd=np.nan, smd=[np.nan, 0.9, -0.9])
    shown = T.format_table1(raw, "en")
    lost = shown.iloc[:, 3].tolist()
    assert lost == ["30", "<5", "*"]  # 27 would give away the 3
    assert shown.iloc[2, 2] == "60 (60%)" and shown.iloc[2, 4] == "—"
