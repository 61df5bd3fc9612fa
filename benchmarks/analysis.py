"""How fast is the full paired-change table, and is it the same as pingouin's numbers?

The table: every statistic of ``hocvuso.analysis.paired_change`` (n, means, mean difference with
CI, t, df, p, d_z with CI, g_av, Wilcoxon V / p (normal approximation, continuity and tie
corrected) / exact p where available, rank-biserial r) for 40 items × 10 subgroups (sex 2, age
band 3, venue type 2, education 3) plus the whole sample, Holm-adjusted across items within each
subgroup, on synthetic 1–5 answers (massive ties, ~15% zero differences) for 10,000 and 100,000
participants.

Compared with:
* a loop of pingouin calls (``pg.ttest(paired=True)``, ``pg.wilcoxon``, ``pg.compute_effsize``
  hedges) on the 10,000 set — the numbers must agree (checked, the script fails otherwise);
  pingouin's Wilcoxon is quadratic in n (its CLES), so it is not run at 100,000;
* a bare vectorised SciPy computation of the t and Wilcoxon tests alone
  (``scipy.stats.ttest_rel(axis=0)``, ``scipy.stats.wilcoxon(axis=0)``): the floor.

Prints a table of median times and ends with ``speedup: N.Nx`` (pingouin loop ÷ hocvuso at
10,000). Run: ``.venv/bin/python benchmarks/analysis.py`` (``--quick`` for a smaller check).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats as sps

from hocvuso.analysis import paired_change_table

N_ITEMS = 40
SUBGROUPS = {"sex": ["nam", "nu"], "age_band": ["60-69", "70-79", "80+"],
             "venue_type": ["cafe", "nha_van_hoa"], "education": ["tieu_hoc", "thcs", "thpt"]}


def make(n: int, seed: int = 1):
    """SYNTHETIC answers: 40 items, 1–5, post improved by about half a point."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, (n, 1))
    pre = np.clip(np.rint(3 + ability + rng.normal(0, 0.9, (n, N_ITEMS))), 1, 5)
    post = np.clip(np.rint(pre + rng.normal(0.5, 0.9, (n, N_ITEMS))), 1, 5)
    cols = [f"q{j:02d}" for j in range(N_ITEMS)]
    by = pd.DataFrame({k: rng.choice(v, n) for k, v in SUBGROUPS.items()})
    return pd.DataFrame(pre, columns=cols), pd.DataFrame(post, columns=cols), by


