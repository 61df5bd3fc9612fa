"""Fixtures and helpers for the end-to-end tests: Debian's Chromium (Playwright) against a real JupyterLab.

A test module takes the fixtures with ``from e2e_support import *  # noqa: F403`` (``__all__``
lists only fixtures) and imports the helpers it calls by name.
This is deliberately not a ``conftest.py``: a second module called ``conftest`` would replace
``tests/conftest.py`` in ``sys.modules`` and break ``from conftest import run_cli`` elsewhere.
Because a fixture imported into several modules is registered once per module, the session
resources (server, browser) are memoised here, so the whole e2e run uses ONE JupyterLab server
and ONE browser.

* ``e2e_workspace`` — a temporary project root (``notebooks/`` copies, ``course/`` with the
  committed ``nbgrader_config.py``) and a temporary build folder; nothing is written in the
  working tree except the screenshots the issue asks for (``build/screenshots/``).
* ``lab`` — the JupyterLab server, started with :func:`hocvuso.lab.start_server` (what
  ``make lab`` runs) on 127.0.0.1 with a random free port and token, stopped at the end.
* ``browser`` / ``page`` — headless Chromium at ``/usr/bin/chromium``; ``page.console_errors``
  collects console errors and uncaught page errors.

Chromium missing is a FAILURE with the fix in the message, not a skip, unless
``HOCVUSO_E2E_OPTOUT=1`` is set (then the e2e tests are skipped on purpose).
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
import unicodedata
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from hocvuso.lab import START_NOTEBOOK, start_server

CHROMIUM = Path(os.environ.get("HOCVUSO_CHROMIUM", "/usr/bin/chromium"))
OPTOUT_VAR = "HOCVUSO_E2E_OPTOUT"
DISABLE_VAR = "HOCVUSO_E2E_DISABLE_LABEXT"  # comma-separated lab extensions to switch off (demo of a failure)
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
#: The one place in the working tree these tests write to (the issue asks for it).
SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
#: Every e2e test module sets ``pytestmark = E2E`` (one xdist worker owns the browser and server).
E2E = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

_session: dict[str, object] = {}

#: The fixtures (what ``from e2e_support import *`` brings into a test module).
__all__ = ["e2e_workspace", "lab", "browser", "page", "screenshots", "built_quiz", "graded_cohort"]


def require_chromium() -> Path:
    if os.environ.get(OPTOUT_VAR) == "1":
        pytest.skip(f"end-to-end browser tests switched off on purpose ({OPTOUT_VAR}=1)")
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the end-to-end browser tests need Debian's Chromium. "
            "Install it with `apt-get install -y chromium` (`make test` does this via scripts/ensure-browser.sh when it is missing), "
            f"or set {OPTOUT_VAR}=1 to skip these tests on purpose.",
            pytrace=False,
        )
    return CHROMIUM


def _memo(name, factory, request):
    """One shared resource per session even when the fixture is registered by several modules."""
    if "_stack" not in _session:
        stack = _session["_stack"] = contextlib.ExitStack()
        request.session.config.add_cleanup(stack.close)  # stops browser and server after the session
    if name not in _session:
        _session[name] = factory(_session["_stack"])
    return _session[name]


def make_workspace(base: Path) -> dict:
    root, build = base / "root", base / "build"
    (root / "notebooks").mkdir(parents=True)
    (root / "course").mkdir()
    build.mkdir()
    shutil.copy(ROOT / "course" / "nbgrader_config.py", root / "course" / "nbgrader_config.py")
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, root / "notebooks" / nb.name)
    return {"root": root, "course": root / "course", "build": build,
            "env": {"HOCVUSO_COURSE": str(root / "course"), "HOCVUSO_BUILD": str(build)}}


@pytest.fixture(scope="session")
def e2e_workspace(request, tmp_path_factory) -> dict:
    """A temporary project root with copies of the notebooks and an empty nbgrader course."""
    return _memo("workspace", lambda stack: make_workspace(tmp_path_factory.mktemp("e2e")), request)


@pytest.fixture(scope="session")
def lab(request, e2e_workspace):
    """JupyterLab (+ nbgrader + ipywidgets), exactly as ``make lab`` starts it, on tmp folders."""
    require_chromium()
    ws = e2e_workspace
    # For demonstrating a failure on purpose: HOCVUSO_E2E_DISABLE_LABEXT=@jupyter-widgets/jupyterlab-manager
    disabled = [n for n in os.environ.get(DISABLE_VAR, "").split(",") if n]
    return _memo("lab", lambda stack: stack.enter_context(
        start_server(root=ws["root"], course=ws["course"], build=ws["build"], open_path=START_NOTEBOOK,
                     disabled_lab_extensions=disabled)), request)


@pytest.fixture(scope="session")
def browser(request):
    require_chromium()

    def launch(stack):
        from playwright.sync_api import sync_playwright

        pw = stack.enter_context(sync_playwright())
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        stack.callback(chromium.close)
        return chromium

    return _memo("browser", launch, request)


@pytest.fixture
def page(browser, request):
    """A fresh browser tab; console errors and uncaught exceptions land in ``page.console_errors``.

    Afterwards the kernels the test started are shut down, so the next test has the CPU."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    context.set_default_timeout(30_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    tab.console_errors = errors
    yield tab
    context.close()
    for name in ("lab", "lab_without_widgets"):
        if name in request.fixturenames:
            shutdown_kernels(request.getfixturevalue(name))


