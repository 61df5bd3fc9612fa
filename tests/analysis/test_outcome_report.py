"""Does the outcome report read right in both languages, stay self-contained and never show an
identifier, and does `hocvuso report` fail helpfully on bad input?"""

from __future__ import annotations

import re

import pytest
from cohort_factory import make_data, make_responses
from conftest import run_cli

from hocvuso.analysis.report import (
    IDENTIFIER,
    TREND_ITEMS,
    OutcomeReport,
    check_no_identifiers,
)
from hocvuso.errors import UserError

SECTIONS = ["title", "summary", "flow", "methods", "table1", "reliability", "change", "items", "knowledge",
            "feedback", "subgroups_section", "sensitivity", "data_notes", "trend_appendix"]


@pytest.fixture(scope="module")
def data():
    return make_data(160, seed=12)


def _all_html(report: OutcomeReport) -> str:
    return "".join(getattr(report, name)().data for name in SECTIONS)


def _shown(markup: str) -> str:
    """The markup without embedded images (base64 can spell anything, "NaN" included)."""
    return re.sub(r'src="data:image/[^"]+"', 'src=""', markup)


@pytest.mark.parametrize("lang,heading,other", [("vi", "Luồng người tham gia", "Participant flow"),
                                                 ("en", "Participant flow", "Luồng người tham gia")])
def test_every_section_renders_in_the_chosen_language(data, lang, heading, other):
    markup = _all_html(OutcomeReport(data, lang=lang))
    assert heading in markup and f">{other}<" not in markup
    assert markup.count('class="hv-section"') == len(SECTIONS) - 1  # the title is a header
    assert "data:image/png;base64," in markup
    assert ">nan<" not in _shown(markup).lower()


def test_no_participant_identifier_reaches_the_report(data):
    markup = _all_html(OutcomeReport(data, lang="vi"))
    assert not IDENTIFIER.search(markup)
    assert not any(pid in markup for pid in data.responses["pid"])


def test_identifier_guard_refuses_a_report_with_a_pid(data):
    pid = data.responses["pid"].iloc[0]
    with pytest.raises(UserError, match="identifier"):
        check_no_identifiers(f"<td>{pid}</td>", data)


def test_trend_appendix_lists_all_22_items_and_says_what_the_authors_write(data):
    markup = OutcomeReport(data, lang="en").trend_appendix().data
    assert len(TREND_ITEMS) == 22
    assert markup.count("</tr>") == 23  # header + 22 items
    assert "For the authors to write in the paper" in markup and "Des Jarlais" in markup


def test_unknown_language_is_a_user_error(data):
    with pytest.raises(UserError, match="vi"):
        OutcomeReport(data, lang="fr")


@pytest.mark.slow
def test_report_command_writes_a_self_contained_html_without_code(tmp_path, build_dir):
    clean = tmp_path / "ingest" / "clean"
    clean.mkdir(parents=True)
    responses = make_responses(150, seed=3)
    responses.to_parquet(clean / "responses.parquet")
    out = tmp_path / "report.html"
    result = run_cli("report", "--data", str(tmp_path / "ingest"), "--lang", "vi", "--out", str(out),
                     "--subgroups", "sex,venue_type", env={"HOCVUSO_BUILD": str(build_dir)})
    assert result.returncode == 0, result.stderr
    markup = out.read_text(encoding="utf-8")
    assert re.search(r'<html lang="vi"', markup)
    assert "Báo cáo kết quả" in markup and "Phụ lục: đối chiếu TREND" in markup
    subgroups = markup[markup.index('id="subgroups"'):markup.index('id="sensitivity"')]
    assert "Giới tính" in subgroups and "Nhóm tuổi" not in subgroups  # the subgroups asked for
    assert not re.search(r"<script[^>]+src=", markup)  # nothing loaded from the network
    assert "OutcomeReport" not in markup and "report.flow()" not in markup  # no code
    assert "data:image/png;base64," in markup
    assert not IDENTIFIER.search(markup)
    assert not any(pid in markup for pid in responses["pid"].unique())


def test_report_command_names_a_missing_data_folder(tmp_path):
    result = run_cli("report", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r.html"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr


def test_bad_input_gives_notes_not_crashes_or_nans():
    """All-missing item, an item answered by fewer than 5, a subgroup with one level, a tiny cohort."""
    resp = make_responses(60, seed=21)
    resp["ease_qr_scan"] = float("nan")
    keep = resp["pid"].isin(resp["pid"].unique()[:3])
    resp.loc[~keep, "ease_qr_pay"] = float("nan")
    resp["venue_type"] = "cafe"
    from hocvuso.analysis.data import from_responses

    report = OutcomeReport(from_responses(resp), lang="en", subgroups=["venue_type", "sex", "not_a_column"])
    markup = _all_html(report)
    assert "Item ease_qr_scan: nobody answered." in markup
    assert "only one level with data" in markup and "Not in the data: not_a_column" in markup
    assert ">nan<" not in _shown(markup).lower() and "NaN" not in _shown(markup)
    # the item answered by 3 people appears with n "<5" and no statistics
    row = re.search(r"<tr>\s*<td>Pay by QR code[^<]*</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", markup)
    assert row and row.group(1) == "&lt;5" and row.group(2) == "—"


def test_a_single_pair_cohort_still_renders():
    resp = make_responses(8, seed=5)
    pids = resp["pid"].unique()
    resp = resp[(resp.wave == "pre") | (resp.pid == pids[0])]
    from hocvuso.analysis.data import from_responses

    markup = _all_html(OutcomeReport(from_responses(resp), lang="vi"))
    assert "&lt;5" in markup
    assert ">nan<" not in _shown(markup).lower()
