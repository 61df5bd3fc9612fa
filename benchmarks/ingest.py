"""Benchmark: ingest + validate 10k, 100k and 1M synthetic survey responses.

Each size runs in its own subprocess (so peak memory is that size's alone, read from
``ru_maxrss``): first the synthetic KoboToolbox CSV is written (not timed), then a fresh
subprocess times ``hocvuso.surveys.ingest`` — read, map, parse, pandera validation, quarantine,
pseudonymisation, de-duplication, matching and writing parquet + CSV. Prints a table and ends
with one line ``1M rows: N s, M GB``. Goal: 1M rows < 60 s and < 4 GB, growing linearly.

    python benchmarks/ingest.py            # 10k, 100k, 1M
    python benchmarks/ingest.py 10000 50000
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = [10_000, 100_000, 1_000_000]

WRITE = """
import sys
from pathlib import Path
from hocvuso.surveys.synthetic import synthetic_cohort, write_kobo_csv
rows, out = int(sys.argv[1]), Path(sys.argv[2])
n = max(100, int(rows / 1.6))
df = synthetic_cohort(n, seed=7, plant_errors=True)
while len(df) < rows:  # top up to the exact size
    df = df._append(df.iloc[: rows - len(df)], ignore_index=True) if hasattr(df, "_append") else \
        __import__("pandas").concat([df, df.iloc[: rows - len(df)]], ignore_index=True)
df = df.iloc[:rows]
write_kobo_csv(df, out)
print(len(df))
"""

RUN = """
import json, resource, sys, time
from pathlib import Path
from hocvuso.surveys.ingest import ingest
path, out = Path(sys.argv[1]), Path(sys.argv[2])
t = time.perf_counter()
clean = ingest([path], out, quiet=True)
seconds = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
flow = json.loads((clean / "flow.json").read_text())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_bytes": peak, "rows_read": flow["rows_read"],
                  "accepted": flow["accepted"], "quarantined": flow["quarantined"],
                  "duplicates": flow["duplicates_removed"], "matched": flow["matched"]}))
"""


def run(rows: int, tmp: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("HOCVUSO_SECRET", "benchmark-only-secret")
    csv = tmp / f"kobo_synthetic_{rows}.csv"
    subprocess.run([sys.executable, "-c", WRITE, str(rows), str(csv)], check=True, env=env,
                   capture_output=True, text=True)
    res = subprocess.run([sys.executable, "-c", RUN, str(csv), str(tmp / f"out_{rows}")], check=True,
                         env=env, capture_output=True, text=True)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    out["rows"] = rows
    out["mb_file"] = csv.stat().st_size / 1e6
    return out


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or SIZES
    print(f"{'rows':>10} {'file MB':>8} {'seconds':>8} {'CPU s':>7} {'µs/row':>7} {'peak GB':>8} {'accepted':>9} "
          f"{'quarant.':>8} {'dups':>7} {'matched':>8}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="hocvuso-bench-") as tmp:
        for rows in sizes:
            r = run(rows, Path(tmp))
            results.append(r)
            print(f"{r['rows']:>10,} {r['mb_file']:>8.1f} {r['seconds']:>8.2f} {r['cpu']:>7.1f} "
                  f"{1e6 * r['seconds'] / r['rows']:>7.1f} "
                  f"{r['peak_bytes'] / 1e9:>8.2f} {r['accepted']:>9,} {r['quarantined']:>8,} "
                  f"{r['duplicates']:>7,} {r['matched']:>8,}", flush=True)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(wall time stretches when the machine is shared; CPU s is the process's own time)")
        print(f"growth: {b['rows'] / a['rows']:.0f}x rows → {b['seconds'] / a['seconds']:.1f}x time, "
              f"{b['peak_bytes'] / a['peak_bytes']:.1f}x peak memory")
    last = results[-1]
    label = "1M" if last["rows"] == 1_000_000 else f"{last['rows']:,}"
    print(f"{label} rows: {last['seconds']:.1f} s, {last['peak_bytes'] / 1e9:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