def shutdown_kernels(server) -> None:
    """Shut down every kernel of ``server`` (REST API), quietly."""
    import json
    import urllib.request

    with contextlib.suppress(OSError, ValueError):
        with urllib.request.urlopen(server.api("api/kernels"), timeout=5) as resp:
            kernels = json.load(resp)
        for kernel in kernels:
            req = urllib.request.Request(server.api(f"api/kernels/{kernel['id']}"), method="DELETE")
            urllib.request.urlopen(req, timeout=10).close()


#: The quiz the e2e tests build, fill in and grade (the lesson-02 quiz; building one quiz is fast).
QUIZ = "q02-phuong-phap-huong-dan"


@pytest.fixture(scope="session")
def built_quiz(request, e2e_workspace) -> str:
    """``hocvuso quizzes build --quiz QUIZ`` into the temporary course; the released notebook's
    path relative to the server root."""
    def build(_stack):
        from conftest import run_cli

        result = run_cli("quizzes", "build", "--quiz", QUIZ, env=e2e_workspace["env"])
        assert result.returncode == 0, result.stderr
        path = e2e_workspace["course"] / "release" / QUIZ / f"{QUIZ}.ipynb"
        assert path.exists(), f"hocvuso quizzes build did not release {path}"
        return str(path.relative_to(e2e_workspace["root"]))

    return _memo("built_quiz", build, request)


#: synthetic volunteer id → how many answers (from the first item on) match the key
COHORT = {"tnv-tong-hop-01": 9, "tnv-tong-hop-02": 5, "tnv-tong-hop-03": 0}
KEY = re.compile(r"cham\((.*)\)\s*\n### END HIDDEN TESTS")


def answer_key(source_notebook) -> list[str]:
    """One accepted answer per auto-graded item, read from the hidden tests of the source notebook."""
    keys = []
    for cell in nbformat.read(source_notebook, as_version=4).cells:
        match = KEY.search(cell.source)
        if match:
            _item, key = ast.literal_eval(f"({match.group(1)})")
            keys.append(key if isinstance(key, str) else key[0])
    return keys


@pytest.fixture(scope="session")
def graded_cohort(request, e2e_workspace, built_quiz, tmp_path_factory) -> dict[str, tuple[float, float]]:
    """Synthetic volunteers hand in the quiz with COHORT[v] answers matching the key; the real
    ``hocvuso quizzes grade`` grades them. Returns {volunteer: (score, max score)} from the gradebook."""
    return _memo("graded_cohort", lambda _stack: _grade_cohort(e2e_workspace, built_quiz, tmp_path_factory),
                 request)


