"""Do the paired statistics reproduce R to the printed digit, and behave on bad input?

Reference values are R's printed output (see tests/analysis/data/SOURCES.md and
../shared/reference-data/README.md); scipy and pingouin serve as second references where R's
numbers are not published.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from hocvuso.analysis import (
    adjust_pvalues,
    paired_change,
    paired_change_table,
)
from hocvuso.analysis.stats import WILCOXON_APPROX, WILCOXON_EXACT

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def sleep():
    s = pd.read_csv(DATA / "datasets_sleep.csv")
    g1 = s[s.group == 1].sort_values("ID").extra.to_numpy()
    g2 = s[s.group == 2].sort_values("ID").extra.to_numpy()
    return g1, g2


def test_sleep_paired_t_matches_r(sleep):
    """R: t.test(extra ~ group, data = sleep, paired = TRUE) → t = -4.0621, df = 9,
    p-value = 0.002833, 95 percent CI -2.4598858 -0.7001142, mean difference -1.58."""
    g1, g2 = sleep
    r = paired_change(pre=g2, post=g1)
    assert r.n == 10
    assert round(r.t, 4) == -4.0621
    assert r.df == 9
    assert round(r.p, 6) == 0.002833
    assert round(r.mean_diff, 2) == -1.58
    assert round(r.ci_low, 4) == -2.4599 and round(r.ci_high, 4) == -0.7001
    assert r.note == ""


def test_sleep_wilcoxon_matches_r_normal_approximation(sleep):
    """R: wilcox.test(g1, g2, paired = TRUE) (ties → normal approximation with continuity and
    tie correction, the zero difference dropped): V = 0, p-value = 0.009091."""
    g1, g2 = sleep
    r = paired_change(pre=g2, post=g1)
    assert r.wilcoxon_v == 0
    assert r.wilcoxon_n == 9  # one zero difference dropped
    assert round(r.wilcoxon_p, 6) == 0.009091
    assert r.wilcoxon_method == WILCOXON_APPROX
    assert math.isnan(r.wilcoxon_p_exact)  # ties and a zero: no exact p, as in R
    assert r.rank_biserial == -1.0


def test_immer_paired_t_matches_r():
    """R: with(immer, t.test(Y1, Y2, paired = TRUE)) → t = 3.324, df = 29, p-value = 0.002413,
    95 percent CI 6.121954 25.704713."""
    i = pd.read_csv(DATA / "MASS_immer.csv")
    r = paired_change(pre=i.Y2, post=i.Y1)
    assert (round(r.t, 3), r.df, round(r.p, 6)) == (3.324, 29, 0.002413)
    assert round(r.ci_low, 3) == 6.122 and round(r.ci_high, 3) == 25.705


def test_immer_wilcoxon_agrees_with_scipy_corrected_approximation():
    i = pd.read_csv(DATA / "MASS_immer.csv")
    r = paired_change(pre=i.Y2, post=i.Y1)
    ref = sps.wilcoxon(i.Y1, i.Y2, correction=True, method="asymptotic")
    assert r.wilcoxon_p == pytest.approx(ref.pvalue, rel=1e-10)
    assert min(r.wilcoxon_v, r.wilcoxon_n * (r.wilcoxon_n + 1) / 2 - r.wilcoxon_v) == ref.statistic


def test_exact_p_is_available_without_ties_and_matches_scipy_and_r_rule():
    """Without ties or zeros and n < 50, R reports the exact p (psignrank); so do we on request."""
    pre = np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30])
    post = np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29])
    # R's ?wilcox.test example (Hollander & Wolfe 1973, p. 29; x = pre, y = post):
    # wilcox.test(x, y, paired = TRUE, alternative = "greater") → V = 40, p-value = 0.01953;
    # two-sided, post - pre: V = 45 - 40 = 5, p = 2 × 0.01953 = 0.03906
    r = paired_change(pre, post, exact=True)
    assert r.wilcoxon_v == 5
    assert round(r.wilcoxon_p, 5) == 0.03906
    assert r.wilcoxon_method == WILCOXON_EXACT
    assert r.wilcoxon_p_exact == pytest.approx(sps.wilcoxon(post, pre, method="exact").pvalue)
    # the default stays the approximation, and says so
    assert paired_change(pre, post).wilcoxon_method == WILCOXON_APPROX


def test_effect_sizes_follow_their_definitions_and_pingouin():
    import pingouin as pg

    rng = np.random.default_rng(1)
    pre = rng.integers(1, 6, 80).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, 80), 1, 5)
    r = paired_change(pre, post)
    d = post - pre
    assert r.d_z == pytest.approx(d.mean() / d.std(ddof=1))
    assert r.d_z == pytest.approx(pg.compute_effsize(post, pre, paired=True, eftype="cohen_dz"))
    assert r.g_av == pytest.approx(pg.compute_effsize(post, pre, paired=True, eftype="hedges"))
    w = pg.wilcoxon(post, pre)
    assert r.rank_biserial == pytest.approx(w["RBC"].iloc[0])
    assert r.wilcoxon_p == pytest.approx(w["p_val"].iloc[0])
    t = pg.ttest(post, pre, paired=True)
    assert r.t == pytest.approx(t["T"].iloc[0]) and r.p == pytest.approx(t["p_val"].iloc[0])


def test_missing_pairs_are_dropped():
    pre = [1, 2, np.nan, 4, 5, 3]
    post = [2, 3, 4, np.nan, 5, 5]
    r = paired_change(pre, post)
    assert r.n == 4
    assert r.mean_diff == pytest.approx(np.mean([1, 1, 0, 2]))


# --------------------------------------------------------------------------------- bad input

def test_no_pairs_gives_a_note_not_a_crash():
    r = paired_change([np.nan, np.nan], [1, np.nan])
    assert r.n == 0 and math.isnan(r.t) and "no complete pairs" in r.note


def test_single_pair_is_stated():
    r = paired_change([2], [4])
    assert r.n == 1 and r.mean_diff == 2 and math.isnan(r.p) and "one pair" in r.note


def test_every_difference_zero_is_no_change_and_no_test():
    r = paired_change([1, 2, 3, 4, 5, 3], [1, 2, 3, 4, 5, 3])
    assert r.mean_diff == 0 and math.isnan(r.t) and math.isnan(r.wilcoxon_p)
    assert r.wilcoxon_n == 0 and "every difference is zero" in r.note


def test_every_difference_equal_gives_no_t_but_a_wilcoxon():
    r = paired_change([1, 2, 3, 1, 2, 3], [2, 3, 4, 2, 3, 4])
    assert math.isnan(r.t) and "t-test undefined" in r.note
    assert r.wilcoxon_p == pytest.approx(sps.wilcoxon([1] * 6, correction=True, method="asymptotic").pvalue)


def test_zero_variance_in_one_wave_still_gives_t():
    r = paired_change([3, 3, 3, 3, 3, 3], [3, 4, 5, 4, 4, 5])
    assert np.isfinite(r.t) and r.sd_pre == 0 and np.isfinite(r.g_av)


def test_fewer_than_five_pairs_is_noted():
    assert "fewer than 5" in paired_change([1, 2, 3], [2, 4, 3]).note


def test_shape_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="pair up"):
        paired_change([1, 2, 3], [1, 2])


# --------------------------------------------------------------------------------- vectorised path

def _likert(rng, n, k, missing=0.1):
    pre = rng.integers(1, 6, (n, k)).astype(float)
    post = np.clip(pre + rng.integers(-1, 3, (n, k)), 1, 5).astype(float)
    pre[rng.random((n, k)) < missing] = np.nan
    post[rng.random((n, k)) < missing] = np.nan
    return pre, post


def test_table_rows_equal_one_at_a_time_results_for_every_subgroup():
    rng = np.random.default_rng(7)
    pre, post = _likert(rng, 300, 6)
    cols = [f"q{j}" for j in range(6)]
    by = pd.DataFrame({"sex": rng.choice(["nam", "nữ"], 300), "venue": rng.choice(list("abc"), 300)})
    table = paired_change_table(pd.DataFrame(pre, columns=cols), pd.DataFrame(post, columns=cols), by=by)
    assert len(table) == 6 * (1 + 2 + 3)
    for _, row in table.sample(12, random_state=0).iterrows():
        sel = np.ones(300, bool) if row.subgroup == "all" else (by[row.subgroup] == row.level).to_numpy()
        j = cols.index(row["item"])
        one = paired_change(pre[sel, j], post[sel, j])
        for key in ("n", "t", "p", "ci_low", "d_z", "g_av", "wilcoxon_v", "wilcoxon_p", "rank_biserial"):
            assert row[key] == pytest.approx(getattr(one, key), rel=1e-9, nan_ok=True), key


def test_table_is_holm_adjusted_within_each_subgroup_level():
    rng = np.random.default_rng(3)
    pre, post = _likert(rng, 200, 5)
    by = pd.Series(rng.choice(["A", "B"], 200), name="g")
    table = paired_change_table(pre, post, by=by)
    for _, block in table.groupby(["subgroup", "level"]):
        assert np.allclose(block.p_adj, adjust_pvalues(block.p, "holm"), equal_nan=True)


def test_grid_and_general_rank_paths_agree():
    """Ordinal data uses counts per distinct |d|; continuous data a sort. Same answers."""
    rng = np.random.default_rng(11)
    pre, post = _likert(rng, 400, 4)
    jitter = 1e-3 * np.pi  # off the grid → general path, same ranks (order preserved)
    by = pd.DataFrame({"g": rng.choice(["a", "b", "c"], 400), "h": rng.choice(["x", "y"], 400)})
    grid = paired_change_table(pre, post, by=by, adjust=None)
    general = paired_change_table(pre * jitter, post * jitter, by=by, adjust=None)
    assert len(grid) == 4 * (1 + 3 + 2)
    for key in ("wilcoxon_v", "wilcoxon_p", "rank_biserial", "t", "p", "d_z"):
        assert np.allclose(grid[key], general[key], rtol=1e-9), key


def test_wilcoxon_on_continuous_data_agrees_with_scipy():
    rng = np.random.default_rng(5)
    pre = rng.normal(size=(120, 3))
    post = pre + rng.normal(0.2, 1, size=(120, 3))
    table = paired_change_table(pre, post, adjust=None)
    for j in range(3):
        ref = sps.wilcoxon(post[:, j], pre[:, j], correction=True, method="asymptotic")
        assert table.wilcoxon_p[j] == pytest.approx(ref.pvalue, rel=1e-10)


# --------------------------------------------------------------------------------- multiple testing

def test_holm_and_bh_match_r_p_adjust():
    p = [0.01, 0.02, 0.03, 0.04, 0.05]
    # R: p.adjust(p, "holm") → 0.05 0.08 0.09 0.09 0.09 ; p.adjust(p, "BH") → 0.05 × 5
    assert np.allclose(adjust_pvalues(p), [0.05, 0.08, 0.09, 0.09, 0.09])
    assert np.allclose(adjust_pvalues(p, "bh"), [0.05] * 5)


def test_adjustment_keeps_nan_out_of_the_family():
    out = adjust_pvalues([0.01, np.nan, 0.04])
    assert np.isnan(out[1]) and np.allclose(out[[0, 2]], [0.02, 0.04])


def test_adjustment_agrees_with_statsmodels():
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(2).random(30) ** 3
    assert np.allclose(adjust_pvalues(p, "holm"), multipletests(p, method="holm")[1])
    assert np.allclose(adjust_pvalues(p, "bh"), multipletests(p, method="fdr_bh")[1])


# --------------------------------------------------------------------------------- properties

pairs = st.integers(min_value=6, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(1, 5), min_size=n, max_size=n),
        st.lists(st.integers(1, 5), min_size=n, max_size=n),
    )
)


def _finite_close(a, b, **kw):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == pytest.approx(b, **kw)


@settings(max_examples=60, deadline=None)
@given(pairs)
def test_swapping_pre_and_post_flips_signs_and_keeps_p(data):
    pre, post = (np.array(x, float) for x in data)
    a, b = paired_change(pre, post), paired_change(post, pre)
    assert _finite_close(a.mean_diff, -b.mean_diff, abs=1e-12)
    assert _finite_close(a.t, -b.t, rel=1e-9)
    assert _finite_close(a.d_z, -b.d_z, rel=1e-9)
    assert _finite_close(a.g_av, -b.g_av, rel=1e-9)
    assert _finite_close(a.rank_biserial, -b.rank_biserial, rel=1e-9)
    assert _finite_close(a.p, b.p, rel=1e-9)
    assert _finite_close(a.wilcoxon_p, b.wilcoxon_p, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(pairs, st.floats(min_value=-1000, max_value=1000, allow_nan=False))
def test_adding_a_constant_to_both_changes_nothing(data, c):
    pre, post = (np.array(x, float) for x in data)
    a, b = paired_change(pre, post), paired_change(pre + c, post + c)
    for key in ("mean_diff", "sd_diff", "t", "p", "d_z", "g_av", "wilcoxon_v", "wilcoxon_p", "rank_biserial"):
        assert _finite_close(getattr(a, key), getattr(b, key), rel=1e-7, abs=1e-9), key
    assert _finite_close(a.mean_pre + c, b.mean_pre, rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(pairs, st.floats(min_value=0.01, max_value=100, allow_nan=False))
def test_scaling_both_by_a_positive_constant_keeps_t_p_and_d(data, c):
    pre, post = (np.array(x, float) for x in data)
    a, b = paired_change(pre, post), paired_change(pre * c, post * c)
    for key in ("t", "p", "d_z", "g_av", "wilcoxon_p", "rank_biserial"):
        assert _finite_close(getattr(a, key), getattr(b, key), rel=1e-7, abs=1e-12), key
    assert _finite_close(a.mean_diff * c, b.mean_diff, rel=1e-9, abs=1e-9)


def test_confidence_level_changes_the_interval_and_is_checked(sleep):
    g1, g2 = sleep
    r90 = paired_change(g2, g1, confidence=0.90)
    half = sps.t.ppf(0.95, 9) * r90.sd_diff / np.sqrt(10)
    assert (r90.ci_low, r90.ci_high) == pytest.approx((-1.58 - half, -1.58 + half))
    assert r90.ci_high - r90.ci_low < 2.4599 - 0.7001
    with pytest.raises(ValueError, match="between 0 and 1"):
        paired_change(g2, g1, confidence=95)
