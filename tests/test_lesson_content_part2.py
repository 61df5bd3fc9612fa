"""Are the digital-skills lessons (modules 03-07) complete, sourced, NFC and wired to practice content?"""

from __future__ import annotations

import re
import unicodedata

import nbformat
import pytest
from conftest import ROOT

from hocvuso.curriculum import load_syllabus
from hocvuso.notebooks import has_outputs
from hocvuso.widgets.ordering import OrderingExercise
from hocvuso.widgets.qrpractice import QRPractice
from hocvuso.widgets.scam import ScamSpotter
from hocvuso.widgets.scenario import Scenario

MODULES = ["03-cai-dat-ung-dung", "04-ma-qr", "05-vneid", "06-mat-khau-sinh-trac", "07-lua-dao-du-lieu-ca-nhan"]
#: notebook call -> (content folder, loader); show_password_checker() takes no content file.
PRACTICE_CALLS = {
    "show_ordering": ("exercises", OrderingExercise.load),
    "show_scam_spotter": ("scams", ScamSpotter.load),
    "show_qr_practice": ("qr", QRPractice.load),
    "show_scenario": ("scenarios", Scenario.load),
    "show_password_checker": (None, None),
}
CONTENT_FILES = sorted(
    [*(ROOT / "curriculum" / "scams").glob("*.yml"), *(ROOT / "curriculum" / "qr").glob("*.yml"),
     *(ROOT / "curriculum" / "handouts").glob("*.yml"),
     *(ROOT / "curriculum" / "exercises").glob("0[3-7]-*.yml"),
     *(ROOT / "curriculum" / "scenarios").glob("0[3-7]-*.yml")]
)


def notebook(module_id: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / f"{module_id}.ipynb", as_version=4)


def practice_calls(nb) -> list[tuple[str, str | None]]:
    calls = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for name, arg in re.findall(r"\b(show_\w+)\((?:\"([^\"]*)\")?\)", cell.source):
            if name in PRACTICE_CALLS:
                calls.append((name, arg or None))
    return calls


@pytest.mark.parametrize("module_id", MODULES)
def test_notebook_is_declared_in_the_syllabus_and_opens_with_its_header(module_id):
    assert module_id in [m.id for m in load_syllabus().modules]
    first_code = next(c for c in notebook(module_id).cells if c.cell_type == "code")
    assert f'show_header("{module_id}")' in first_code.source


@pytest.mark.parametrize("module_id", MODULES)
def test_notebook_has_at_least_two_interactive_practices_whose_content_loads(module_id):
    calls = practice_calls(notebook(module_id))
    assert len(calls) >= 2, calls
    for name, arg in calls:
        folder, loader = PRACTICE_CALLS[name]
        if loader is not None:
            loaded = loader(arg)  # raises UserError if the file is missing or broken
            notes = loaded.sources if name == "show_scenario" else [loaded.source]
            assert notes and all(n.startswith("Nguồn") for n in notes), (name, arg)
            assert (ROOT / "curriculum" / folder / f"{arg}.yml").exists()
            assert arg.startswith(module_id[:3]), f"{arg}: content of module {module_id} is named {module_id[:3]}…"


@pytest.mark.parametrize("module_id", MODULES)
def test_every_numbered_section_carries_a_source_note(module_id):
    sections = [c.source for c in notebook(module_id).cells
                if c.cell_type == "markdown" and re.match(r"## \d+\.", c.source)]
    assert len(sections) >= 4
    for text in sections:
        assert "> Nguồn:" in text, text.splitlines()[0]


@pytest.mark.parametrize("module_id", MODULES)
def test_notebook_teaches_where_older_learners_go_wrong(module_id):
    headings = [c.source.splitlines()[0] for c in notebook(module_id).cells if c.cell_type == "markdown"]
    assert any("hay vướng" in h or "hay gặp" in h for h in headings), headings


@pytest.mark.parametrize("module_id", MODULES)
def test_notebook_is_clean_and_nfc(module_id):
    nb = notebook(module_id)
    assert not has_outputs(nb)
    for cell in nb.cells:
        assert unicodedata.normalize("NFC", cell.source) == cell.source


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_content_file_is_nfc(path):
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


def test_every_practice_file_of_part_2_is_used_by_a_notebook():
    used = {arg for m in MODULES for _n, arg in practice_calls(notebook(m)) if arg}
    files = {p.stem for p in CONTENT_FILES if p.parent.name in {"scams", "qr", "exercises", "scenarios"}}
    assert files <= used, files - used


def test_hotline_numbers_are_always_stated_with_a_reminder_to_check_them():
    """The brief marks the 156/5656 hotline [verify]: wherever it appears, so does 'check again'."""
    places = [*CONTENT_FILES, *(ROOT / "notebooks" / f"{m}.ipynb" for m in MODULES)]
    seen = 0
    for path in places:
        text = path.read_text(encoding="utf-8")
        if "5656" in text:
            seen += 1
            assert re.search(r"kiểm tra lại|số mới nhất", text), path.name
    assert seen >= 3


def test_personal_data_law_is_stated_as_in_the_brief_without_invented_articles():
    text = "\n".join(c.source for c in notebook("07-lua-dao-du-lieu-ca-nhan").cells)
    assert "91/2025/QH15" in text and "1/1/2026" in text and "13/2023/NĐ-CP" in text
    assert "thay thế" in text
    assert not re.search(r"\bĐiều\s+\d+", text), "do not cite article numbers the brief does not give"


def test_vneid_password_and_passcode_rules_agree_with_the_brief_everywhere():
    """Every 'N–M ký tự' is 8–20 and every 'passcode … N số' is 6, in lessons and content alike."""
    places = [*CONTENT_FILES, *(ROOT / "notebooks" / f"{m}.ipynb" for m in MODULES)]
    ranges, passcodes = [], []
    for path in places:
        text = path.read_text(encoding="utf-8")
        ranges += re.findall(r"(\d+)\s*[–-]\s*(\d+) ký tự", text)
        passcodes += re.findall(r"passcode(?: gồm| mới gồm)? (\d+) (?:chữ )?số", text)
    assert ranges and passcodes
    assert set(ranges) == {("8", "20")}, ranges
    assert set(passcodes) == {"6"}, passcodes
