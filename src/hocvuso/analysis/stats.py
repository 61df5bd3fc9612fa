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

import contextlib
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


#: Participants per block in the vectorised core (keeps the stacked blocks in cache).
CHUNK = 8192


def _one_thread():
    """BLAS on one thread: the products here are small, and a multi-threaded BLAS on a busy
    machine can be 10× slower than one thread."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _paired_core(pre: np.ndarray, post: np.ndarray, member: np.ndarray | None,
                 confidence: float) -> dict[str, np.ndarray]:
    """Every statistic of :func:`paired_change` for ``C`` cells × ``k`` outcomes at once.

    ``pre`` and ``post`` are ``(n, k)``; ``member`` is an ``(n, C)`` 0/1 matrix saying which
    participants belong to each cell (the whole sample, each subgroup level; cells may overlap).
    Sums per cell are matrix products ``member.T @ X`` over blocks of participants, so all cells
    and outcomes cost one pass over the data. Sums of squares are taken on columns centred at
    their overall mean (variance is shift invariant; this keeps the one-pass formula accurate).
    Wilcoxon ranks come from counts of each distinct |difference| per cell when the differences
    lie on a small grid (ordinal answers, means of a few items) and from a sort per cell
    otherwise. Returned arrays are ``(C * k,)``, cell-major.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, e.g. 0.95 (got {confidence!r})")
    n_obs, k = pre.shape
    if member is None:
        member = np.ones((n_obs, 1))
    mt = np.ascontiguousarray(member.T, dtype=float)
    n_groups = mt.shape[0]
    n_cells = n_groups * k
    valid = ~(np.isnan(pre) | np.isnan(post))
    vf = valid.astype(float)
    count_col = np.maximum(vf.sum(axis=0), 1.0)
    c0 = np.where(valid, pre, 0.0).sum(axis=0) / count_col
    c1 = np.where(valid, post, 0.0).sum(axis=0) / count_col
    raw_d = np.where(valid, post - pre, 0.0)
    a = np.abs(raw_d)
    codes, n_levels = _grid_codes(a)
    present = np.array([], dtype=np.int64)
    if codes is not None:
        present = np.flatnonzero(np.bincount(codes.ravel(), minlength=n_levels)[1:]) + 1
        if len(present) > 64:
            codes = None
    moments = np.zeros((n_groups, 6 * k))
    counts = np.zeros((n_groups, 2 * len(present) * k), dtype=np.float32) if codes is not None else None
    with _one_thread():
        for start in range(0, n_obs, CHUNK):
            sl = slice(start, start + CHUNK)
            v = vf[sl]
            x0 = np.where(valid[sl], pre[sl] - c0, 0.0)
            x1 = np.where(valid[sl], post[sl] - c1, 0.0)
            dc = x1 - x0
            block = np.hstack([v, x0, x1, x0 * x0, x1 * x1, dc * dc])
            m = mt[:, sl]
            moments += m @ block
            if counts is not None and len(present):
                cd = codes[sl]
                positive = raw_d[sl] > 0
                parts = []
                for level in present:
                    at = cd == level
                    parts.append(at)
                    parts.append(at & positive)
                counts += m.astype(np.float32) @ np.hstack(parts).astype(np.float32)
    n, s0, s1, q0, q1, qd = (moments[:, j * k:(j + 1) * k].ravel() for j in range(6))
    sd_ = s1 - s0
    cc0, cc1 = np.tile(c0, n_groups), np.tile(c1, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pre = s0 / n + cc0
        mean_post = s1 / n + cc1
        mean_d = sd_ / n + (cc1 - cc0)

        def var(q, s):
            ss = q - s * s / n
            # rounding in the one-pass formula: below 1e-12 of the second moment is zero
            return np.where(ss <= 1e-12 * q, 0.0, ss) / (n - 1)

        var_pre, var_post, var_d = var(q0, s0), var(q1, s1), var(qd, sd_)
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

    if counts is not None:
        v, r_minus, nz, ties = _ranks_from_counts(counts.astype(float), len(present), k)
    else:
        v, r_minus, nz, ties = _ranks_by_sorting(raw_d, valid, a, member, n_groups, k)
    has_zero = nz < n
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


def _ranks_from_counts(counts: np.ndarray, n_present: int, k: int):
    """V, R-, non-zero count and Σ(t³ - t) per cell × outcome from the counts of each distinct
    |d| (ascending) and of those with d > 0: tied values share the average rank
    ``(count below) + (t + 1) / 2``."""
    n_groups = counts.shape[0]
    c = counts.reshape(n_groups, n_present, 2, k)
    cnt_all = c[:, :, 0, :].transpose(1, 0, 2).reshape(n_present, n_groups * k)
    cnt_pos = c[:, :, 1, :].transpose(1, 0, 2).reshape(n_present, n_groups * k)
    before = np.cumsum(cnt_all, axis=0) - cnt_all
    avg_rank = before + (cnt_all + 1) / 2
    v = (cnt_pos * avg_rank).sum(axis=0)
    r_all = (cnt_all * avg_rank).sum(axis=0)
    ties = (cnt_all**3 - cnt_all).sum(axis=0)
    return v, r_all - v, cnt_all.sum(axis=0), ties


def _ranks_by_sorting(d, valid, a, member, n_groups, k):
    """General path (continuous differences): per cell, one lexicographic sort by (outcome,
    |d|). |d| that agree to 10 significant digits of the largest |d| are ties (so rounding in
    post - pre, e.g. after rescaling, does not split a tie)."""
    use = valid & (d != 0)
    top = float(a.max()) if a.size else 0.0
    scale = 1e10 / top if top > 0 else 1.0
    out = [np.zeros(n_groups * k) for _ in range(4)]
    for g in range(n_groups):
        rows = member[:, g] > 0
        u = use[rows]
        keys = np.broadcast_to(np.arange(k), u.shape)[u]
        vals = np.rint(a[rows][u] * scale)
        pos = d[rows][u] > 0
        res = _keyed_signed_ranks(keys, vals, pos, k)
        for o, r in zip(out, res, strict=True):
            o[g * k:(g + 1) * k] = r
    return tuple(out)


def _keyed_signed_ranks(keys, a, pos, n_cells):
    """Average ranks of ``a`` within each key (one lexicographic sort); returns V, R-, count,
    Σ(t³ - t)."""
    nz = np.bincount(keys, minlength=n_cells).astype(float)
    if a.size == 0:
        zeros = np.zeros(n_cells)
        return zeros, zeros.copy(), nz, zeros.copy()
    order = np.lexsort((a, keys))
    ks, av, ps = keys[order], a[order], pos[order]
    m = ks.size
    new_run = np.ones(m, dtype=bool)
    new_run[1:] = (ks[1:] != ks[:-1]) | (av[1:] != av[:-1])
    run_start = np.flatnonzero(new_run)
    run_len = np.diff(np.append(run_start, m))
    new_cell = np.ones(m, dtype=bool)
    new_cell[1:] = ks[1:] != ks[:-1]
    cell_start_pos = np.flatnonzero(new_cell)
    cell_first = np.repeat(cell_start_pos, np.diff(np.append(cell_start_pos, m)))[run_start]
    run_avg_rank = (run_start - cell_first) + (run_len + 1) / 2
    rank = np.repeat(run_avg_rank, run_len)
    v = np.bincount(ks[ps], rank[ps], n_cells)
    r_all = np.bincount(ks, rank, n_cells)
    ties = np.bincount(ks[run_start], run_len.astype(float) ** 3 - run_len, n_cells)
    return v, r_all - v, nz, ties


def _grid_codes(a: np.ndarray, max_levels: int = 4096):
    """Integer codes for |d| (``a`` ≥ 0, 0 = not used) when the values lie on a small grid
    (integers, or halves, thirds… as in means of a few 1–5 items); ``(None, 0)`` otherwise."""
    top = float(a.max()) if a.size else 0.0
    if top == 0:
        return np.zeros(a.shape, dtype=np.int64), 1
    for step in (1, 2, 3, 4, 5, 6, 8, 10, 12):
        if top * step >= max_levels:
            break
        scaled = a * step if step != 1 else a
        r = np.rint(scaled)
        if np.abs(scaled - r).max() < 1e-9 * max(1.0, top * step):
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
    r = _paired_core(a, b, None, confidence)
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
    names, levels = ["all"], ["all"]
    columns = [np.ones(a.shape[0])]
    if by is not None:
        frame = by.to_frame() if isinstance(by, pd.Series) else by
        if len(frame) != a.shape[0]:
            raise ValueError("`by` must have one row per participant")
        for col in frame.columns:
            cat = pd.Categorical(frame[col])
            codes = np.asarray(cat.codes)
            for j, lev in enumerate(cat.categories):
                names.append(str(col))
                levels.append(str(lev))
                columns.append((codes == j).astype(float))
    member = np.column_stack(columns)
    r = _paired_core(a, b, member, confidence)
    cells = len(levels) * k
    table = pd.DataFrame({key: r[key] for key in r})
    table.insert(0, "item", items * len(levels))
    table.insert(0, "level", np.repeat(levels, k))
    table.insert(0, "subgroup", np.repeat(names, k))
    use_exact = np.isfinite(r["wilcoxon_p_exact"]) & exact
    table["wilcoxon_p"] = np.where(use_exact, r["wilcoxon_p_exact"], r["wilcoxon_p_approx"])
    table["wilcoxon_method"] = np.where(use_exact, WILCOXON_EXACT, WILCOXON_APPROX)
    table["note"] = _vector_notes(r, cells)
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
