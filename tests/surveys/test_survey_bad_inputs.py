"""Does every kind of bad input end in a clear message or quarantined rows — never a traceback,
never a silently dropped row?"""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from survey_helpers import comparable, flow, private_secret, quarantine, responses, small_cohort  # noqa: F401

from hocvuso.errors import UserError
from hocvuso.surveys.ingest import ingest
from hocvuso.surveys.instrument import load_instrument
from hocvuso.surveys.synthetic import kobo_frame, odk_frame

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode like Windows-1258: base letters with their shape mark precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(p for p in parts if p in TONES)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
            out.append(base.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


@pytest.fixture(scope="module")
def inst():
    return load_instrument()


@pytest.fixture(scope="module")
def cohort():
    return small_cohort(40, seed=3)


@pytest.fixture(scope="module")
def reference(cohort, inst, tmp_path_factory):
    """The clean data of the well-formed Kobo CSV export (',' separated, UTF-8)."""
    tmp = tmp_path_factory.mktemp("ref")
    path = tmp / "kobo.csv"
    kobo_frame(cohort, inst).to_csv(path, index=False)
    clean = ingest([path], tmp / "out", instrument=inst, quiet=True, secret="s")
    return comparable(responses(clean))


def run(path, tmp_path, inst):
    return ingest([path], tmp_path / "out", instrument=inst, quiet=True, secret="s")


def test_semicolon_separated_export_is_detected(cohort, inst, reference, tmp_path):
    path = tmp_path / "kobo_semicolon.csv"
    kobo_frame(cohort, inst).to_csv(path, index=False, sep=";")
    pd.testing.assert_frame_equal(comparable(responses(run(path, tmp_path, inst))), reference)


def test_unknown_delimiter_gives_a_message_naming_the_separator(cohort, inst, tmp_path):
    path = tmp_path / "pipes.csv"
    kobo_frame(cohort, inst).to_csv(path, index=False, sep="|")
    with pytest.raises(UserError) as err:
        run(path, tmp_path, inst)
    assert "separator" in str(err.value) and "pipes.csv" in str(err.value)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_and_utf16_exports_give_the_same_data(cohort, inst, reference, tmp_path, encoding):
    path = tmp_path / f"kobo_{encoding}.csv"
    sep = "\t" if encoding == "utf-16" else ","  # Excel's "Unicode text" is UTF-16 with tabs
    kobo_frame(cohort, inst, labels=True).to_csv(path, index=False, sep=sep, encoding=encoding)
    clean = run(path, tmp_path, inst)
    assert flow(clean)["files"][0]["encoding"].startswith("utf-16" if encoding == "utf-16" else "utf-8-sig")
    pd.testing.assert_frame_equal(comparable(responses(clean)), reference)


def test_windows_1258_label_export_is_decoded_and_normalised(cohort, inst, reference, tmp_path):
    path = tmp_path / "kobo_cp1258.csv"
    path.write_bytes(to_cp1258(kobo_frame(cohort, inst, labels=True).to_csv(index=False)))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    clean = run(path, tmp_path, inst)
    assert flow(clean)["files"][0]["encoding"] == "cp1258"
    pd.testing.assert_frame_equal(comparable(responses(clean)), reference)


def test_nfd_decomposed_vietnamese_labels_map_to_the_same_codes(cohort, inst, reference, tmp_path):
    path = tmp_path / "kobo_nfd.csv"
    text = unicodedata.normalize("NFD", kobo_frame(cohort, inst, labels=True).to_csv(index=False))
    assert text != unicodedata.normalize("NFC", text)
    path.write_text(text, encoding="utf-8")
    pd.testing.assert_frame_equal(comparable(responses(run(path, tmp_path, inst))), reference)


def test_nfd_free_text_is_stored_in_nfc(inst, tmp_path):
    df = small_cohort(30, seed=4)
    df.loc[df["wave"] == "post", "comment"] = unicodedata.normalize("NFD", "Học vui lắm, cảm ơn các cháu")
    path = tmp_path / "nfd.csv"
    kobo_frame(df, inst).to_csv(path, index=False)
    comments = responses(run(path, tmp_path, inst))["comment"].dropna()
    assert len(comments) and all(unicodedata.is_normalized("NFC", c) for c in comments)


def test_header_from_another_form_is_refused_with_a_clear_message(inst, tmp_path):
    path = tmp_path / "quiz_export.csv"
    path.write_text("_uuid,ho_ten,cau_1,cau_2,diem\nabc,Nguyễn Văn A,b,c,8\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        run(path, tmp_path, inst)
    msg = str(err.value)
    assert "another form" in msg and "participant_code" in msg and "quiz_export.csv" in msg


def test_missing_required_column_is_named(cohort, inst, tmp_path):
    path = tmp_path / "no_wave.csv"
    frame = kobo_frame(cohort, inst).drop(columns=["grp_admin/wave"])
    frame.to_csv(path, index=False)
    with pytest.raises(UserError) as err:
        run(path, tmp_path, inst)
    assert "wave" in str(err.value) and "Đợt khảo sát" in str(err.value)
    assert not (tmp_path / "out" / "clean").exists(), "nothing written for an unusable file"


def test_out_of_range_and_non_numeric_answers_are_quarantined(cohort, inst, tmp_path):
    df = cohort.copy()
    df.loc[0, "ease_qr_scan"] = "7"
    df.loc[1, "ease_vneid_login"] = "abc"
    df.loc[2, "obs_scan_qr"] = "1.5"
    df.loc[3, "conf_learn"] = "300"
    path = tmp_path / "bad_values.csv"
    kobo_frame(df, inst).to_csv(path, index=False)
    clean = run(path, tmp_path, inst)
    f, q = flow(clean), quarantine(clean)
    assert f["rows_read"] == len(df) == f["accepted"] + f["quarantined"]
    assert f["quarantined"] == 4
    by_col = dict(zip(q["column"], q["reason"], strict=True))
    assert "out of range 1-5" in by_col["grp_ease/ease_qr_scan"]
    assert "not a number" in by_col["grp_ease/ease_vneid_login"]
    assert "whole number" in by_col["grp_observed/obs_scan_qr"]
    assert "out of range" in by_col["grp_confidence/conf_learn"]
    assert set(q["value"]) == {"7", "abc", "1.5", "300"}
    assert set(q["source_row"].astype(int)) == {2, 3, 4, 5}  # spreadsheet rows (header is row 1)


def test_ages_written_as_text_are_banded_and_too_young_is_quarantined(cohort, inst, tmp_path):
    df = cohort.copy()
    pre = df.index[df["wave"] == "pre"]
    df.loc[pre[0], "age_band"] = "65 tuổi"
    df.loc[pre[1], "age_band"] = "82"
    df.loc[pre[2], "age_band"] = "55 tuổi"
    path = tmp_path / "ages.csv"
    kobo_frame(df, inst).to_csv(path, index=False)
    clean = run(path, tmp_path, inst)
    q = quarantine(clean)
    assert list(q["value"]) == ["55 tuổi"] and "outside the 60+ bands" in q["reason"].iloc[0]
    bands = responses(clean)["age_band"].dropna()
    assert set(bands) <= {"60-64", "65-69", "70-74", "75-79", "80+"}


def test_excel_mangled_participant_codes_are_quarantined_with_the_reason(cohort, inst, tmp_path):
    df = cohort.copy()
    df.loc[0, "participant_code"] = "1.23E+05"
    df.loc[1, "participant_code"] = "512"
    df.loc[2, "participant_code"] = "HT512"
    df.loc[3, "participant_code"] = "ht 0512"  # repairable
    path = tmp_path / "excel_codes.xlsx"
    kobo_frame(df, inst).to_excel(path, index=False)
    clean = run(path, tmp_path, inst)
    q = quarantine(clean)
    assert len(q) == 3
    assert q["reason"].str.contains("Excel").sum() == 2 and q["reason"].str.contains("lacks a digit").sum() == 1
    assert flow(clean)["accepted"] == len(df) - 3


def test_duplicated_submissions_are_removed_and_listed(cohort, inst, tmp_path):
    df = pd.concat([cohort, cohort.iloc[[0, 5]]], ignore_index=True)
    path = tmp_path / "dups.csv"
    odk_frame(df, inst).to_csv(path, index=False)
    clean = run(path, tmp_path, inst)
    f = flow(clean)
    assert f["duplicates_removed"] == 2 and f["responses"] == len(cohort)
    dups = pd.read_csv(clean / "duplicates.csv")
    assert len(dups) == 2 and set(dups.columns) >= {"pid", "wave", "source_row", "kept_source_row"}
    assert dups["same_answers"].all() and f["duplicates_with_different_answers"] == 0


def test_two_residents_sharing_a_code_are_flagged_as_different_answers(cohort, inst, tmp_path):
    pre = cohort[cohort["wave"] == "pre"]
    other = pre.iloc[[1]].assign(participant_code=pre["participant_code"].iloc[0], ease_qr_scan="1",
                                 ease_qr_pay="1", _uuid="another-person")
    path = tmp_path / "collision.csv"
    odk_frame(pd.concat([cohort, other], ignore_index=True), inst).to_csv(path, index=False)
    clean = run(path, tmp_path, inst)
    dups = pd.read_csv(clean / "duplicates.csv")
    assert len(dups) == 1 and not dups["same_answers"].iloc[0]
    assert flow(clean)["duplicates_with_different_answers"] == 1


def test_post_without_pre_is_counted_and_listed(cohort, inst, tmp_path):
    only_post = cohort[cohort["wave"] == "post"]
    path = tmp_path / "post_only.csv"
    odk_frame(only_post, inst).to_csv(path, index=False)
    clean = run(path, tmp_path, inst)
    f = flow(clean)
    assert f["matched"] == 0 and f["post_only"] == f["post"] == len(only_post)
    assert len(pd.read_csv(clean / "post_only.csv")) == len(only_post)


def test_header_only_file_reads_zero_rows(cohort, inst, tmp_path):
    path = tmp_path / "header_only.csv"
    kobo_frame(cohort.iloc[:0], inst).to_csv(path, index=False)
    f = flow(run(path, tmp_path, inst))
    assert f["rows_read"] == f["accepted"] == f["quarantined"] == 0


@pytest.mark.parametrize("content", [b"", b"   \n\n"])
def test_empty_and_zero_byte_files_are_refused(inst, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        run(path, tmp_path, inst)
    assert "empty" in str(err.value) and "empty.csv" in str(err.value)


@pytest.mark.parametrize("content,name", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" * 20, "photo.csv"),
    (b'{"_uuid": "x", "wave": "pre"}', "export.csv"),
    ("Biên bản họp khu phố\nMọi người đều đến đúng giờ.\n".encode(), "notes.csv"),
    (b"PK\x03\x04not really a workbook", "broken.xlsx"),
])
def test_a_file_that_is_not_a_table_is_refused(inst, tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        run(path, tmp_path, inst)
    assert name in str(err.value)


def test_rows_with_the_wrong_number_of_fields_are_quarantined_not_dropped(cohort, inst, tmp_path):
    text = kobo_frame(cohort, inst).to_csv(index=False)
    lines = text.splitlines()
    lines.insert(3, "pre,CF01,cafe")  # a truncated line
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clean = run(path, tmp_path, inst)
    f, q = flow(clean), quarantine(clean)
    assert f["rows_read"] == len(cohort) + 1 == f["accepted"] + f["quarantined"]
    assert "wrong number of fields" in q["reason"].iloc[0] and q["source_row"].iloc[0] == "4"


def test_cli_reports_an_unusable_file_on_one_line_without_traceback(tmp_path):
    from conftest import run_cli

    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    res = run_cli("survey", "ingest", str(path), "--out", str(tmp_path / "o"),
                  env={"HOCVUSO_SECRET": "x", "HOME": str(tmp_path)})
    assert res.returncode == 2
    assert "Traceback" not in res.stderr and "empty.csv" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_submissions_rejected_by_a_reviewer_are_quarantined_not_dropped(cohort, inst, tmp_path):
    odk = odk_frame(cohort, inst)
    odk.loc[[0, 1], "ReviewState"] = "rejected"
    odk.loc[2, "ReviewState"] = "hasIssues"
    path = tmp_path / "odk_review.csv"
    odk.to_csv(path, index=False)
    clean = run(path, tmp_path, inst)
    q = quarantine(clean)
    assert len(q) == 2 and q["reason"].str.contains("rejected by a reviewer").all()
    assert flow(clean)["rows_read"] == len(cohort) == flow(clean)["accepted"] + 2
    kobo = kobo_frame(cohort, inst)
    kobo.loc[0, "_validation_status"] = "validation_status_not_approved"
    path = tmp_path / "kobo_review.csv"
    kobo.to_csv(path, index=False)
    assert len(quarantine(run(path, tmp_path / "k", inst))) == 1


def test_odk_split_select_multiple_columns_are_understood(cohort, inst, reference, tmp_path):
    odk = odk_frame(cohort, inst)
    tokens = cohort["apps_used"].astype(str).str.split()
    for c in inst.item("apps_used").choices:
        odk[f"grp_demographics-apps_used/{c.code}"] = [("1" if str(c.code) in t else "0") if t else "" for t in tokens]
    odk = odk.drop(columns=["grp_demographics-apps_used"])
    path = tmp_path / "odk_split.csv"
    odk.to_csv(path, index=False)
    got = comparable(responses(run(path, tmp_path, inst)))
    cols = [c for c in reference.columns if c.startswith("apps_used__")]
    pd.testing.assert_frame_equal(got[cols], reference[cols])


@pytest.mark.slow
def test_random_garbage_in_any_cell_never_crashes_and_never_loses_a_row(cohort, inst, tmp_path_factory):
    """Property: whatever is typed into whatever cells, rows read = accepted + quarantined."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    frame = kobo_frame(cohort, inst).astype(str)
    # a bare carriage return is a line break to every CSV reader (a new row, counted as read)
    cells = st.tuples(st.integers(0, len(frame) - 1), st.integers(0, frame.shape[1] - 1),
                      st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                              max_size=12))

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(cells, min_size=1, max_size=8))
    def check(edits):
        tmp = tmp_path_factory.mktemp("garbage")
        bad = frame.copy()
        for r, c, text in edits:
            bad.iat[r, c] = text
        path = tmp / "garbage.csv"
        bad.to_csv(path, index=False)
        try:
            clean = ingest([path], tmp / "out", instrument=inst, quiet=True, secret="s")
        except UserError:
            return  # a header cell was hit hard enough to make the file unusable: a clear message
        f = flow(clean)
        assert f["rows_read"] == len(bad) == f["accepted"] + f["quarantined"]
        assert f["responses"] == f["accepted"] - f["duplicates_removed"]

    check()
