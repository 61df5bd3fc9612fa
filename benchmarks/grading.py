"""Benchmark: plain serial ``nbgrader autograde`` vs ``hocvuso quizzes grade`` on the same submissions.

Builds quiz 01 in a temporary course, writes N (default 100) synthetic submissions, grades a
copy with ``nbgrader autograde <quiz> --force`` (nbgrader's own CLI, one notebook after another)
and another copy with ``hocvuso quizzes grade`` (parallel workers, warm kernels), checks that
every per-cell score in the two gradebooks is identical, and measures a bare kernel
start-and-run of one submission with nbclient (no nbgrader) for reference. The machine is
shared, so run it when it is quiet; times are wall-clock seconds.

    .venv/bin/python benchmarks/grading.py [-n 100] [--workers 2]

The last line is ``speedup: N.Nx`` (serial nbgrader time ÷ hocvuso time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIZ = "q01-nguoi-hoc-cao-tuoi"


def env() -> dict:
    e = dict(os.environ)
    e["PATH"] = str(Path(sys.executable).parent) + os.pathsep + e.get("PATH", "")
    e.pop("HOCVUSO_GRADEBOOK_URL", None)
    return e


def scores(db: Path) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for sub in gb.assignment_submissions(QUIZ):
            for nb in sub.notebooks:
                for g in nb.grades:
                    out[(sub.student_id, g.name)] = g.score
    return out


def bare_kernel_run(notebook: Path, repeats: int = 5) -> float:
    """Median seconds to start a fresh kernel and run one submission (nbclient, no nbgrader)."""
    import nbformat
    from nbclient import NotebookClient

    times = []
    for _ in range(repeats):
        nb = nbformat.read(notebook, as_version=4)
        started = time.perf_counter()
        NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3").execute()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100, help="submissions (default 100)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cold", action="store_true", help="also time --no-warm (a fresh kernel per notebook)")
    args = ap.parse_args(argv)

    from hocvuso.quizzes.build import build
    from hocvuso.quizzes.cohort import NAME_LIKE_ID, write_cohort

    with tempfile.TemporaryDirectory(prefix="hocvuso-bench-") as tmp:
        tmp = Path(tmp)
        base = tmp / "base"
        base.mkdir()
        shutil.copy(ROOT / "course" / "nbgrader_config.py", base / "nbgrader_config.py")
        print(f"building {QUIZ} and {args.n} synthetic submissions …", flush=True)
        build(base, only=[QUIZ], progress=None)
        write_cohort(base, n=args.n + 1, quizzes=[QUIZ])
        shutil.rmtree(base / "submitted" / NAME_LIKE_ID)  # ASCII ids only: nbgrader's CLI needs them
        n = len(list((base / "submitted").glob(f"*/{QUIZ}/{QUIZ}.ipynb")))
        a, b = tmp / "nbgrader", tmp / "hocvuso"
        shutil.copytree(base, a)
        shutil.copytree(base, b)

        print(f"nbgrader autograde (serial) on {n} submissions …", flush=True)
        started = time.perf_counter()
        res = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", QUIZ, "--force"],
                             cwd=a, env=env(), capture_output=True, text=True)
        t_nbgrader = time.perf_counter() - started
        if res.returncode != 0:
            print(res.stderr[-3000:])
            return 1

        print(f"hocvuso quizzes grade ({args.workers} workers) on {n} submissions …", flush=True)
        started = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "hocvuso.cli", "quizzes", "grade", "--course", str(b),
                              "--workers", str(args.workers), "--out", str(tmp / "out")],
                             cwd=b, env=env(), capture_output=True, text=True)
        t_hocvuso = time.perf_counter() - started
        if res.returncode != 0:
            print(res.stdout[-2000:], res.stderr[-3000:])
            return 1

        t_cold = None
        if args.cold:
            c = tmp / "cold"
            shutil.copytree(base, c)
            print(f"hocvuso quizzes grade --no-warm ({args.workers} workers) …", flush=True)
            started = time.perf_counter()
            res = subprocess.run([sys.executable, "-m", "hocvuso.cli", "quizzes", "grade", "--course", str(c),
                                  "--workers", str(args.workers), "--no-warm", "--out", str(tmp / "out-cold")],
                                 cwd=c, env=env(), capture_output=True, text=True)
            t_cold = time.perf_counter() - started
            if res.returncode != 0 or scores(c / "gradebook.db") != scores(a / "gradebook.db"):
                print("--no-warm run failed or differs", res.stderr[-2000:])
                return 1

        sa, sb = scores(a / "gradebook.db"), scores(b / "gradebook.db")
        same = sa == sb and len(sa) > 0
        differing = [k for k in sa if sa.get(k) != sb.get(k)]
        one = next((b / "submitted").glob(f"*/{QUIZ}/{QUIZ}.ipynb"))
        print("bare kernel start-and-run (5 runs) …", flush=True)
        t_bare = bare_kernel_run(one)

    rows = [
        ("nbgrader autograde, serial", t_nbgrader, t_nbgrader / n),
        (f"hocvuso quizzes grade, {args.workers} workers", t_hocvuso, t_hocvuso / n),
    ]
    if t_cold is not None:
        rows.append((f"hocvuso quizzes grade --no-warm, {args.workers} workers", t_cold, t_cold / n))
    print()
    print(f"| method ({n} submissions of {QUIZ}) | wall (s) | per notebook (s) | per notebook ÷ bare kernel run |")
    print("|---|---:|---:|---:|")
    for label, total, per in rows:
        print(f"| {label} | {total:.1f} | {per:.3f} | {per / t_bare:.2f} |")
    print(f"| bare kernel start-and-run, median of 5 (nbclient, no nbgrader) | – | {t_bare:.3f} | 1.00 |")
    print()
    print(f"scores identical in both gradebooks: {'yes' if same else 'NO'} ({len(sa)} graded cells compared)")
    if not same:
        print(f"differing cells: {differing[:10]}")
    print(f"speedup: {t_nbgrader / t_hocvuso:.1f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
