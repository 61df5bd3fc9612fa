"""``hocvuso report``: the outcome report as one self-contained HTML file; and the demo step.

Kept light (heavy imports happen when the command runs, not when ``hocvuso --help`` builds
its parser).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

LANGS = ("vi", "en")
DEFAULT_SUBGROUPS = "age_band,sex,education,venue_type,khu_pho"


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="báo cáo kết quả trước–sau (HTML) / pre-post outcome report (HTML)",
        description="Chạy analysis/outcomes.ipynb (papermill) trên dữ liệu khảo sát sạch và xuất một tệp "
        "HTML tự chứa, không có mã; ô dưới 5 người hiển thị \"<5\".\nRun analysis/outcomes.ipynb "
        "(papermill) on the clean survey data and export one self-contained HTML file without code; "
        "cells of fewer than 5 people show \"<5\".",
    )
    p.add_argument("--data", type=Path, default=None,
                   help="thư mục dữ liệu sạch (OUT hoặc OUT/clean của `hocvuso survey ingest`); bỏ trống = "
                   "dữ liệu minh họa tổng hợp / clean data folder (OUT or OUT/clean); omit for the synthetic "
                   "demo cohort")
    p.add_argument("--lang", choices=list(LANGS), default="vi", help="ngôn ngữ báo cáo / report language")
    p.add_argument("--out", type=Path, default=None,
                   help="tệp HTML / output file (mặc định / default build/report/report.<lang>.html)")
    p.add_argument("--subgroups", default=None,
                   help=f"biến phân nhóm, cách nhau bởi dấu phẩy / comma-separated subgroup variables "
                   f"(mặc định / default {DEFAULT_SUBGROUPS})")
    p.set_defaults(func=_cmd_report)


def _cmd_report(args) -> int:
    from .report import render_report

    started = time.perf_counter()
    subgroups = [s.strip() for s in args.subgroups.split(",") if s.strip()] if args.subgroups else None
    print("Đang tạo báo cáo / building the report …", flush=True)
    out = render_report(args.data, lang=args.lang, out=args.out, subgroups=subgroups)
    print(f"Báo cáo / report: {out} ({time.perf_counter() - started:.1f} s)")
    return 0


def demo_step(build: Path) -> dict[str, Path]:
    """The outcome report (Vietnamese and English) on the synthetic cohort that the survey
    ingest step wrote to ``build/surveys/demo/clean`` (generated there if missing)."""
    from .data import demo_data
    from .report import render_report

    clean = demo_data(Path(build) / "surveys" / "demo")
    out = {}
    for lang in LANGS:
        started = time.perf_counter()
        path = render_report(clean, lang=lang, out=Path(build) / "report" / f"report.{lang}.html")
        print(f"      báo cáo / report ({lang}): {time.perf_counter() - started:.1f} s", flush=True)
        out[f"báo cáo kết quả / outcome report ({lang})"] = path
    return out


if __name__ == "__main__":  # pragma: no cover - `python -m hocvuso.analysis.cli --data …`
    import argparse

    parser = argparse.ArgumentParser(prog="hocvuso-report")
    register(parser.add_subparsers())
    ns = parser.parse_args(["report", *sys.argv[1:]])
    sys.exit(ns.func(ns))