def time_it(fn, args, repeat: int) -> tuple[float, float, object]:
    """Median wall time, median CPU time of this process, last result. On a shared machine the
    CPU time is the steadier figure (hocvuso runs BLAS on one thread, so CPU ≈ wall when idle)."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return statistics.median(times), statistics.median(cpu), out


def hocvuso_table(pre, post, by):
    return paired_change_table(pre, post, by=by, adjust="holm")


def scipy_floor(pre, post, by):
    """t and Wilcoxon only, vectorised over the 40 items, one call per subgroup level."""
    a, b = pre.to_numpy(), post.to_numpy()
    out = []
    masks = [np.ones(len(pre), bool)] + [(by[k] == lev).to_numpy() for k, v in SUBGROUPS.items() for lev in v]
    for m in masks:
        t = sps.ttest_rel(b[m], a[m], axis=0)
        w = sps.wilcoxon(b[m], a[m], axis=0, correction=True, method="asymptotic")
        out.append((t.statistic, t.pvalue, w.statistic, w.pvalue))
    return out


def pingouin_loop(pre, post, by):
    import pingouin as pg

    rows = []
    cells = [("all", "all", np.ones(len(pre), bool))] + [
        (k, lev, (by[k] == lev).to_numpy()) for k, v in SUBGROUPS.items() for lev in v]
    for k, lev, m in cells:
        for col in pre.columns:
            x, y = post[col].to_numpy()[m], pre[col].to_numpy()[m]
            t = pg.ttest(x, y, paired=True)
            w = pg.wilcoxon(x, y)
            g = pg.compute_effsize(x, y, paired=True, eftype="hedges")
            rows.append({"subgroup": k, "level": lev, "item": col, "T": t["T"].iloc[0], "dof": t["dof"].iloc[0],
                         "pg_p": t["p_val"].iloc[0], "ci": t["CI95"].iloc[0], "W": w["W_val"].iloc[0],
                         "wp": w["p_val"].iloc[0], "RBC": w["RBC"].iloc[0], "g": g})
        block = pd.DataFrame(rows[-len(pre.columns):])
        rows[-len(pre.columns):] = block.assign(
            p_holm=pg.multicomp(block["pg_p"].to_numpy(), method="holm")[1]).to_dict("records")
    return pd.DataFrame(rows)


def check_same(ours: pd.DataFrame, ref: pd.DataFrame) -> int:
    merged = ours.merge(ref, on=["subgroup", "level", "item"], how="inner")
    assert len(merged) == len(ref) == len(ours), (len(merged), len(ref), len(ours))
    total = merged.wilcoxon_n * (merged.wilcoxon_n + 1) / 2
    checks = {
        "t": (merged.t, merged["T"]), "df": (merged.df, merged.dof), "p": (merged.p, merged.pg_p),
        "ci_low": (merged.ci_low, merged.ci.map(lambda c: c[0])),
        "ci_high": (merged.ci_high, merged.ci.map(lambda c: c[1])),
        "wilcoxon W": (np.minimum(merged.wilcoxon_v, total - merged.wilcoxon_v), merged.W),
        "wilcoxon p": (merged.wilcoxon_p, merged.wp), "rank-biserial": (merged.rank_biserial, merged.RBC),
        "g_av": (merged.g_av, merged.g), "Holm p": (merged.p_adj, merged.p_holm),
    }
    for name, (a, b) in checks.items():
        a, b = np.asarray(a, float), np.asarray(b, float)
        # pingouin rounds its CI to 2 decimals
        tol = dict(rtol=0, atol=0.0051) if name.startswith("ci") else dict(rtol=1e-7, atol=1e-12)
        if not np.allclose(a, b, **tol):
            worst = np.nanmax(np.abs(a - b))
            raise SystemExit(f"MISMATCH with pingouin on {name}: max |diff| = {worst:g}")
    return len(merged)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2,000 and 10,000 participants, no pingouin")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    sizes = [2_000, 10_000] if args.quick else [10_000, 100_000]
    warnings.simplefilter("ignore")
    rows, speedup = [], None
    for n in sizes:
        pre, post, by = make(n)
        t_h, c_h, table = time_it(hocvuso_table, (pre, post, by), args.repeat)
        t_s, c_s, _ = time_it(scipy_floor, (pre, post, by), args.repeat)
        t_p, c_p, checked = float("nan"), float("nan"), ""
        if n == 10_000 and not args.quick:
            t0, cpu0 = time.perf_counter(), time.process_time()
            ref = pingouin_loop(pre, post, by)
            t_p, c_p = time.perf_counter() - t0, time.process_time() - cpu0
            checked = f"{check_same(table, ref)} rows identical"
            speedup = t_p / t_h
        rows.append({"participants": f"{n:,}", "cells": len(table),
                     "hocvuso wall / cpu (s)": f"{t_h:.3f} / {c_h:.3f}",
                     "scipy floor wall / cpu (s)": f"{t_s:.3f} / {c_s:.3f}",
                     "hocvuso ÷ floor (wall)": f"{t_h / t_s:.2f}",
                     "pingouin loop wall / cpu (s)": "—" if np.isnan(t_p) else f"{t_p:.1f} / {c_p:.1f}",
                     "vs pingouin": checked or "—"})
        print(f"  {n:,} participants done", file=sys.stderr, flush=True)
    print(f"Paired-change table: {N_ITEMS} items × 10 subgroups + all (median of {args.repeat} runs; "
          "pingouin once)")
    print(pd.DataFrame(rows).to_markdown(index=False) if _has_tabulate() else pd.DataFrame(rows).to_string(index=False))
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: machine busy (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): "
              "wall times are inflated; compare ratios and CPU times")
    if speedup is not None:
        print(f"speedup: {speedup:.1f}x")
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
