"""Interactive practice for the volunteers' lesson notebooks (ipywidgets 8).

Every widget is split in two so its logic can be tested without a browser:

* a pure-Python *logic* class (no ipywidgets import) that reads a content file and keeps
  the state: :class:`~hocvuso.widgets.scenario.ScenarioPlayer`,
  :class:`~hocvuso.widgets.ordering.OrderingExercise`,
  :class:`~hocvuso.widgets.teachback.TeachbackChecker`;
* a thin *view* class built from ipywidgets (buttons with Vietnamese labels, HTML for feedback)
  that only forwards clicks to the logic and shows what it returns.

Content lives under ``curriculum/`` as YAML, never in code:

====================  ===================================  ==========================================
widget                content                              notebook call
====================  ===================================  ==========================================
scenario (role-play)  ``curriculum/scenarios/<name>.yml``  ``show_scenario("<name>")``
step ordering         ``curriculum/exercises/<name>.yml``  ``show_ordering("<name>")``
teach-back checker    ``curriculum/exercises/<name>.yml``  ``show_teachback("<name>")``
                      (with ``kind: teachback``)
module header etc.    ``curriculum/syllabus.yml``          ``lesson.show_header("<module id>")``
====================  ===================================  ==========================================

Import the submodules directly (``from hocvuso.widgets.ordering import show_ordering``); this
package file imports nothing heavy, so other widget modules (scam, QR, password practice) can
live beside these without being loaded here.

The small helpers below are shared by the content readers: they find a content file by name,
read YAML, and turn every mistake into a :class:`~hocvuso.errors.UserError` naming the file,
the item and the fix.
"""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path
from typing import Any

from ..errors import UserError, read_yaml_mapping
from ..paths import curriculum_dir

__all__ = ["content_file", "read_content_yaml", "nfc", "escape", "style_widget", "CSS"]

#: Injected once per widget (an ipywidgets.HTML holding a <style>): long Vietnamese sentences on
#: reply buttons wrap instead of being cut off with "…", and HTML text inside the boxes wraps.
CSS = """<style>
.hv-choice.jupyter-button, .hv-choice.widget-button {
  white-space: normal !important; height: auto !important; min-height: 2.6em;
  text-align: left !important; line-height: 1.4 !important; padding: 6px 10px !important;
  max-width: 48em; margin: 2px 0 !important;
}
.hv-scenario .widget-html-content, .hv-ordering .widget-html-content,
.hv-teachback .widget-html-content, .hv-rubric .widget-html-content {
  white-space: normal; line-height: 1.45;
}
.hv-teachback-input textarea { font-family: var(--jp-ui-font-family, sans-serif); font-size: 105%; }
</style>"""


def style_widget():
    """An invisible ipywidgets.HTML carrying :data:`CSS` (put it first in a widget's box)."""
    import ipywidgets as w

    return w.HTML(value=CSS, layout=w.Layout(height="0px", margin="0px"))


def nfc(text: Any) -> str:
    """``text`` as a stripped string in Unicode NFC (how all Vietnamese text is stored)."""
    return unicodedata.normalize("NFC", str(text)).strip()


def escape(text: str) -> str:
    """HTML-escape text for an ipywidgets.HTML value."""
    return html.escape(text, quote=False)


def content_file(folder: str, name_or_path: str | Path) -> Path:
    """Resolve a content file: an existing path as given, else ``curriculum/<folder>/<name>.yml``."""
    candidate = Path(name_or_path)
    if candidate.suffix in {".yml", ".yaml"} and candidate.exists():
        return candidate
    name = candidate.name if candidate.suffix in {".yml", ".yaml"} else f"{candidate.name}.yml"
    path = curriculum_dir() / folder / name
    if not path.exists():
        available = sorted(p.stem for p in (curriculum_dir() / folder).glob("*.yml"))
        raise UserError(
            "không tìm thấy tệp nội dung / content file not found",
            where=str(path),
            fix="dùng một trong / use one of: " + (", ".join(available) or f"(chưa có tệp nào trong curriculum/{folder})"),
        )
    return path


def read_content_yaml(path: Path) -> dict:
    """Read a YAML mapping; a syntax error names the file and line."""
    return read_yaml_mapping(path, what="tệp nội dung / content file",
                             fix="xem ví dụ trong docstring của widget / see the widget's docstring")
