"""Does `make lab`'s JupyterLab come up with nbgrader's extensions and working ipywidgets, in a real browser?"""

from __future__ import annotations

import nbformat
import pytest
from e2e_support import *  # noqa: F403  (the fixtures: lab, page, e2e_workspace, ...)
from e2e_support import E2E, NOTEBOOK, menu, open_in_lab, run_all_cells, wait_all_cells_ran
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from hocvuso.lab import START_NOTEBOOK, WIDGETS_LAB_EXTENSION

pytestmark = E2E

PROBE = '''\
import ipywidgets as w
label = w.HTML("<b>Chưa bấm</b>")
label.add_class("hv-probe-label")
button = w.Button(description="Bấm thử")
button.add_class("hv-probe-button")
def on_click(_):
    label.value = "<b>Đã bấm: nút hoạt động</b>"
button.on_click(on_click)
w.VBox([button, label])
'''


@pytest.fixture
def probe_notebook(e2e_workspace):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Thử widget"), nbformat.v4.new_code_cell(PROBE)]
    path = e2e_workspace["root"] / "probe-widget.ipynb"
    nbformat.write(nb, path)
    return path.name


def test_lab_shows_nbgrader_menu_with_formgrader_and_assignments(lab, page):
    """A coordinator finds nbgrader's Formgrader and Assignments in the lab's menu bar."""
    page.goto(lab.lab_url())
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=60_000)
    menu(page, "Nbgrader")
    items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert any("Formgrader" in t for t in items), items
    assert any("Assignment List" in t for t in items), items
    assert any("Course List" in t for t in items), items


def test_make_lab_opens_the_start_notebook(lab, page):
    """The lab's front page (what `make lab` opens in the browser) shows notebooks/00-bat-dau.ipynb."""
    page.goto(f"{lab.url}?token={lab.token}")
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    expect(tab).to_contain_text(START_NOTEBOOK.rsplit("/", 1)[-1].removesuffix(".ipynb"), timeout=60_000)
    page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell").first.wait_for(state="visible")


def test_an_ipywidget_renders_and_answers_a_click(lab, page, probe_notebook):
    """ipywidgets 8 render in the lab: a button appears after Run All and its click reaches the kernel."""
    open_in_lab(page, lab, probe_notebook)
    run_all_cells(page)
    wait_all_cells_ran(page)
    button = page.locator(".hv-probe-button")
    try:
        button.wait_for(state="visible", timeout=10_000)
    except PlaywrightTimeout:
        shown = page.locator(f"{NOTEBOOK} .jp-OutputArea-output").all_text_contents()
        raise AssertionError(f"the cell ran but no widget appeared; the output shows {shown!r}: is "
                             f"{WIDGETS_LAB_EXTENSION} installed and enabled?") from None
    assert "Chưa bấm" in page.locator(".hv-probe-label").inner_text()
    button.click()
    page.locator(".hv-probe-label", has_text="Đã bấm").wait_for(timeout=20_000)
