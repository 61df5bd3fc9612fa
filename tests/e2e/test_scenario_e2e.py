"""Can a volunteer play the lesson's role-play scenario in JupyterLab, and do we notice when widgets break?

The volunteer opens ``notebooks/02-phuong-phap-huong-dan.ipynb``, runs all cells from the Run
menu, clicks a reply that is not advisable, reads why, plays on to an ending and sees the score.
What the page must show is computed independently from the same content file with
:class:`hocvuso.widgets.scenario.ScenarioPlayer`.

The second test starts JupyterLab with the ipywidgets lab extension switched off (the widget
JavaScript never loads) and checks that the same play-through then FAILS with a message that says
why: so a broken widget installation cannot pass these tests.
"""

from __future__ import annotations

import re
import unicodedata

import nbformat
import pytest
from e2e_support import *  # noqa: F403  (fixtures: lab, page, e2e_workspace, screenshots, ...)
from e2e_support import E2E, NOTEBOOK, open_in_lab, run_all_cells, shoot, wait_all_cells_ran
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hocvuso.lab import WIDGETS_LAB_EXTENSION, start_server
from hocvuso.widgets.scenario import Scenario, ScenarioPlayer

pytestmark = E2E

LESSON = "notebooks/02-phuong-phap-huong-dan.ipynb"
SHOW_SCENARIO = re.compile(r"show_scenario\(\s*[\"']([^\"']+)[\"']")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def scenario_in(notebook) -> Scenario:
    """The scenario the notebook shows (the name passed to ``show_scenario``)."""
    nb = nbformat.read(notebook, as_version=4)
    names = [m.group(1) for c in nb.cells if c.cell_type == "code" for m in SHOW_SCENARIO.finditer(c.source)]
    assert names, f"{notebook} calls no show_scenario(...)"
    return Scenario.load(names[0])


def _snippet(text: str, n: int = 50) -> str:
    """A leading piece of ``text`` long enough to be unique and short enough to survive wrapping."""
    return _nfc(" ".join(text.split()))[:n]


def widget_did_not_render(page) -> AssertionError:
    outputs = " | ".join(t.strip()[:200] for t in page.locator(f"{NOTEBOOK} .jp-OutputArea-output").all_text_contents())
    prompts = [p.strip() for p in page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt").all_text_contents()]
    kernel = page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator").first.get_attribute("data-status")
    return AssertionError(
        "the scenario widget did not render (no .hv-scenario in the notebook after Run All Cells). "
        "Is the ipywidgets lab extension (@jupyter-widgets/jupyterlab-manager) installed and enabled? "
        f"Kernel: {kernel}; all {len(prompts)} code cells ran ({' '.join(prompts)}); "
        f"cell outputs were: {outputs[:600]!r}")


def play_scenario(page, server, notebook_relpath: str, scenario: Scenario, *, render_timeout=10_000):
    """Open, Run All, click a 0-point reply, then play to an ending. Returns (player, wrong option)."""
    open_in_lab(page, server, notebook_relpath)
    run_all_cells(page)
    wait_all_cells_ran(page)  # every cell has run; the widget view then has `render_timeout` to appear
    box = page.locator(".hv-scenario")
    try:
        box.wait_for(state="visible", timeout=render_timeout)
    except PlaywrightTimeout:
        raise widget_did_not_render(page) from None

    player = ScenarioPlayer(scenario)
    wrong = None
    while not player.finished:
        node = player.node
        page.locator(".hv-persona", has_text=_snippet(node.says, 40)).wait_for(timeout=20_000)
        zero = [o for o in node.options if o.points == 0]
        option = zero[0] if wrong is None and zero else max(node.options, key=lambda o: o.points)
        buttons = page.locator(".hv-scenario .hv-choice").filter(has_text=_snippet(option.text, 40))
        buttons.first.wait_for(timeout=20_000)  # the persona's line is redrawn just before the buttons
        assert buttons.count() == 1, f"expected one button for reply {option.id!r} at {node.id!r}"
        buttons.click()
        feedback = page.locator(".hv-scenario .hv-feedback")
        feedback.filter(has_text=_snippet(option.feedback)).wait_for(timeout=20_000)
        assert f"{option.points} điểm" in _nfc(feedback.inner_text())
        if option.points == 0 and wrong is None:
            wrong = option
        player.choose(option.id)
    return player, wrong


def test_volunteer_plays_the_lesson_scenario_to_the_end(lab, page, e2e_workspace, screenshots):
    """Wrong reply → its explanation; the ending shows the same score as the player computes."""
    scenario = scenario_in(e2e_workspace["root"] / LESSON)
    player, wrong = play_scenario(page, lab, LESSON, scenario)

    assert wrong is not None, "the scenario should offer at least one 0-point reply on the played path"
    score = page.locator(".hv-scenario .hv-score")
    score.filter(has_text=f"Điểm: {player.score}/{player.max_score}").wait_for(timeout=20_000)
    assert "kết thúc" in _nfc(score.inner_text())
    assert player.score < player.max_score  # a wrong reply must cost points
    summary = _nfc(page.locator(".hv-scenario .hv-summary").inner_text())
    assert "Tóm tắt" in summary and _snippet(player.node.ending, 30) in _nfc(" ".join(summary.split()))
    page.locator(".hv-scenario").scroll_into_view_if_needed()
    shoot(page, screenshots, "1-scenario-widget.png")


@pytest.fixture
def lab_without_widgets(tmp_path, e2e_workspace):
    """A second JupyterLab on the same files, with the ipywidgets lab extension disabled."""
    with start_server(root=e2e_workspace["root"], course=e2e_workspace["course"], build=tmp_path / "build",
                      disabled_lab_extensions=[WIDGETS_LAB_EXTENSION]) as server:
        yield server


def test_scenario_test_fails_when_the_widget_javascript_does_not_load(lab_without_widgets, page, e2e_workspace,
                                                                      screenshots):
    """With @jupyter-widgets/jupyterlab-manager disabled the play-through fails and says why."""
    scenario = scenario_in(e2e_workspace["root"] / LESSON)
    with pytest.raises(AssertionError, match="did not render") as failure:
        play_scenario(page, lab_without_widgets, LESSON, scenario)
    message = str(failure.value)
    assert "@jupyter-widgets/jupyterlab-manager" in message
    # What the volunteer sees instead of buttons: the widget's plain-text stand-in.
    assert "VBox(" in message or "Loading widget" in message or "Error displaying widget" in message, message
    assert page.locator(".hv-choice").count() == 0
    stand_in = page.locator(f"{NOTEBOOK} .jp-OutputArea-output", has_text="VBox(").first
    stand_in.scroll_into_view_if_needed()
    shoot(page, screenshots, "7-without-widget-extension.png")  # what a volunteer would see
