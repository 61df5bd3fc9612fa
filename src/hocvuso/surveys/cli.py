"""Subcommands ``hocvuso survey forms``, ``hocvuso survey ingest`` and ``hocvuso privacy scan``,
and the two demo steps (survey forms → survey ingest)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..paths import build_dir


def register(sub) -> None:
    survey = sub.add_parser(
        "survey",
        help="khảo sát trước/sau: biểu mẫu, nhập dữ liệu / pre-post survey: forms, ingest",
        description="Khảo sát trước/sau của người dân / residents' pre-post survey.",
    )
    ssub = survey.add_subparsers(dest="survey_command", metavar="LỆNH/COMMAND")
    survey.set_defaults(func=lambda args: survey.print_help() or 0)

    forms = ssub.add_parser(
        "forms",
        help="viết XLSForm, phiếu giấy chữ to và sổ mã / write the XLSForm, large-print paper forms, codebook",
        description="Từ bộ câu hỏi YAML, viết: biểu mẫu XLSForm cho KoboToolbox/ODK (kiểm tra bằng pyxform), "
        "phiếu giấy chữ to (HTML, in được) và sổ mã (Markdown + CSV).\nFrom the instrument YAML write the "
        "XLSForm (checked with pyxform), large-print paper forms (printable HTML) and the codebook.",
    )
    forms.add_argument("--instrument", type=Path, default=None,
                       help="bộ câu hỏi / instrument YAML (mặc định / default surveys/instruments/hocvuso-pre-post.yml)")
    forms.add_argument("--out", type=Path, default=None, help="thư mục kết quả / output folder (build/surveys/forms)")
    forms.set_defaults(func=_cmd_forms)

    ingest = ssub.add_parser(
        "ingest",
        help="nhập tệp xuất Kobo/ODK/phiếu giấy thành dữ liệu sạch / ingest exports into clean data",
        description="Đọc tệp xuất KoboToolbox (CSV ; hoặc , / XLSX), ODK Central (CSV) hoặc kho nhập phiếu giấy "
        "(JSONL); kiểm tra, cách ly dòng lỗi, ẩn danh, bỏ trùng, ghép cặp trước/sau. Xem docs/DATA.md.\n"
        "Read Kobo / ODK Central exports or the data-entry store; validate, quarantine bad rows, "
        "pseudonymise, de-duplicate and match pre/post. See docs/DATA.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ingest.add_argument("files", nargs="+", type=Path,
                        help="tệp xuất hoặc thư mục chứa chúng / export files or folders of them")
    ingest.add_argument("--out", type=Path, default=None,
                        help="thư mục kết quả / output folder (build/surveys/ingest); dữ liệu sạch ở OUT/clean")
    ingest.add_argument("--instrument", type=Path, default=None, help="bộ câu hỏi / instrument YAML")
    ingest.set_defaults(func=_cmd_ingest)

    privacy = sub.add_parser("privacy", help="kiểm tra quyền riêng tư / privacy checks",
                             description="Kiểm tra quyền riêng tư / privacy checks.")
    psub = privacy.add_subparsers(dest="privacy_command", metavar="LỆNH/COMMAND")
    privacy.set_defaults(func=lambda args: privacy.print_help() or 0)
    scan = psub.add_parser(
        "scan",
        help="tìm số điện thoại, số căn cước, tên, địa chỉ còn sót / find identifiers left in outputs",
        description="Tìm số điện thoại, số căn cước 12 số, tên sau 'tên/bác/cô/chú…' và địa chỉ trong một tệp hoặc "
        "thư mục; mã thoát 1 nếu tìm thấy.\nReport phone numbers, 12-digit ID numbers, names and addresses "
        "left in a file or folder; exit code 1 when any is found.",
    )
    scan.add_argument("path", type=Path, help="tệp hoặc thư mục / file or folder")
    scan.set_defaults(func=_cmd_scan)


def _cmd_forms(args) -> int:
    from .forms import build_forms

    out = args.out or build_dir() / "surveys" / "forms"
    for label, path in build_forms(out, args.instrument).items():
        print(f"{label}: {path}")
    print("pyxform: chuyển đổi không lỗi / converted without errors")
    return 0


def _cmd_ingest(args) -> int:
    from .ingest import ingest

    out = args.out or build_dir() / "surveys" / "ingest"
    clean = ingest(args.files, out, instrument=args.instrument, quiet=False)
    print(f"Dữ liệu sạch / clean data: {clean}")
    return 0


def _cmd_scan(args) -> int:
    from .privacy import cmd_privacy_scan

    return cmd_privacy_scan(args)


# ── demo steps ─────────────────────────────────────────────────────────────────────────────


def demo_forms_step(build: Path) -> dict[str, Path]:
    """Demo: XLSForm (converted by pyxform), paper forms and codebook under build/surveys/forms."""
    from .forms import build_forms

    return build_forms(Path(build) / "surveys" / "forms")


def demo_ingest_step(build: Path) -> dict[str, Path]:
    """Demo: a SYNTHETIC cohort (~600 residents) as Kobo and ODK exports, ingested."""
    from .ingest import ingest
    from .synthetic import DEMO_SECRET, write_demo_exports

    base = Path(build) / "surveys" / "demo"
    files = write_demo_exports(base / "exports")
    clean = ingest(list(files.values()), base, quiet=False, secret=DEMO_SECRET)
    return {
        "tệp xuất Kobo (tổng hợp) / Kobo export (synthetic)": files["kobo"],
        "tệp xuất ODK (tổng hợp) / ODK export (synthetic)": files["odk"],
        "dữ liệu sạch / clean responses": clean / "responses.parquet",
        "ghép cặp / matched": clean / "matched.parquet",
        "cách ly / quarantine": clean / "quarantine.csv",
        "sơ đồ người tham gia / flow": clean / "flow.md",
    }
