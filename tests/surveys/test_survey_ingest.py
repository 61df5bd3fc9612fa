"""Does the ingest turn Kobo and ODK exports into the documented clean, private, matched data?"""

from __future__ import annotations

import hashlib
import shutil

import pandas as pd
import pytest
from survey_helpers import comparable, flow, private_secret, quarantine, responses, small_cohort  # noqa: F401

from hocvuso.surveys.ingest import clean_schema, ingest
from hocvuso.surveys.instrument import load_instrument
from hocvuso.surveys.synthetic import (
    PLANTED_COMMENT,
    demo_clean_data,
    synthetic_cohort,
    write_kobo_csv,
    write_kobo_xlsx,
    write_odk_csv,
)


@pytest.fixture(scope="module")
def inst():
    return load_instrument()


@pytest.fixture(scope="module")
def cohort(inst):
    """A 150-resident synthetic cohort with the planted errors."""
    return synthetic_cohort(150, seed=5, instrument=inst, plant_errors=True)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return demo_clean_data(out, n=600, seed=2025)


def test_demo_flow_adds_up_and_no_row_is_lost(demo):
    f = flow(demo)
    assert f["rows_read"] == f["accepted"] + f["quarantined"]
    assert f["responses"] == f["accepted"] - f["duplicates_removed"] == f["pre"] + f["post"]
    assert f["pre"] == f["matched"] + f["pre_only"] and f["post"] == f["matched"] + f["post_only"]
    for s in f["by_source"].values():
        assert s["rows_read"] == s["accepted"] + s["quarantined"]
    assert set(f["by_source"]) == {"kobo", "odk"}
    assert len(responses(demo)) == f["responses"]
    assert len(pd.read_parquet(demo / "matched.parquet")) == f["matched"]


def test_demo_cohort_has_realistic_attrition_and_several_venues(demo):
    f = flow(demo)
    lost = f["pre_only"] / f["pre"]
    assert 0.35 <= lost <= 0.50, lost
    df = responses(demo)
    assert set(df["venue_type"]) == {"cafe", "nha_van_hoa", "diem_sinh_hoat"}
    assert df["khu_pho"].nunique() >= 4 and df["site_code"].nunique() >= 6
    assert 550 <= f["pre"] <= 610


def test_demo_older_residents_gain_less(demo):
    from hocvuso.surveys.scoring import subscale_scores

    m = pd.read_parquet(demo / "matched.parquet")
    gain = subscale_scores(m, suffix="_post")["ease_total"] - subscale_scores(m, suffix="_pre")["ease_total"]
    by_age = gain.groupby(m["age_band"]).mean()
    assert by_age["60-64"] > by_age["75-79"] > 0


def test_planted_errors_are_caught_repaired_or_masked(demo):
    q = quarantine(demo)
    reasons = " | ".join(q["reason"])
    assert "out of range 1-5" in reasons and "no consent" in reasons and "participant code missing" in reasons
    assert flow(demo)["duplicates_removed"] == 1
    df = responses(demo)
    comments = " ".join(df["comment"].dropna())
    assert "0912" not in comments and "Lan" not in comments
    assert PLANTED_COMMENT.replace("Lan", "[TÊN]").replace("0912 345 678", "[SĐT]") in set(df["comment"].dropna())
    assert set(df["khu_pho"]) <= {f"KP{i:02d}" for i in range(1, 54)}


def test_clean_data_follows_the_documented_schema(demo, inst):
    df = responses(demo)
    clean_schema(inst).validate(df.drop(columns=["matched"]).assign(matched=df["matched"]))
    head = ["pid", "wave", "site_code", "venue_type", "khu_pho", "session_code", "volunteer_code",
            "submitted_at", "source"]
    assert list(df.columns[: len(head)]) == head[:7] + ["submitted_at", "source"]
    assert str(df["submitted_at"].dt.tz) == "UTC"
    assert df["pid"].str.fullmatch(r"p_[0-9a-f]{10}").all()
    assert not (df.duplicated(["pid", "wave"])).any()
    pre, post = df[df["wave"] == "pre"], df[df["wave"] == "post"]
    assert pre["age_band"].notna().all() and post["age_band"].isna().all()
    assert post["sat_overall"].notna().any() and pre["sat_overall"].isna().all()
    assert set(df["know_otp"].dropna().unique()) <= {0, 1}
    assert "participant_code" not in df.columns


