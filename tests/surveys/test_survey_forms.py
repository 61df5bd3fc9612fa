"""Are the XLSForm, the paper forms and the codebook right for the field teams and researchers?"""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest
from conftest import ROOT

from hocvuso.surveys.forms import (
    EN,
    VI,
    build_forms,
    codebook_frame,
    codebook_markdown,
    convert_xlsform,
    paper_form_html,
    write_xlsform,
    xlsform_sheets,
)
from hocvuso.surveys.instrument import load_instrument

GOLDEN = ROOT / "tests" / "golden" / "surveys"


@pytest.fixture(scope="module")
def inst():
    return load_instrument()


@pytest.fixture(scope="module")
def xlsform(inst, tmp_path_factory):
    return write_xlsform(inst, tmp_path_factory.mktemp("forms") / "hocvuso-pre-post.xlsx")


def test_pyxform_converts_the_xlsform_without_errors(xlsform):
    xform, warnings = convert_xlsform(xlsform)
    assert "<h:html" in xform and 'lang="Tiếng Việt (vi)" default="true()"' in xform
    assert 'lang="English (en)"' in xform
    assert not [w for w in warnings if "language" in w.lower()], warnings


def test_xlsform_has_the_three_sheets_and_bilingual_labels(xlsform):
    sheets = pd.read_excel(xlsform, sheet_name=None, dtype=str)
    assert set(sheets) == {"survey", "choices", "settings"}
    assert f"label::{VI}" in sheets["survey"].columns and f"label::{EN}" in sheets["choices"].columns
    assert sheets["settings"]["default_language"].iloc[0] == VI


def test_every_item_is_in_the_form_inside_its_section_group(inst):
    survey = xlsform_sheets(inst)["survey"]
    names = list(survey["name"])
    for it in inst.items:
        assert it.id in names
    group = None
    for _, row in survey.iterrows():
        if row["type"] == "begin_group":
            group = row["name"]
        elif row["name"] in inst.item_ids:
            assert group == f"grp_{inst.item(row['name']).section}"


def test_constraints_cover_ranges_and_the_participant_code_pattern(inst):
    survey = xlsform_sheets(inst)["survey"].set_index("name")
    assert survey.loc["participant_code", "constraint"] == \
        "regex(., '^[A-Z]{2}(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])$')"
    assert survey.loc["participant_code", "required"] == "yes"
    assert survey.loc["ease_qr_scan", "constraint"] == ". >= 1 and . <= 5"
    assert survey.loc["obs_scan_qr", "constraint"] == ". >= 0 and . <= 2"
    assert survey.loc["khu_pho", "constraint"] == "regex(., '^KP[0-9]{2}$')"


def test_wave_specific_items_are_only_relevant_in_their_wave_and_after_consent(inst):
    survey = xlsform_sheets(inst)["survey"].set_index("name")
    assert survey.loc["age_band", "relevant"] == "${wave} = 'pre' and ${consent} = '1'"
    assert survey.loc["sat_overall", "relevant"] == "${wave} = 'post' and ${consent} = '1'"
    assert survey.loc["ease_qr_scan", "relevant"] == "${consent} = '1'"
    assert survey.loc["wave", "relevant"] == ""


def test_choice_lists_hold_every_choice_once(inst):
    choices = xlsform_sheets(inst)["choices"]
    assert not choices.duplicated(["list_name", "name"]).any()
    assert list(choices.loc[choices["list_name"] == "ease5", "name"]) == ["1", "2", "3", "4", "5"]


def test_codebook_matches_the_golden_files(inst, tmp_path):
    md = codebook_markdown(inst)
    csv = codebook_frame(inst).to_csv(index=False, lineterminator="\n")
    if os.environ.get("HOCVUSO_UPDATE_GOLDENS"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        (GOLDEN / "codebook.md").write_text(md, encoding="utf-8")
        (GOLDEN / "codebook.csv").write_text(csv, encoding="utf-8")
    assert md == (GOLDEN / "codebook.md").read_text(encoding="utf-8"), \
        "codebook changed: check it, then HOCVUSO_UPDATE_GOLDENS=1 pytest tests/surveys/test_survey_forms.py"
    assert csv == (GOLDEN / "codebook.csv").read_text(encoding="utf-8")


def test_codebook_says_wave_scale_subscale_and_reverse_keying(inst):
    cb = codebook_frame(inst).set_index("id")
    assert cb.loc["anx_break", "reverse_keyed"] == "yes" and cb.loc["anx_break", "subscale"] == "confidence"
    assert cb.loc["age_band", "wave"] == "pre" and cb.loc["ease_qr_scan", "wave"] == "pre+post"
    assert cb.loc["know_otp", "values"].startswith("1 = correct (b)")
    assert cb.loc["participant_code", "column"] == "pid"


@pytest.mark.parametrize("wave", ["pre", "post"])
def test_paper_form_is_large_print_and_holds_the_wave_items(inst, wave):
    page = paper_form_html(inst, wave)
    assert re.search(r"html \{ font-size: 1[89]pt", page) and "@media print" in page and "@page" in page
    for it in inst.items_for(wave):
        if it.id != "wave":
            assert f'id="q-{it.id}"' in page
    other = "sat_overall" if wave == "pre" else "age_band"
    assert f'id="q-{other}"' not in page
    assert page.count('class="cell"') == 6  # boxes for the 6-character participant code


def test_cli_survey_forms_writes_everything(tmp_path):
    from conftest import run_cli

    res = run_cli("survey", "forms", "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    for name in ("hocvuso-pre-post.xlsx", "hocvuso-pre-post.xml", "codebook.md", "codebook.csv",
                 "phieu-giay-pre.html", "phieu-giay-post.html"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert "pyxform" in res.stdout


def test_a_broken_form_is_reported_by_pyxform_as_a_user_error(inst, tmp_path):
    from hocvuso.errors import UserError

    sheets = xlsform_sheets(inst)
    sheets["survey"].loc[5, "type"] = "select_one no_such_list"
    path = tmp_path / "broken.xlsx"
    with pd.ExcelWriter(path) as xl:
        for name, df in sheets.items():
            df.to_excel(xl, sheet_name=name, index=False)
    with pytest.raises(UserError) as err:
        convert_xlsform(path)
    assert "no_such_list" in str(err.value)


def test_build_forms_returns_existing_paths(tmp_path, inst):
    out = build_forms(tmp_path, inst)
    assert all(p.exists() for p in out.values())
