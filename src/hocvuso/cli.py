"""The ``hocvuso`` command: thin, bilingual, no tracebacks for user errors.

Each subsystem module exposes ``register(subparsers)`` adding its own subcommands; this file
only lists them. A :class:`~hocvuso.errors.UserError` (or a usage error) is printed on one
line with the fix and exits with code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import UserError

#: Modules that add subcommands, in the order they appear in ``hocvuso --help``.
SUBCOMMAND_MODULES = [
    "hocvuso.demo",
    "hocvuso.curriculum",
    "hocvuso.handouts",
    "hocvuso.quizzes.cli",
    "hocvuso.lab",
    "hocvuso.surveys.cli",
    "hocvuso.analysis.cli",
]

DESCRIPTION = """\
hocvuso — bộ công cụ cho phong trào "Bình dân học vụ số": sổ tay tập huấn tình nguyện viên,
bài kiểm tra sẵn sàng (nbgrader), khảo sát trước/sau và phân tích kết quả.

hocvuso — the toolkit of Vietnam's "Bình dân học vụ số" (popular digital literacy) programme:
volunteer training notebooks, nbgrader readiness quizzes, pre/post surveys and outcome analysis.
"""

EPILOG = """\
Ví dụ / examples:
  hocvuso demo                 chạy toàn bộ trên dữ liệu minh họa / run everything on the demo data
  hocvuso curriculum           bảng thời lượng giáo trình / syllabus minutes table
  hocvuso handouts             phiếu hướng dẫn chữ to để in / large-print handouts to print
  hocvuso LỆNH --help          trợ giúp của một lệnh / help for one subcommand
"""


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line, bilingual usage error and exit code 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        message = message.replace("invalid choice", "lệnh không hợp lệ / invalid choice")
        sys.stderr.write(f"{self.prog}: lỗi / error: {message} — chạy / run: {self.prog} --help\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hocvuso",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hocvuso {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH/COMMAND", title="lệnh / commands")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        sys.stderr.write(f"hocvuso: lỗi / error: {exc.one_line()}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("hocvuso: đã dừng / interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
