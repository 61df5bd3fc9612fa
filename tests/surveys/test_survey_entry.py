"""Can a volunteer type paper forms safely: live Vietnamese validation, durable saving, resuming?"""

from __future__ import annotations

import json

import pytest
from survey_helpers import flow, private_secret, responses  # noqa: F401

from hocvuso.surveys.entry import EntryForm, EntryStore, validate_field, validate_record
from hocvuso.surveys.ingest import ingest
from hocvuso.surveys.instrument import load_instrument


@pytest.fixture(scope="module")
def inst():
    return load_instrument()


def fill_pre(form: EntryForm, code: str = "HT0512") -> None:
    form.set_value("wave", "pre")
    for item_id, value in {"site_code": "cf01", "venue_type": "cafe", "khu_pho": "KP07", "session_code": "S012",
                           "volunteer_code": "TNV004", "consent": "1", "participant_code": code,
                           "age_band": "70-74", "sex": "nu", "apps_used": ["zalo", "youtube"],
                           "ease_qr_scan": "3", "know_otp": "b", "obs_scan_qr": "1"}.items():
        form.set_value(item_id, value)


def test_field_messages_are_in_vietnamese_and_name_the_fix(inst):
    assert "HT0512" in validate_field(inst.item("participant_code"), "0912345678")
    assert validate_field(inst.item("participant_code"), "ht 0512") is None
    assert "KP07" in validate_field(inst.item("khu_pho"), "khu 7 ABC")
    assert validate_field(inst.item("khu_pho"), "KP7") is None  # repaired like the ingest does
    assert "60" in validate_field(inst.item("age_band"), "55")
    assert validate_field(inst.item("age_band"), "65 tuổi") is None
    assert "Bắt buộc" in validate_field(inst.item("consent"), "")
    assert validate_field(inst.item("ease_qr_scan"), "") is None  # optional items may stay blank
    assert "1–5" in validate_field(inst.item("ease_qr_scan"), "abc")
    assert "Chưa dùng" in validate_field(inst.item("apps_used"), ["khong_co", "zalo"])


def test_a_refused_consent_needs_only_the_session_details(inst):
    answers = {"wave": "pre", "site_code": "CF01", "venue_type": "cafe", "khu_pho": "KP07", "session_code": "S001",
               "volunteer_code": "TNV001", "consent": "0"}
    assert validate_record(answers, inst) == {}
    assert "participant_code" in validate_record({**answers, "consent": "1"}, inst)


def test_live_validation_shows_a_message_under_the_field_as_soon_as_it_is_typed(inst, tmp_path):
    form = EntryForm(tmp_path / "store.jsonl", inst)
    form.set_value("wave", "pre")
    form.set_value("participant_code", "12345")
    assert "ví dụ HT0512" in form.messages["participant_code"].value
    form.set_value("participant_code", "HT0512")
    assert form.messages["participant_code"].value == ""


def test_a_form_with_errors_is_not_saved(inst, tmp_path):
    form = EntryForm(tmp_path / "store.jsonl", inst)
    fill_pre(form)
    form.set_value("khu_pho", "ABC")
    assert form.save() is False and len(form.store) == 0
    assert "khu_pho" in form.status.value


def test_saving_appends_one_line_and_starts_a_blank_form_for_the_same_wave(inst, tmp_path):
    form = EntryForm(tmp_path / "store.jsonl", inst)
    fill_pre(form)
    assert form.save() is True
    lines = (tmp_path / "store.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["answers"]["participant_code"] == "HT0512" and rec["answers"]["apps_used"] == ["zalo", "youtube"]
    assert form.wave.value == "pre" and form.value("participant_code") == ""
    assert "Đã lưu 1 phiếu" in form.status.value


def test_reopening_the_store_resumes_with_what_was_saved(inst, tmp_path):
    path = tmp_path / "store.jsonl"
    first = EntryForm(path, inst)
    fill_pre(first, "HT0512")
    first.save()
    fill_pre(first, "AB0101")
    first.save()
    again = EntryForm(path, inst)  # e.g. after a kernel restart
    assert len(again.store) == 2 and "đã có 2 phiếu" in again.status.value


def test_a_half_written_last_line_is_kept_aside_not_lost(inst, tmp_path):
    path = tmp_path / "store.jsonl"
    store = EntryStore(path)
    store.append({"wave": "pre", "participant_code": "HT0512"})
    with open(path, "ab") as fh:
        fh.write(b'{"entry_id": "x", "answers": {"wave": "po')  # crash mid-write
    reopened = EntryStore(path)
    assert len(reopened) == 1 and path.read_bytes().endswith(b"\n")
    assert reopened.recovered is not None and reopened.recovered.read_bytes().startswith(b'{"entry_id": "x"')


def test_the_store_is_ingested_as_source_entry(inst, tmp_path):
    path = tmp_path / "store.jsonl"
    form = EntryForm(path, inst)
    fill_pre(form, "HT0512")
    form.save()
    form.set_value("wave", "post")
    for item_id, value in {"site_code": "CF01", "venue_type": "cafe", "khu_pho": "KP07", "session_code": "S012",
                           "volunteer_code": "TNV004", "consent": "1", "participant_code": "HT0512",
                           "ease_qr_scan": "5", "sat_overall": "5",
                           "comment": "Cảm ơn cô Lan, gọi 0912345678"}.items():
        form.set_value(item_id, value)
    assert form.save()
    clean = ingest([path], tmp_path / "out", instrument=inst, quiet=True)
    f = flow(clean)
    assert f["matched"] == 1 and f["by_source"]["entry"]["accepted"] == 2
    df = responses(clean)
    assert list(df["ease_qr_scan"]) == [3, 5] and df["site_code"].iloc[0] == "CF01"
    assert "0912345678" not in df["comment"].dropna().iloc[0]