def test_matched_table_has_pre_and_post_columns_and_baseline_covariates(demo):
    m = pd.read_parquet(demo / "matched.parquet")
    for col in ("pid", "age_band", "sex", "ease_qr_scan_pre", "ease_qr_scan_post", "know_otp_pre",
                "obs_vneid_login_post", "sat_overall_post", "days_between"):
        assert col in m.columns, col
    assert m["pid"].is_unique and m["ease_qr_scan_pre"].notna().mean() > 0.9
    assert (m["days_between"] > 20).all()


def test_kobo_and_odk_exports_of_the_same_cohort_give_the_same_clean_data(cohort, inst, tmp_path):
    kobo = write_kobo_csv(cohort, tmp_path / "kobo_synthetic.csv", inst)
    odk = write_odk_csv(cohort, tmp_path / "odk_synthetic.csv", inst)
    a = ingest([kobo], tmp_path / "a", instrument=inst, quiet=True)
    b = ingest([odk], tmp_path / "b", instrument=inst, quiet=True)
    pd.testing.assert_frame_equal(comparable(responses(a)), comparable(responses(b)))
    pd.testing.assert_frame_equal(pd.read_parquet(a / "matched.parquet"), pd.read_parquet(b / "matched.parquet"))
    fa, fb = flow(a), flow(b)
    for key in ("rows_read", "accepted", "quarantined", "duplicates_removed", "pre", "post", "matched"):
        assert fa[key] == fb[key], key


def test_kobo_xlsx_and_label_exports_give_the_same_clean_data_as_csv(cohort, inst, tmp_path):
    ref = ingest([write_kobo_csv(cohort, tmp_path / "k.csv", inst)], tmp_path / "ref", instrument=inst, quiet=True)
    xlsx = ingest([write_kobo_xlsx(cohort, tmp_path / "k.xlsx", inst)], tmp_path / "x", instrument=inst, quiet=True)
    labels = ingest([write_kobo_csv(cohort, tmp_path / "kl.csv", inst, labels=True, sep=",")], tmp_path / "l",
                    instrument=inst, quiet=True)
    pd.testing.assert_frame_equal(comparable(responses(ref)), comparable(responses(xlsx)))
    pd.testing.assert_frame_equal(comparable(responses(ref)), comparable(responses(labels)))


def test_select_multiple_from_text_equals_split_columns(cohort, inst, tmp_path):
    from hocvuso.surveys.synthetic import kobo_frame

    frame = kobo_frame(cohort, inst, split_multiple=False)
    path = tmp_path / "nosplit.csv"
    frame.to_csv(path, index=False)
    a = ingest([write_kobo_csv(cohort, tmp_path / "split.csv", inst)], tmp_path / "a", instrument=inst, quiet=True)
    b = ingest([path], tmp_path / "b", instrument=inst, quiet=True)
    cols = [c for c in responses(a).columns if c.startswith("apps_used__")]
    assert len(cols) == 6
    pd.testing.assert_frame_equal(comparable(responses(a))[cols], comparable(responses(b))[cols])
    assert responses(a)["apps_used__zalo"].sum() > 0


def test_raw_file_is_never_modified_and_a_copy_is_kept(cohort, inst, tmp_path):
    src = write_odk_csv(cohort, tmp_path / "odk_synthetic.csv", inst)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    clean = ingest([src], tmp_path / "out", instrument=inst, quiet=True)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    assert hashlib.sha256((tmp_path / "out" / "raw" / src.name).read_bytes()).hexdigest() == before
    assert flow(clean)["files"][0]["sha256"] == before


