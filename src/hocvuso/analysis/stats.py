"""Paired pre/post statistics, pinned to R.

Every function here returns a *stated* result for degenerate input (no pairs, one pair, zero
variance, every difference zero): the number that cannot be computed is ``nan`` and ``note``
says why in words, so a report never shows a NaN as if it were a number.

Direction: differences are ``post - pre`` (an improvement is positive). R's
``t.test(x, y, paired = TRUE)`` works on ``x - y``, so ``x`` is our ``post`` and ``y`` our ``pre``.

References (formulas are in each docstring):

- R Core Team, ``stats::t.test`` and ``stats::wilcox.test`` (R 4.x source, ``wilcox.test.default``).
- Lakens D. (2013) Calculating and reporting effect sizes. Front. Psychol. 4:863 (d_z, d_av).
- Cumming G. (2012) Understanding the New Statistics, ch. 11 (d_av on the average variance).
- Hedges L.V. & Olkin I. (1985) Statistical Methods for Meta-Analysis (small-sample factor J).
- Kerby D.S. (2014) The simple difference formula. Compr. Psychol. 3:11.IT.3.1 (rank-biserial r).
- Feldt L.S., Woodruff D.J. & Salih F.A. (1987) Statistical inference for coefficient alpha.
  Appl. Psychol. Meas. 11:93-103 (the F-based CI of alpha, as pingouin and psych::alpha.ci).
- McNemar Q. (1947) Psychometrika 12:153-157; R ``stats::mcnemar.test``.
- Holm S. (1979) Scand. J. Statist. 6:65-70; Benjamini Y. & Hochberg Y. (1995) JRSS B 57:289-300;
  R ``stats::p.adjust``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps

#: Wilcoxon exact p-values are computed (and can be reported) up to this many non-zero
#: differences, without ties or zeros — R's ``wilcox.test`` default rule (n < 50).
EXACT_MAX_N = 50

WILCOXON_APPROX = "normal approximation, continuity and tie corrected"
WILCOXON_EXACT = "exact"

#: Columns of :func:`paired_change_table`, in order.
PAIRED_COLUMNS = [
    "n", "mean_pre", "mean_post", "sd_pre", "sd_post", "mean_diff", "sd_diff", "ci_low", "ci_high",
    "t", "df", "p", "d_z", "d_z_ci_low", "d_z_ci_high", "g_av", "wilcoxon_v", "wilcoxon_n",
    "wilcoxon_p", "wilcoxon_p_approx", "wilcoxon_p_exact", "wilcoxon_method", "rank_biserial", "note",
]


@dataclass(frozen=True)
class PairedChange:
    """The result of :func:`paired_change` for one outcome (``post - pre``).

    ``wilcoxon_p`` is the p-value that is reported; ``wilcoxon_method`` says which one it is
    (:data:`WILCOXON_APPROX` or :data:`WILCOXON_EXACT`); both are kept
    (``wilcoxon_p_exact`` is ``nan`` when there are ties, zero differences or more than 50 pairs).
    """

    n: int
    mean_pre: float
    mean_post: float
    sd_pre: float
    sd_post: float
    mean_diff: float
    sd_diff: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p: float
    d_z: float
    d_z_ci_low: float
    d_z_ci_high: float
    g_av: float
    wilcoxon_v: float
    wilcoxon_n: int
    wilcoxon_p: float
    wilcoxon_p_approx: float
    wilcoxon_p_exact: float
    wilcoxon_method: str
    rank_biserial: float
    note: str = ""
    confidence: float = field(default=0.95)

    def as_dict(self) -> dict:
        return asdict(self)


# ----------------------------------------------------------------------------------------------
# the vectorised core
# ----------------------------------------------------------------------------------------------

def _as_2d(x) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ValueError("pre/post must be 1-D (one outcome) or 2-D (participants × outcomes)")
    return a


def _paired_core(pre: np.ndarray, post: np.ndarray, codes: np.ndarray | None, n_groups: int,
                 confidence: float) -> dict[str, np.ndarray]:
    """Every statistic of :func:`paired_change` for ``n_groups × k`` cells at once.

    ``pre`` and ``post`` are ``(n, k)``; ``codes`` gives each participant's group (0..G-1, or
    -1 to leave the participant out). Everything is computed with ``np.bincount`` over a cell
    key, so the cost is linear in the data size (ranks come from counts of each distinct
    |difference| when the differences lie on a small grid — ordinal data — and from one
    lexicographic sort otherwise).
    """
    n_obs, k = pre.shape
    if codes is None:
        codes = np.zeros(n_obs, dtype=np.int64)
    n_cells = n_groups * k
    valid = ~(np.isnan(pre) | np.isnan(post)) & (codes >= 0)[:, None]
    key_full = codes[:, None].astype(np.int64) * k + np.arange(k, dtype=np.int64)[None, :]
    keys = key_full[valid]
    x0 = pre[valid]
    x1 = post[valid]
    d = x1 - x0

    n = np.bincount(keys, minlength=n_cells).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pre = np.bincount(keys, x0, n_cells) / n
        mean_post = np.bincount(keys, x1, n_cells) / n
        mean_d = np.bincount(keys, d, n_cells) / n
        # two-pass (centred) sums of squares: exact under shifts of the data
        ss_pre = np.bincount(keys, (x0 - mean_pre[keys]) ** 2, n_cells)
        ss_post = np.bincount(keys, (x1 - mean_post[keys]) ** 2, n_cells)
        dc = d - mean_d[keys]
        ss_d = np.bincount(keys, dc * dc, n_cells)
        # a variance that is zero up to rounding is zero (e.g. constant answers after rescaling)
        tiny = (1e-12 * np.maximum(np.abs(mean_pre), np.abs(mean_post))) ** 2
        var_pre = np.where(ss_pre / (n - 1) <= tiny, 0.0, ss_pre / (n - 1))
        var_post = np.where(ss_post / (n - 1) <= tiny, 0.0, ss_post / (n - 1))
        var_d = np.where(ss_d / (n - 1) <= tiny, 0.0, ss_d / (n - 1))
        sd_pre, sd_post, sd_d = np.sqrt(var_pre), np.sqrt(var_post), np.sqrt(var_d)
        df = n - 1
        se = sd_d / np.sqrt(n)
        t = np.where(sd_d > 0, mean_d / se, np.nan)
        p = np.where(np.isfinite(t), 2 * sps.t.sf(np.abs(t), df), np.nan)
        q = sps.t.ppf(1 - (1 - confidence) / 2, np.where(df >= 1, df, np.nan))
        ci_low = np.where(sd_d > 0, mean_d - q * se, np.nan)
        ci_high = np.where(sd_d > 0, mean_d + q * se, np.nan)
        d_z = np.where(sd_d > 0, mean_d / sd_d, np.nan)
        # approximate CI of d_z (normal, SE = sqrt(1/n + d_z^2 / (2n)); Lakens 2013, Becker 1988)
        zq = sps.norm.ppf(1 - (1 - confidence) / 2)
        se_dz = np.sqrt(1 / n + d_z**2 / (2 * n))
        d_z_lo, d_z_hi = d_z - zq * se_dz, d_z + zq * se_dz
        avg_var = (var_pre + var_post) / 2
        d_av = np.where(avg_var > 0, mean_d / np.sqrt(avg_var), np.nan)
        g_av = d_av * (1 - 3 / (4 * (2 * n) - 9))

    v, r_minus, nz, ties, has_zero = _signed_ranks(d, keys, n_cells, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = v - nz * (nz + 1) / 4
        sigma = np.sqrt(nz * (nz + 1) * (2 * nz + 1) / 24 - ties / 48)
        zc = (z - 0.5 * np.sign(z)) / sigma
        p_approx = np.where((nz > 0) & (sigma > 0), np.minimum(1.0, 2 * sps.norm.sf(np.abs(zc))), np.nan)
        rbc = np.where(nz > 0, (v - r_minus) / (v + r_minus), np.nan)
    p_exact = np.full(n_cells, np.nan)
    can_exact = (nz >= 1) & (nz <= EXACT_MAX_N) & (ties == 0) & ~has_zero
    for i in np.flatnonzero(can_exact):
        p_exact[i] = _signrank_exact_p(int(nz[i]), float(v[i]))
    return dict(
        n=n, mean_pre=mean_pre, mean_post=mean_post, sd_pre=sd_pre, sd_post=sd_post,
        mean_diff=mean_d, sd_diff=sd_d, ci_low=ci_low, ci_high=ci_high, t=t, df=df, p=p,
        d_z=d_z, d_z_ci_low=d_z_lo, d_z_ci_high=d_z_hi, g_av=g_av, wilcoxon_v=v, wilcoxon_n=nz,
        wilcoxon_p_approx=p_approx, wilcoxon_p_exact=p_exact, rank_biserial=rbc,
    )


def _signed_ranks(d, keys, n_cells, n):
    """Per cell: V (sum of ranks of positive d), R- , non-zero count, sum(t^3 - t) over tie
    groups of |d|, and whether any zero difference was dropped (R: ``zero_method = "wilcox"``)."""
    nonzero = d != 0
    nz_keys = keys[nonzero]
    a = np.abs(d[nonzero])
    pos = d[nonzero] > 0
    nz = np.bincount(nz_keys, minlength=n_cells).astype(float)
    has_zero = nz < n
    if a.size == 0:
        zeros = np.zeros(n_cells)
        return zeros, zeros.copy(), nz, zeros.copy(), has_zero
    codes, n_levels = _grid_codes(a)
    if codes is not None and n_cells * n_levels <= 50_000_000:
        idx = nz_keys * n_levels + codes
        cnt_pos = np.bincount(idx[pos], minlength=n_cells * n_levels).reshape(n_cells, n_levels)
        cnt_all = np.bincount(idx, minlength=n_cells * n_levels).reshape(n_cells, n_levels)
        cnt_pos = cnt_pos.astype(float)
        cnt_all = cnt_all.astype(float)
        before = np.cumsum(cnt_all, axis=1) - cnt_all
        avg_rank = before + (cnt_all + 1) / 2
        v = (cnt_pos * avg_rank).sum(axis=1)
        r_all = (cnt_all * avg_rank).sum(axis=1)
        ties = (cnt_all**3 - cnt_all).sum(axis=1)
        return v, r_all - v, nz, ties, has_zero
    # general path: one lexicographic sort by (cell, |d|), average ranks over tie runs; |d| that
    # agree to 10 significant digits of the largest |d| are ties (so rounding in post - pre, e.g.
    # after rescaling, does not split a tie)
    a = np.rint(a * (1e10 / float(a.max())))
    order = np.lexsort((a, nz_keys))
    ks, av, ps = nz_keys[order], a[order], pos[order]
    m = ks.size
    new_run = np.ones(m, dtype=bool)
    new_run[1:] = (ks[1:] != ks[:-1]) | (av[1:] != av[:-1])
    run_start = np.flatnonzero(new_run)
    run_len = np.diff(np.append(run_start, m))
    new_cell = np.ones(m, dtype=bool)
    new_cell[1:] = ks[1:] != ks[:-1]
    cell_start_pos = np.flatnonzero(new_cell)
    # position of each run's first element within its cell (0-based)
    cell_of_run = ks[run_start]
    cell_first = np.repeat(cell_start_pos, np.diff(np.append(cell_start_pos, m)))[run_start]
    run_avg_rank = (run_start - cell_first) + (run_len + 1) / 2
    rank = np.repeat(run_avg_rank, run_len)
    v = np.bincount(ks[ps], rank[ps], n_cells)
    r_all = np.bincount(ks, rank, n_cells)
    ties = np.bincount(cell_of_run, run_len.astype(float) ** 3 - run_len, n_cells)
    return v, r_all - v, nz, ties, has_zero


def _grid_codes(a: np.ndarray, max_levels: int = 4096):
    """Integer codes for |d| when the values lie on a small grid (integers, or halves, thirds…
    as in means of a few 1–5 items); ``(None, 0)`` otherwise."""
    top = float(a.max())
    for step in (1, 2, 3, 4, 5, 6, 8, 10, 12):
        if top * step >= max_levels:
            break
        scaled = a * step
        r = np.rint(scaled)
        if np.all(np.abs(scaled - r) < 1e-9 * max(1.0, top * step)):
            return r.astype(np.int64), int(r.max()) + 1
    return None, 0


@lru_cache(maxsize=64)
def _signrank_counts(n: int) -> np.ndarray:
    """Number of subsets of {1..n} with each rank sum (the null distribution of V, no ties)."""
    total = n * (n + 1) // 2
    c = np.zeros(total + 1)
    c[0] = 1.0
    for j in range(1, n + 1):
        c[j:] = c[j:] + c[:-j].copy()
    return c


def _signrank_exact_p(n: int, v: float) -> float:
    """Two-sided exact p as R's ``wilcox.test`` (exact = TRUE): with P = psignrank,
    ``p = 2 * (v > n(n+1)/4 ? P(V >= v) : P(V <= v))``, capped at 1."""
    counts = _signrank_counts(n)
    probs = counts / 2.0**n
    vi = int(round(v))
    if v > n * (n + 1) / 4:
        one = probs[vi:].sum()
    else:
        one = probs[: vi + 1].sum()
    return float(min(1.0, 2 * one))


def _notes(r: dict[str, np.ndarray], i: int) -> str:
    n = int(r["n"][i])
    if n == 0:
        return "no complete pairs / không có cặp trước-sau nào"
    if n == 1:
        return "only one pair: no test / chỉ có một cặp: không kiểm định được"
    notes = []
    if r["sd_diff"][i] == 0:
        if r["mean_diff"][i] == 0:
            notes.append("every difference is zero: no change, no test / mọi chênh lệch bằng 0")
        else:
            notes.append(f"every difference equals {r['mean_diff'][i]:+g}: t-test undefined "
                         "(zero variance) / mọi chênh lệch như nhau: không tính được t")
    if n < 5:
        notes.append("fewer than 5 pairs / dưới 5 cặp")
    return "; ".join(notes)


def _method(r, i, exact: bool) -> tuple[float, str]:
    pe = r["wilcoxon_p_exact"][i]
    if exact and np.isfinite(pe):
        return float(pe), WILCOXON_EXACT
    return float(r["wilcoxon_p_approx"][i]), WILCOXON_APPROX


# ----------------------------------------------------------------------------------------------
# public API
# ----------------------------------------------------------------------------------------------

def paired_change(pre, post, *, confidence: float = 0.95, exact: bool = False):
    """Paired change from ``pre`` to ``post`` (differences ``post - pre``).

    One outcome (1-D ``pre``/``post``) gives a :class:`PairedChange`; a 2-D array or a
    DataFrame (participants × outcomes, same columns in both) gives a DataFrame with one row per
    outcome and the columns :data:`PAIRED_COLUMNS`. Pairs with a missing value on either side are
    dropped (complete pairs only).

    Formulas, with ``d = post - pre``, ``n`` complete pairs, ``s_d`` the SD of ``d``:

    - paired t-test (R ``t.test(post, pre, paired = TRUE)``): ``t = mean(d) / (s_d / sqrt(n))``,
      ``df = n - 1``, two-sided ``p``, CI ``mean(d) ± t_{df, 1-α/2} s_d / sqrt(n)``;
    - ``d_z = mean(d) / s_d`` (Lakens 2013, eq. 6) with an approximate normal CI,
      SE = ``sqrt(1/n + d_z²/(2n))``;
    - Hedges' ``g_av = d_av × (1 - 3 / (4·2n - 9))`` with
      ``d_av = mean(d) / sqrt((s_pre² + s_post²) / 2)`` (Cumming 2012; the definition of
      pingouin's ``compute_effsize(paired=True, eftype="hedges")``);
    - Wilcoxon signed-rank ``V`` = sum of the ranks of |d| over positive ``d``, zero
      differences dropped, tied |d| given their average rank (R ``wilcox.test(post, pre,
      paired = TRUE)``). Reported p: the normal approximation with continuity and tie
      correction, exactly as R with ``exact = FALSE, correct = TRUE``:
      ``z = (V - m(m+1)/4 - 0.5·sign) / sqrt(m(m+1)(2m+1)/24 - Σ(t³ - t)/48)`` with ``m``
      non-zero differences. The exact p (R ``psignrank``) is also returned when there are no
      ties, no zeros and ``m ≤ 50``; ``exact=True`` reports it when available.
      ``wilcoxon_method`` says which p is reported;
    - matched-pairs rank-biserial ``r = (R+ - R-) / (R+ + R-)`` (Kerby 2014).

    Pinned to R 4.x (tests/analysis/test_paired_stats.py): ``datasets::sleep`` (post = group 1,
    pre = group 2) t = -4.0621, df = 9, p = 0.002833, CI [-2.4599, -0.7001]; V = 0,
    p = 0.009091 (normal approximation); ``MASS::immer`` (post = Y1, pre = Y2) t = 3.324,
    df = 29, p = 0.002413, CI [6.122, 25.705].
    """
    if isinstance(pre, pd.DataFrame) or np.asarray(pre).ndim == 2:
        return paired_change_table(pre, post, confidence=confidence, exact=exact)
    a, b = _as_2d(pre), _as_2d(post)
    if a.shape != b.shape:
        raise ValueError(f"pre and post must pair up: {a.shape[0]} pre values, {b.shape[0]} post values")
    r = _paired_core(a, b, None, 1, confidence)
    p_w, method = _method(r, 0, exact)
    return PairedChange(
        **{k: (int(r[k][0]) if k in ("n", "wilcoxon_n") else float(r[k][0])) for k in r},
        wilcoxon_p=p_w, wilcoxon_method=method, note=_notes(r, 0), confidence=confidence,
    )


def paired_change_table(pre, post, *, by: pd.DataFrame | pd.Series | None = None,
                        confidence: float = 0.95, exact: bool = False,
                        adjust: str | None = "holm") -> pd.DataFrame:
    """:func:`paired_change` for many outcomes and subgroups at once (vectorised).

    ``pre`` and ``post`` are participants × outcomes (DataFrames with the same columns, or 2-D
    arrays). ``by`` (optional) holds subgroup columns (e.g. ``sex``, ``age_band``); each
    column's levels become rows, and the whole sample is the ``("all", "all")`` rows. Columns:
    ``subgroup``, ``level``, ``item``, then :data:`PAIRED_COLUMNS`, then ``p_adj`` and
    ``wilcoxon_p_adj`` — adjusted across the items within each subgroup level (Holm by
    default, ``"bh"`` for Benjamini–Hochberg, ``None`` for none).
    """
    items = list(pre.columns) if isinstance(pre, pd.DataFrame) else None
    a, b = _as_2d(pre), _as_2d(post)
    if a.shape != b.shape:
        raise ValueError(f"pre and post must have the same shape: {a.shape} vs {b.shape}")
    k = a.shape[1]
    if items is None:
        items = [f"item{j + 1}" for j in range(k)]
    blocks = [("all", ["all"], None)]
    if by is not None:
        frame = by.to_frame() if isinstance(by, pd.Series) else by
        if len(frame) != a.shape[0]:
            raise ValueError("`by` must have one row per participant")
        for col in frame.columns:
            cat = pd.Categorical(frame[col])
            blocks.append((str(col), [str(c) for c in cat.categories], np.asarray(cat.codes, dtype=np.int64)))
    out = []
    for name, levels, codes in blocks:
        if not levels:
            continue
        r = _paired_core(a, b, codes, len(levels), confidence)
        cells = len(levels) * k
        frame = pd.DataFrame({key: r[key] for key in r})
        frame.insert(0, "item", items * len(levels))
        frame.insert(0, "level", np.repeat(levels, k))
        frame.insert(0, "subgroup", name)
        use_exact = np.isfinite(r["wilcoxon_p_exact"]) & exact
        frame["wilcoxon_p"] = np.where(use_exact, r["wilcoxon_p_exact"], r["wilcoxon_p_approx"])
        frame["wilcoxon_method"] = np.where(use_exact, WILCOXON_EXACT, WILCOXON_APPROX)
        frame["note"] = _vector_notes(r, cells)
        out.append(frame)
    table = pd.concat(out, ignore_index=True)
    table["n"] = table["n"].astype(int)
    table["wilcoxon_n"] = table["wilcoxon_n"].astype(int)
    table = table[["subgroup", "level", "item", *PAIRED_COLUMNS]]
    if adjust:
        grp = table.groupby(["subgroup", "level"], sort=False).ngroup().to_numpy()
        table["p_adj"] = adjust_pvalues_grouped(table["p"].to_numpy(), grp, method=adjust)
        table["wilcoxon_p_adj"] = adjust_pvalues_grouped(table["wilcoxon_p"].to_numpy(), grp, method=adjust)
    return table


def _vector_notes(r, cells: int) -> np.ndarray:
    notes = np.full(cells, "", dtype=object)
    n, sd = r["n"], r["sd_diff"]
    special_rows = np.flatnonzero((n < 5) | (sd == 0) | ~np.isfinite(sd))
    for i in special_rows:
        notes[i] = _notes(r, i)
    return notes


# ----------------------------------------------------------------------------------------------
# multiple testing
# ----------------------------------------------------------------------------------------------

def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Adjusted p-values, as R's ``p.adjust`` (NaNs are left out of the family and kept as NaN).

    - ``"holm"`` (default; Holm 1979): sorted ascending, ``p_(i) × (m - i + 1)``, running maximum,
      capped at 1.
    - ``"bh"`` (Benjamini & Hochberg 1995): sorted descending, ``p_(i) × m / i``, running minimum,
      capped at 1.
    - ``"bonferroni"``, ``"none"``.

    R: ``p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm")`` = 0.05 0.08 0.09 0.09 0.09 and
    ``"BH"`` = 0.05 0.05 0.05 0.05 0.05.
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    q = p[ok]
    m = q.size
    if m == 0:
        return out
    method = method.lower()
    if method == "holm":
        order = np.argsort(q, kind="mergesort")
        adj = np.maximum.accumulate(q[order] * (m - np.arange(m)))
        res = np.empty(m)
        res[order] = np.minimum(adj, 1.0)
    elif method in ("bh", "fdr", "fdr_bh"):
        order = np.argsort(q, kind="mergesort")[::-1]
        i = np.arange(m, 0, -1)
        adj = np.minimum.accumulate(q[order] * m / i)
        res = np.empty(m)
        res[order] = np.minimum(adj, 1.0)
    elif method == "bonferroni":
        res = np.minimum(q * m, 1.0)
    elif method == "none":
        res = q
    else:
        raise ValueError(f"unknown adjustment {method!r}: use 'holm', 'bh', 'bonferroni' or 'none'")
    out[ok] = res
    return out


def adjust_pvalues_grouped(p, groups, method: str = "holm") -> np.ndarray:
    """:func:`adjust_pvalues` within each family given by ``groups`` (one label per p)."""
    p = np.asarray(p, dtype=float)
    groups = np.asarray(groups)
    out = np.full(p.shape, np.nan)
    for g in pd.unique(groups):
        sel = groups == g
        out[sel] = adjust_pvalues(p[sel], method)
    return out


# ----------------------------------------------------------------------------------------------
# reliability and binary change
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha with its Feldt confidence interval."""

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    items: tuple[str, ...]
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def cronbach_alpha(items, *, reverse=(), scale: tuple[float, float] | None = None,
                   nan_policy: str = "pairwise", confidence: float = 0.95,
                   min_answers: int = 5) -> Alpha:
    """Cronbach's alpha of a participants × items table, with a Feldt CI.

    ``alpha = k/(k-1) × (1 - Σ s_j² / s_X²)`` computed from the item covariance matrix ``C``
    (``Σ s_j² = tr C``, ``s_X² = ΣΣ C``), pairwise-complete by default (``nan_policy="listwise"``
    drops incomplete rows) — the definitions of ``psych::alpha`` (raw_alpha) and pingouin.
    CI (Feldt et al. 1987): ``1 - (1 - alpha) × F_{1-γ/2 | γ/2}(n-1, (n-1)(k-1))``.

    ``reverse`` lists reverse-keyed items, rescored as ``lo + hi - x`` with ``scale=(lo, hi)``
    (default: the smallest and largest answer seen in the table). Items nobody answered are
    dropped with a note; an item answered by fewer than ``min_answers`` people is noted.

    Pinned: pingouin's ``cronbach_alpha`` data set alpha = 0.5917, CI [0.195, 0.840] (pingouin
    docs); ``pg_cronbach_wide_missing`` 0.7327 [0.435, 0.909] pairwise, 0.8017
    listwise (pingouin prints CI [0.581, 0.933] there because it uses n before dropping rows; the
    CI here uses the n complete rows); ``psych::bfi`` Agreeableness A1–A5 with A1 reversed (7 - x): raw_alpha 0.70
    (``psych::alpha(bfi[1:5], check.keys = TRUE)``).
    """
    df = pd.DataFrame(items).apply(pd.to_numeric, errors="coerce").astype(float)
    notes = []
    answered = df.notna().sum()
    empty = [str(c) for c in df.columns if answered[c] == 0]
    if empty:
        notes.append("dropped (nobody answered) / bỏ (không ai trả lời): " + ", ".join(empty))
        df = df.drop(columns=empty)
    few = [str(c) for c in df.columns if 0 < answered[c] < min_answers]
    if few:
        notes.append(f"answered by fewer than {min_answers} / dưới {min_answers} người trả lời: " + ", ".join(few))
    reverse = [c for c in reverse if c in df.columns]
    if reverse:
        lo, hi = scale if scale is not None else (np.nanmin(df.to_numpy()), np.nanmax(df.to_numpy()))
        df[reverse] = lo + hi - df[reverse]
    if nan_policy == "listwise":
        df = df.dropna(how="any")
    elif nan_policy != "pairwise":
        raise ValueError("nan_policy must be 'pairwise' or 'listwise'")
    n, k = df.shape
    names = tuple(str(c) for c in df.columns)
    if k < 2 or n < 2:
        notes.append("alpha needs at least 2 items and 2 people / cần ít nhất 2 câu và 2 người")
        return Alpha(math.nan, math.nan, math.nan, n, k, names, "; ".join(notes))
    cov = df.cov().to_numpy()
    total = np.nansum(cov)
    if not np.isfinite(total) or total <= 0 or np.isnan(cov).any():
        notes.append("total score has no variance (or item pairs never answered together) / "
                     "tổng điểm không có phương sai")
        return Alpha(math.nan, math.nan, math.nan, n, k, names, "; ".join(notes))
    alpha = k / (k - 1) * (1 - np.trace(cov) / total)
    g = 1 - confidence
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1 - (1 - alpha) * sps.f.isf(g / 2, df1, df2)
    hi = 1 - (1 - alpha) * sps.f.isf(1 - g / 2, df1, df2)
    return Alpha(float(alpha), float(lo), float(hi), n, k, names, "; ".join(notes))


@dataclass(frozen=True)
class McNemar:
    """McNemar's test of a change in a yes/no outcome."""

    table: pd.DataFrame
    n: int
    b: int
    c: int
    statistic: float
    p_approx: float
    p_exact: float
    note: str = ""


def mcnemar(before, after) -> McNemar:
    """McNemar's test for paired yes/no answers (``before``/``after`` booleans or 0/1; pairs
    with a missing side are dropped).

    ``table`` rows = before (no, yes), columns = after (no, yes); ``b`` = no→yes, ``c`` = yes→no.
    Statistic with continuity correction ``(|b - c| - 1)² / (b + c)`` ~ χ²(1) — R
    ``mcnemar.test(correct = TRUE)``; exact p = two-sided binomial ``min(1, 2 P(X ≤ min(b, c)))``,
    ``X ~ Bin(b + c, 1/2)``.

    Pinned: pingouin's ``chi2_mcnemar`` data, table [[20, 40], [8, 12]]: χ² = 20.021,
    exact p = 3.3e-6 (R ``mcnemar.test``: McNemar's chi-squared = 20.021, df = 1, p = 7.7e-06).
    """
    x = pd.Series(np.asarray(before, dtype=object))
    y = pd.Series(np.asarray(after, dtype=object))
    ok = x.notna() & y.notna()
    xb = x[ok].astype(float).astype(bool).to_numpy()
    yb = y[ok].astype(float).astype(bool).to_numpy()
    a = int(np.sum(~xb & ~yb))
    b = int(np.sum(~xb & yb))
    c = int(np.sum(xb & ~yb))
    d = int(np.sum(xb & yb))
    table = pd.DataFrame([[a, b], [c, d]], index=["before: no", "before: yes"], columns=["after: no", "after: yes"])
    n = a + b + c + d
    if b + c == 0:
        return McNemar(table, n, b, c, math.nan, math.nan, math.nan,
                       "nobody changed answer: no test / không ai đổi câu trả lời")
    stat = (abs(b - c) - 1) ** 2 / (b + c)
    p_approx = float(special.chdtrc(1, stat))
    p_exact = float(min(1.0, 2 * sps.binom.cdf(min(b, c), b + c, 0.5)))
    note = "fewer than 5 discordant pairs / dưới 5 cặp thay đổi" if b + c < 5 else ""
    return McNemar(table, n, b, c, float(stat), p_approx, p_exact, note)
