"""Command line: ``hocvuso quizzes build|grade|cohort`` and ``hocvuso readiness``."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    q = sub.add_parser(
        "quizzes",
        help="bài kiểm tra sẵn sàng (nbgrader): tạo, chấm / readiness quizzes: build, grade",
        description="Tạo bài kiểm tra nbgrader từ ngân hàng câu hỏi và chấm bài nộp song song.\n"
        "Build nbgrader quizzes from the question banks and grade submissions in parallel.",
    )
    qsub = q.add_subparsers(dest="quizzes_command", metavar="LỆNH/COMMAND")

    b = qsub.add_parser("build", help="ngân hàng câu hỏi → course/source + course/release / banks → nbgrader notebooks")
    b.add_argument("--course", type=Path, default=None, help="thư mục khóa học nbgrader / course root (course/)")
    b.add_argument("--quiz", action="append", default=None, help="chỉ tạo bài này / only this quiz id")
    b.add_argument("--exchange", type=Path, default=None,
                   help="phát vào thư mục trao đổi nbgrader (thẻ Assignments) / also release to this nbgrader exchange")
    b.set_defaults(func=_cmd_build)

    g = qsub.add_parser(
        "grade",
        help="chấm song song bằng nbgrader, phản hồi, điểm từng câu / parallel nbgrader autograde, feedback, per-item CSV",
        description="Chấm bài trong course/submitted/ (hoặc một thư mục / tệp zip bài tải về) bằng nbgrader, song song.\n"
        "Tên tệp / file names: <mã-tnv>/<mã-bài>.ipynb hoặc <mã-bài>_<mã-tnv>.ipynb.\n"
        "Grade course/submitted/ (or a folder / zip of downloaded notebooks) with nbgrader, in parallel.",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    g.add_argument("inputs", nargs="*", type=Path, help="thư mục hoặc .zip bài nộp / folder or zip of submissions")
    g.add_argument("--course", type=Path, default=None, help="thư mục khóa học / course root")
    g.add_argument("--db", default=None, help="gradebook URL (mặc định SQLite; postgresql://… được chấp nhận)")
    g.add_argument("--workers", type=int, default=None, help="số tiến trình chấm / worker processes (default: CPUs)")
    g.add_argument("--timeout", type=int, default=None, help="giây tối đa mỗi ô / seconds per cell (nbgrader config)")
    g.add_argument("--out", type=Path, default=None, help="thư mục báo cáo / report folder (build/quizzes)")
    g.add_argument("--no-warm", action="store_true", help="một kernel mới cho mỗi bài / fresh kernel per notebook")
    g.set_defaults(func=_cmd_grade)

    c = qsub.add_parser("cohort", help="tạo nhóm tình nguyện viên tổng hợp / synthetic cohort into course/submitted")
    c.add_argument("--course", type=Path, default=None)
    c.add_argument("-n", type=int, default=40, help="số tình nguyện viên / number of volunteers")
    c.add_argument("--seed", type=int, default=2025)
    c.set_defaults(func=_cmd_cohort)

    q.set_defaults(func=lambda args: (q.print_help(), 0)[1])

    r = sub.add_parser(
        "readiness",
        help="ai sẵn sàng đi dạy: bảng, chứng nhận, phân tích câu hỏi / who is ready: table, certificates, item analysis",
        description="Gộp điểm bài kiểm tra (gradebook) và kết quả buổi dạy thử (CSV) thành bảng sẵn sàng.\n"
        "Combine quiz scores (gradebook) and teaching-demo results (CSV) into the readiness report.",
    )
    r.add_argument("--scores", type=Path, default=None, help="per-item scores CSV (build/quizzes/item-scores.csv)")
    r.add_argument("--demo", type=Path, default=None, help="kết quả dạy thử / teaching-demo marks CSV (mặc định / default build/readiness/teaching-demo.csv)")
    r.add_argument("--out", type=Path, default=None, help="thư mục kết quả / output folder (build/readiness)")
    r.set_defaults(func=_cmd_readiness)


def _cmd_build(args) -> int:
    from .build import build

    out = build(args.course, only=args.quiz, exchange=args.exchange)
    print(f"Đã tạo {len(out)} bài kiểm tra / built {len(out)} quizzes")
    return 0


def _cmd_grade(args) -> int:
    from .grade import grade

    report = grade(args.inputs, course=args.course, db_url=args.db, workers=args.workers,
                   timeout=args.timeout, out=args.out, warm=not args.no_warm)
    print(report.summary())
    return 0


def _cmd_cohort(args) -> int:
    from .cohort import write_cohort

    paths = write_cohort(args.course, n=args.n, seed=args.seed)
    print(f"Đã tạo {len(paths)} bài nộp tổng hợp / wrote {len(paths)} synthetic submissions")
    return 0


def _cmd_readiness(args) -> int:
    from .readiness import run_readiness

    out = run_readiness(scores=args.scores, demo=args.demo, out=args.out)
    for label, path in out.items():
        print(f"{label}: {path}")
    return 0
