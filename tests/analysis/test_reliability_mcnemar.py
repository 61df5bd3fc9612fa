"""Do Cronbach's alpha and McNemar's test reproduce the published numbers, and state bad input?"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hocvuso.analysis import cronbach_alpha, mcnemar

DATA = Path(__file__).parent / "data"


def test_alpha_matches_pingouin_docs_on_its_cronbach_alpha_dataset():
    """pingouin docs: pg.cronbach_alpha(data, items='Items', scores='Scores', subject='Subj')
    → (0.5917188485995826, array([0.195, 0.84]))."""
    long = pd.read_csv(DATA / "pg_cronbach_alpha.csv")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    a = cronbach_alpha(wide)
    assert a.alpha == pytest.approx(0.5917188485995826, rel=1e-12)
    assert (round(a.ci_low, 3), round(a.ci_high, 3)) == (0.195, 0.840)
    assert a.k == 10 and a.note == ""


def test_alpha_with_missing_answers_pairwise_and_listwise():
    """pingouin: cronbach_wide_missing → 0.7327 [0.435, 0.909] pairwise (psych::alpha default
    use = "pairwise"), 0.8017 listwise (use = "complete.obs")."""
    wide = pd.read_csv(DATA / "pg_cronbach_wide_missing.csv", encoding="utf-8-sig")
    pw = cronbach_alpha(wide)
    lw = cronbach_alpha(wide, nan_policy="listwise")
    assert round(pw.alpha, 4) == 0.7327 and (round(pw.ci_low, 3), round(pw.ci_high, 3)) == (0.435, 0.909)
    assert round(lw.alpha, 4) == 0.8017 and lw.n == 9
    # listwise, the Feldt CI uses the 9 complete rows (pingouin 0.5–0.7 takes n before dropping
    # rows and prints [0.581, 0.933]; with n = 9, F(8, 80) gives the wider interval)
    from scipy.stats import f

    assert lw.ci_low == pytest.approx(1 - (1 - lw.alpha) * f.isf(0.025, 8, 80))
    assert lw.ci_low < 0.581 and lw.ci_high > 0.933


def test_alpha_reverse_keyed_item_matches_psych_bfi_agreeableness():
    """R: psych::alpha(bfi[1:5], check.keys = TRUE) (A1 reversed) → raw_alpha 0.70."""
    bfi = pd.read_csv(DATA / "psych_bfi_agreeableness.csv")
    a = cronbach_alpha(bfi, reverse=["A1"], scale=(1, 6))
    assert round(a.alpha, 2) == 0.70
    # without reversing, the reverse-keyed item pulls alpha down
    assert cronbach_alpha(bfi).alpha < 0.5


def test_alpha_drops_an_item_nobody_answered_and_says_so():
    rng = np.random.default_rng(0)
    base = rng.integers(1, 6, 50)
    df = pd.DataFrame({"a": base, "b": np.clip(base + rng.integers(-1, 2, 50), 1, 5), "c": np.nan})
    a = cronbach_alpha(df)
    assert a.k == 2 and np.isfinite(a.alpha) and "c" in a.note


def test_alpha_notes_an_item_answered_by_fewer_than_five():
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2, 3], "b": [1, 2, 3, 5, 5, 2, 2], "c": [1, 2, np.nan, np.nan, np.nan, np.nan, np.nan]})
    assert "fewer than 5" in cronbach_alpha(df).note


def test_alpha_with_no_variance_is_stated_not_a_number():
    a = cronbach_alpha(pd.DataFrame({"a": [3, 3, 3], "b": [3, 3, 3]}))
    assert math.isnan(a.alpha) and "variance" in a.note


def test_alpha_with_one_item_is_stated():
    a = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))
    assert math.isnan(a.alpha) and "2 items" in a.note


def test_mcnemar_matches_pingouin_and_r():
    """pingouin chi2_mcnemar docs: table [[20, 40], [8, 12]], chi2 = 20.020833, p_exact = 3.3e-6;
    R mcnemar.test(matrix(c(20, 8, 40, 12), 2)) → McNemar's chi-squared = 20.021, p = 7.66e-06."""
    d = pd.read_csv(DATA / "pg_chi2_mcnemar.csv")
    m = mcnemar(d.treatment_X, d.treatment_Y)
    assert m.table.to_numpy().tolist() == [[20, 40], [8, 12]]
    assert round(m.statistic, 3) == 20.021
    assert f"{m.p_exact:.1e}" == "3.3e-06"
    assert f"{m.p_approx:.2e}" == "7.66e-06"


def test_mcnemar_with_nobody_changing_is_stated():
    m = mcnemar([1, 0, 1], [1, 0, 1])
    assert math.isnan(m.statistic) and "nobody changed" in m.note


def test_mcnemar_drops_missing_pairs():
    m = mcnemar([1, 0, None, 0, 0], [1, 1, 1, None, 1])
    assert m.n == 3 and m.b == 2
