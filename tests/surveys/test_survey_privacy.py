"""Do direct identifiers stay out of the clean data, and does `hocvuso privacy scan` find leftovers?"""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest
from survey_helpers import private_secret, responses, small_cohort  # noqa: F401

from hocvuso.surveys.ingest import ingest
from hocvuso.surveys.instrument import load_instrument
from hocvuso.surveys.privacy import mask_text, scan_path, scan_text, secret_key, secret_path
from hocvuso.surveys.synthetic import demo_clean_data, kobo_frame


@pytest.mark.parametrize("text,kind", [
    ("Gọi cho tôi 0912345678 nhé", "phone"),
    ("số tôi 091 234 5678", "phone"),
    ("zalo +84912345678", "phone"),
    ("máy bàn 028 3899 1234", "phone"),
    ("CCCD 079123456789", "id_number"),
    ("tên tôi là Nguyễn Văn Ba", "name"),
    ("cảm ơn cô Lan và chú Tư", "name"),
    ("bác Hùng dạy hay", "name"),
    ("nhà số 12 đường Nguyễn Xí", "address"),
    ("ở hẻm 102 Bạch Đằng", "address"),
])
def test_identifiers_in_free_text_are_found_and_masked(text, kind):
    assert kind in {k for k, _ in scan_text(text)}
    masked = mask_text(text)
    assert scan_text(masked) == [], masked
    assert "[" in masked


@pytest.mark.parametrize("text", [
    "p_0912345678", "r_123456789012", "HT0512", "KP07 S012 TNV004 CF01", "2025-10-03T08:12:45Z",
    "Bác rất vui, học được nhiều", "Lớp học vui, mong có thêm buổi nữa.", "Nên dạy chậm hơn một chút.",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "Tôi 72 tuổi, học 5 buổi",
])
def test_codes_hashes_dates_and_ordinary_comments_are_not_flagged(text):
    assert scan_text(text) == []
    assert mask_text(text) == text


def test_identifier_columns_of_an_export_never_reach_the_clean_data(tmp_path):
    inst = load_instrument()
    df = small_cohort(30)
    frame = kobo_frame(df, inst)
    frame.insert(3, "grp_contact/ho_ten", "Nguyễn Văn An")
    frame.insert(4, "grp_contact/so_dien_thoai", "0912345678")
    frame["_geolocation"] = "[10.80, 106.71]"
    frame["deviceid"] = "collect:abc123"
    frame["_submitted_by"] = "enumerator7"
    path = tmp_path / "kobo_with_identifiers.csv"
    frame.to_csv(path, index=False)
    clean = ingest([path], tmp_path / "out", instrument=inst, quiet=True)
    import json

    flow = json.loads((clean / "flow.json").read_text(encoding="utf-8"))
    dropped = set(flow["files"][0]["dropped_identifier_columns"])
    assert {"grp_contact/ho_ten", "grp_contact/so_dien_thoai", "_geolocation", "deviceid", "_submitted_by"} <= dropped
    assert scan_path(clean) == []
    everything = "".join(p.read_text(encoding="utf-8") for p in clean.glob("*.csv"))
    assert "Nguyễn Văn An" not in everything and "collect:abc123" not in everything
    assert "HT" not in " ".join(responses(clean).columns)


def test_the_demo_clean_folder_passes_the_privacy_scan_but_the_raw_exports_do_not(tmp_path):
    out = tmp_path / "demo"
    clean = demo_clean_data(out, n=120, seed=9)
    assert scan_path(clean) == []
    found = scan_path(out / "raw")
    assert {"phone", "name"} <= {f.kind for f in found}
    assert all("345 678" not in f.excerpt for f in found), "the scan report must not repeat identifiers"


def test_raw_participant_codes_are_not_in_the_clean_data(tmp_path):
    inst = load_instrument()
    df = small_cohort(40)
    path = tmp_path / "k.csv"
    kobo_frame(df, inst).to_csv(path, index=False)
    clean = ingest([path], tmp_path / "out", instrument=inst, quiet=True)
    text = "".join(p.read_text(encoding="utf-8") for p in clean.glob("*.csv"))
    codes = set(df["participant_code"])
    assert not [c for c in codes if c in text]
    assert pd.read_parquet(clean / "responses.parquet")["pid"].nunique() == len(codes)


def test_secret_is_created_once_in_the_user_config_dir_with_private_permissions(monkeypatch, tmp_path):
    monkeypatch.delenv("HOCVUSO_SECRET")
    path = secret_path()
    assert str(path).startswith(str(tmp_path)), "tests must never touch the real user config"
    assert not path.exists()
    first = secret_key()
    assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_key() == first and len(first) == 64


def test_secret_from_the_environment_wins(monkeypatch):
    monkeypatch.setenv("HOCVUSO_SECRET", "from-env")
    assert secret_key() == b"from-env" and not secret_path().exists()


def test_cli_privacy_scan_exits_1_on_findings_and_0_when_clean(tmp_path):
    from conftest import run_cli

    leaky = tmp_path / "report.md"
    leaky.write_text("Kết quả tốt. Liên hệ chị Mai 0987654321.\n", encoding="utf-8")
    clean = tmp_path / "ok.csv"
    clean.write_text("pid,wave\np_0912345678,pre\n", encoding="utf-8")
    res = run_cli("privacy", "scan", str(leaky))
    assert res.returncode == 1 and "phone" in res.stdout and "name" in res.stdout
    assert "0987654321" not in res.stdout
    res = run_cli("privacy", "scan", str(clean))
    assert res.returncode == 0, res.stdout
    res = run_cli("privacy", "scan", str(tmp_path / "missing"))
    assert res.returncode == 2 and "Traceback" not in res.stderr