def _grade_cohort(e2e_workspace, built_quiz, tmp_path_factory):
    from conftest import run_cli

    course = e2e_workspace["course"]
    keys = answer_key(course / "source" / QUIZ / f"{QUIZ}.ipynb")
    assert len(keys) >= max(COHORT.values())
    inbox = tmp_path_factory.mktemp("submissions")
    for student, n_right in COHORT.items():
        nb = nbformat.read(e2e_workspace["root"] / built_quiz, as_version=4)
        answers = iter(keys[:n_right])
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.startswith('tra_loi = ""'):
                key = next(answers, None)
                if key is not None:
                    cell.source = f"tra_loi = {key!r}"
        nbformat.write(nb, inbox / f"{QUIZ}_{student}.ipynb")
    result = run_cli("quizzes", "grade", str(inbox), "--workers", "1", env=e2e_workspace["env"])
    assert result.returncode == 0, result.stdout + result.stderr

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {s: (gb.find_submission(QUIZ, s).score, gb.find_submission(QUIZ, s).max_score) for s in COHORT}
    assert [scores[s][0] for s in COHORT] == [float(n) for n in COHORT.values()], scores
    return scores


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# ---------------------------------------------------------------------------------------------
# JupyterLab helpers


#: The notebook on screen (other tabs are hidden panels that are still in the DOM).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def open_in_lab(page, server, relpath: str) -> None:
    """Open a notebook (path relative to the server root) in a fresh workspace; wait until its kernel
    has started and the page knows it (Run All before that clears the cells instead of running them)."""
    page.goto(server.lab_url(relpath, reset=True))
    page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell").first.wait_for(state="visible", timeout=60_000)
    dialog = page.locator(".jp-Dialog")
    with contextlib.suppress(Exception):  # a "Select Kernel" dialog when the notebook names none
        dialog.wait_for(state="visible", timeout=1_500)
        page.locator(".jp-Dialog .jp-mod-accept").click()
    wait_kernel_idle(page, server, relpath)


def wait_kernel_idle(page, server, relpath: str, timeout: float = 60.0) -> None:
    """The server has an idle kernel for ``relpath`` and the status bar says "| Idle"."""
    import json
    import time
    import urllib.request

    deadline, state = time.monotonic() + timeout, "no session"
    while time.monotonic() < deadline:
        with urllib.request.urlopen(server.api("api/sessions"), timeout=5) as resp:
            sessions = [s for s in json.load(resp) if s.get("path", "").endswith(relpath)]
        state = sessions[0]["kernel"]["execution_state"] if sessions and sessions[0].get("kernel") else "no kernel"
        if state == "idle":
            break
        time.sleep(0.25)
    else:
        raise AssertionError(f"no idle kernel for {relpath} after {timeout:.0f} s (state: {state})")
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\| Idle")).first.wait_for(
        timeout=timeout * 1000)
    page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="attached", timeout=timeout * 1000)