def test_same_code_gives_the_same_pid_in_both_waves_and_both_tools(cohort, inst, tmp_path):
    k = cohort[cohort["site_code"].str.startswith("CF")]
    o = cohort[~cohort["site_code"].str.startswith("CF")]
    # pre from Kobo, post from ODK for the same people: they must still match
    pre, post = cohort[cohort["wave"] == "pre"], cohort[cohort["wave"] == "post"]
    clean = ingest([write_kobo_csv(pre, tmp_path / "pre.csv", inst), write_odk_csv(post, tmp_path / "post.csv", inst)],
                   tmp_path / "out", instrument=inst, quiet=True)
    whole = ingest([write_kobo_csv(k, tmp_path / "k.csv", inst), write_odk_csv(o, tmp_path / "o.csv", inst)],
                   tmp_path / "whole", instrument=inst, quiet=True)
    assert flow(clean)["matched"] == flow(whole)["matched"] > 0


def test_pid_depends_on_the_secret(cohort, inst, tmp_path, monkeypatch):
    path = write_kobo_csv(cohort, tmp_path / "k.csv", inst)
    a = set(responses(ingest([path], tmp_path / "a", instrument=inst, quiet=True))["pid"])
    monkeypatch.setenv("HOCVUSO_SECRET", "another-secret")
    b = set(responses(ingest([path], tmp_path / "b", instrument=inst, quiet=True))["pid"])
    assert a and not (a & b)


def test_ingest_twice_is_idempotent(cohort, inst, tmp_path):
    path = write_kobo_csv(cohort, tmp_path / "k.csv", inst)
    first = responses(ingest([path], tmp_path / "out", instrument=inst, quiet=True))
    second = responses(ingest([path], tmp_path / "out", instrument=inst, quiet=True))
    pd.testing.assert_frame_equal(first, second)


def test_ingest_prints_read_equals_accepted_plus_quarantined(cohort, inst, tmp_path, capsys):
    path = write_kobo_csv(cohort, tmp_path / "k.csv", inst)
    ingest([path], tmp_path / "out", instrument=inst)
    out = capsys.readouterr().out
    f = flow(tmp_path / "out" / "clean")
    assert f"read {f['rows_read']} = nhận / accepted {f['accepted']} + cách ly / quarantined {f['quarantined']}" in out


def test_cli_ingest_writes_clean_data(cohort, inst, tmp_path):
    from conftest import run_cli

    path = write_odk_csv(cohort, tmp_path / "odk.csv", inst)
    res = run_cli("survey", "ingest", str(path), "--out", str(tmp_path / "o"),
                  env={"HOCVUSO_SECRET": "x", "HOME": str(tmp_path)})
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "o" / "clean" / "responses.parquet").exists()
    assert "accepted" in res.stdout


def test_data_entry_store_is_ingested_with_source_entry(cohort, inst, tmp_path):
    import json

    pre = cohort[cohort["wave"] == "pre"].head(5)
    store = tmp_path / "entry.jsonl"
    with store.open("w", encoding="utf-8") as fh:
        for i, (_, row) in enumerate(pre.iterrows()):
            rec = {k: v for k, v in row.items() if k not in ("_uuid", "_submission_time")}
            fh.write(json.dumps({"entry_id": f"e{i}", "saved_at": "2025-10-05T02:00:00Z", "answers": rec},
                                ensure_ascii=False) + "\n")
    df = responses(ingest([store], tmp_path / "out", instrument=inst, quiet=True))
    assert (df["source"] == "entry").all() and len(df) == 5


def test_copying_the_input_into_the_output_folder_is_safe(cohort, inst, tmp_path):
    path = write_kobo_csv(cohort, tmp_path / "k.csv", inst)
    raw = tmp_path / "out" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(path, raw / "k.csv")
    clean = ingest([raw / "k.csv"], tmp_path / "out", instrument=inst, quiet=True)
    assert flow(clean)["rows_read"] == len(cohort)


def test_a_folder_of_exports_is_ingested_file_by_file(cohort, inst, tmp_path):
    folder = tmp_path / "exports"
    k = cohort[cohort["site_code"].str.startswith("CF")]
    o = cohort[~cohort["site_code"].str.startswith("CF")]
    write_kobo_csv(k, folder / "kobo_synthetic.csv", inst)
    write_odk_csv(o, folder / "odk_synthetic.csv", inst)
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an export: ignored
    f = flow(ingest([folder], tmp_path / "out", instrument=inst, quiet=True))
    assert [x["file"] for x in f["files"]] == ["kobo_synthetic.csv", "odk_synthetic.csv"]
    assert f["rows_read"] == len(cohort)
