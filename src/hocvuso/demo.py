"""``hocvuso demo``: the whole main job, end to end, on the embedded synthetic demo data.

Each subsystem contributes a step: a function ``demo_step(build: Path) -> dict[label, Path]``
that writes its outputs under ``build/`` and returns where they went. Steps run in order;
a failing step stops the demo with a non-zero exit and names the step (fail loudly).
Running it twice gives the same result (each step overwrites its own outputs).
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from .paths import build_dir

#: (label, "module:function"), in the order of the data flow in docs/ARCHITECTURE.md.
STEPS: list[tuple[str, str]] = [
    ("Kiểm tra giáo trình / check the syllabus", "hocvuso.curriculum:demo_step"),
    ("Phiếu hướng dẫn chữ to / large-print handouts", "hocvuso.handouts:demo_step"),
    ("Tạo bài kiểm tra nbgrader / build the quizzes", "hocvuso.quizzes.build:demo_step"),
    ("Chấm bài nhóm TNV tổng hợp / grade the synthetic cohort", "hocvuso.quizzes.grade:demo_step"),
    ("Ai sẵn sàng đi dạy / readiness report", "hocvuso.quizzes.readiness:demo_step"),
    ("Biểu mẫu khảo sát / survey forms", "hocvuso.surveys.cli:demo_forms_step"),
    ("Nhập dữ liệu khảo sát (tổng hợp) / survey ingest (synthetic)", "hocvuso.surveys.cli:demo_ingest_step"),
    ("Báo cáo kết quả trước–sau / outcome report", "hocvuso.analysis.cli:demo_step"),
]


def run_demo(build: Path | None = None, *, only: list[str] | None = None) -> dict[str, Path]:
    build = Path(build) if build else build_dir()
    build.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Path] = {}
    steps = [s for s in STEPS if not only or any(o in s[1] for o in only)]
    for number, (label, target) in enumerate(steps, start=1):
        module_name, func_name = target.split(":")
        print(f"[{number}/{len(steps)}] {label} …", flush=True)
        started = time.perf_counter()
        func = getattr(importlib.import_module(module_name), func_name)
        result = func(build) or {}
        for what, where in result.items():
            print(f"      → {what}: {_rel(where)}", flush=True)
        outputs.update(result)
        print(f"      xong / done ({time.perf_counter() - started:.1f} s)", flush=True)
    return outputs


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="chạy toàn bộ trên dữ liệu minh họa / run the whole job on the demo data",
        description="Chạy toàn bộ chuỗi xử lý trên dữ liệu minh họa (tổng hợp, không có người thật) "
        "và in nơi lưu mỗi kết quả.\nRun the whole pipeline on the synthetic demo data and print "
        "where every output went.",
    )
    p.add_argument("--build", type=Path, default=None, help="thư mục kết quả / output folder (build/)")
    p.add_argument("--only", action="append", default=None,
                   help="chỉ chạy bước có tên chứa chuỗi này / only steps whose target contains this")
    p.set_defaults(func=_cmd_demo)


def _cmd_demo(args) -> int:
    started = time.perf_counter()
    outputs = run_demo(args.build, only=args.only)
    print(f"Demo xong: {len(outputs)} kết quả trong {time.perf_counter() - started:.1f} s / "
          f"demo done: {len(outputs)} outputs", file=sys.stdout)
    return 0