def wait_all_cells_ran(page, timeout: float = 90_000) -> None:
    """Wait until every code cell of the notebook on screen shows an execution count (``[n]:``)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    selector = f"{NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt"
    try:
        page.wait_for_function(
            """(sel) => {
                const prompts = [...document.querySelectorAll(sel)].map(p => p.textContent.trim());
                return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:?$/.test(t));
            }""", arg=selector, timeout=timeout)
    except PlaywrightTimeout:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(SCREENSHOTS / "failure-run-all.png"))
        prompts = " ".join(p.strip() for p in page.locator(selector).all_text_contents())
        errors = page.locator(f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type*='error']").all_text_contents()
        raise AssertionError(f"Run All Cells did not run every cell within {timeout / 1000:.0f} s "
                             f"(prompts: {prompts}); errors shown: {errors[:2]}; "
                             f"screenshot: {SCREENSHOTS / 'failure-run-all.png'}") from None


def menu(page, *labels: str) -> None:
    """Click through the main menu bar, e.g. ``menu(page, "Run", "Run All Cells")``; an item is
    clicked only once it is enabled (JupyterLab greys out commands that have no target yet)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(labels[0])}$")).click()
    for label in labels[1:]:
        item = page.locator(".lm-Menu-item:not(.lm-mod-disabled)").filter(
            has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$"))).first
        item.wait_for(state="visible", timeout=20_000)
        item.click()


def run_all_cells(page) -> None:
    """Focus the notebook on screen (so it is JupyterLab's current notebook), then Run → Run All Cells,
    and check the run has started (a cell shows ``[*]`` or a count)."""
    page.locator(f"{NOTEBOOK} .jp-Cell .jp-InputPrompt").first.click()
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """(sel) => [...document.querySelectorAll(sel)].some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
        arg=f"{NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt", timeout=30_000)


def shoot(page, screenshots: Path, name: str, **kwargs) -> Path:
    path = screenshots / name
    page.screenshot(path=str(path), **kwargs)
    assert path.stat().st_size > 5_000, f"screenshot {path} is suspiciously small"
    return path


# ---------------------------------------------------------------------------------------------
# Vietnamese text: present in the page, and drawn with real glyphs (not the missing-glyph box)

_GLYPH_JS = r"""
([selector, chars]) => {
  const el = document.querySelector(selector) || document.body;
  const cs = getComputedStyle(el);
  const font = `${cs.fontStyle} ${cs.fontWeight} 40px ${cs.fontFamily}`;
  const canvas = document.createElement('canvas');
  canvas.width = 80; canvas.height = 80;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (ch) => {
    ctx.clearRect(0, 0, 80, 80);
    ctx.font = font; ctx.fillStyle = '#000'; ctx.textBaseline = 'middle';
    ctx.fillText(ch, 10, 40);
    const data = ctx.getImageData(0, 0, 80, 80).data;
    let ink = 0, hash = 0;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i]) { ink++; hash = (hash * 31 + data[i] * (i + 1)) | 0; }
    }
    return `${ink}:${hash}`;
  };
  const missing = draw('\u{10FFFD}');
  const out = {font: cs.fontFamily, missing, chars: {}};
  for (const [ch, base] of chars) {
    const img = draw(ch);
    out.chars[ch] = {ink: Number(img.split(':')[0]), tofu: img === missing, same_as_base: img === draw(base)};
  }
  return out;
}
"""

_BASE = {"đ": "d", "Đ": "D"}


def vietnamese_chars(text: str) -> list[tuple[str, str]]:
    """Distinct letters with Vietnamese diacritics in ``text``, each with its plain base letter."""
    seen = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isalpha() and not ch.isascii() and ch not in [c for c, _ in seen]:
            base = _BASE.get(ch) or unicodedata.normalize("NFD", ch)[0]
            if base.isascii():
                seen.append((ch, base))
    return seen


def assert_vietnamese_rendered(page, phrase: str, selector: str = "body") -> dict:
    """``phrase`` (with diacritics) is in the page text, and each of its accented letters is drawn
    in the element's font as real ink that is neither the missing-glyph box nor the bare base letter."""
    phrase = unicodedata.normalize("NFC", phrase)
    text = unicodedata.normalize("NFC", page.locator(selector).first.inner_text())
    assert phrase in text, f"{phrase!r} not in the page text (first 300 chars: {text[:300]!r})"
    chars = vietnamese_chars(phrase)
    assert chars, f"{phrase!r} has no Vietnamese diacritics to check"
    report = page.evaluate(_GLYPH_JS, [selector, chars])
    bad = {ch: r for ch, r in report["chars"].items() if r["tofu"] or r["same_as_base"] or r["ink"] == 0}
    assert not bad, f"letters drawn as missing glyphs or without their marks in font {report['font']}: {bad}"
    return report
