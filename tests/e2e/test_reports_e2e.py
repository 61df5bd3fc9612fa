"""Do the readiness report, a handout and the outcome report open cleanly in a browser, in Vietnamese?

Each document is generated into the temporary build folder by the real command a coordinator runs
(``hocvuso readiness`` on the cohort graded for the formgrader test, ``hocvuso handouts``,
``hocvuso report`` on the synthetic demo survey data), opened from disk (``file://``, as when
double-clicked) in Chromium, and must:

* load with no console error and no uncaught script error;
* fetch nothing from the network (they are meant to work offline, in a community house);
* show its Vietnamese heading exactly as written in the file (so the text was decoded as UTF-8),
  drawn with real glyphs: each accented letter has ink, differs from the missing-glyph box and
  from its bare base letter (see ``e2e_support.assert_vietnamese_rendered``).

A screenshot of each goes to ``build/screenshots/``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import run_cli
from e2e_support import *  # noqa: F403  (fixtures: page, e2e_workspace, screenshots, graded_cohort, ...)
from e2e_support import COHORT, E2E, assert_vietnamese_rendered, shoot

pytestmark = E2E

H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def heading_in_file(path: Path) -> str:
    match = H1.search(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no <h1>"
    text = html.unescape(re.sub(r"<[^>]+>", "", match.group(1)))
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _cli(*args, env) -> None:
    result = run_cli(*args, env=env)
    assert result.returncode == 0, f"hocvuso {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


def build_readiness(ws, request) -> Path:
    request.getfixturevalue("graded_cohort")  # the cohort graded for the formgrader test
    out = ws["build"] / "readiness"
    _cli("readiness", "--scores", str(ws["build"] / "quizzes" / "item-scores.csv"), "--out", str(out),
         env=ws["env"])
    return out / "readiness.html"


def build_handout(ws, request) -> Path:
    out = ws["build"] / "handouts"
    _cli("handouts", "--out", str(out), env=ws["env"])
    cards = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert cards, f"hocvuso handouts wrote no handout into {out}"
    return cards[0]


def build_outcome_report(ws, request) -> Path:
    out = ws["build"] / "report" / "report.html"
    _cli("report", "--out", str(out), env=ws["env"])
    return out


DOCUMENTS = {
    "readiness": (build_readiness, "4-readiness-report.png", {"full_page": True}),
    "handout": (build_handout, "5-handout.png", {"full_page": True}),
    "outcome-report": (build_outcome_report, "6-outcome-report.png", {}),
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_document_opens_without_errors_and_renders_vietnamese(name, page, e2e_workspace, screenshots, request):
    build, shot, shot_options = DOCUMENTS[name]
    path = build(e2e_workspace, request)
    network = []
    page.on("request", lambda req: network.append(req.url)
            if not req.url.startswith(("file:", "data:", "blob:", "about:")) else None)

    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.characterSet") == "UTF-8"
    assert (page.evaluate("document.documentElement.lang") or "").startswith("vi")

    heading = heading_in_file(path)
    assert_vietnamese_rendered(page, heading, "h1")
    assert_vietnamese_rendered(page, heading)  # and it is part of the page text as a whole
    if name == "readiness":  # the cohort the coordinator just graded is in the table
        text = page.locator("body").inner_text()
        assert all(student in text for student in COHORT), "graded volunteers missing from the readiness report"
    assert page.console_errors == [], page.console_errors
    assert network == [], f"{path.name} fetched from the network: {network}"
    shoot(page, screenshots, shot, **shot_options)
