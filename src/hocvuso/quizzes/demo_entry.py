"""An ipywidgets form for entering teaching-demo marks (used in ``analysis/readiness.ipynb``).

One volunteer at a time: choose the volunteer code, mark every rubric criterion "tốt" or
"cần cải thiện", press "Lưu". The row is written (or replaced) in a CSV that
``hocvuso readiness --demo`` reads, and the outcome (đạt / dạy thử lại) is shown at once.
"""

from __future__ import annotations

import csv
from pathlib import Path


def save_marks(path: Path, student: str, marks: dict[str, str]) -> None:
    """Write or replace one volunteer's row in the demo-marks CSV."""
    from ..rubric import load_rubric

    rubric = load_rubric()
    fields = ["student", *rubric.criterion_ids]
    rows = []
    if path.exists():
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = [r for r in csv.DictReader(fh) if r.get("student") != student]
    rows.append({"student": student, **marks})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(sorted(rows, key=lambda r: r["student"]))


class DemoEntry:
    """The widget; ``DemoEntry(path, students).box`` is what the notebook displays."""

    def __init__(self, path: Path, students: list[str]):
        import ipywidgets as w

        from ..rubric import demo_outcome, load_rubric

        self.path = Path(path)
        self.rubric = load_rubric()
        self._outcome = demo_outcome
        self.student = w.Dropdown(options=students, description="Mã TNV:")
        self.marks = {
            c.id: w.ToggleButtons(options=[("tốt", "good"), ("cần cải thiện", "growth")], value="good",
                                  description="", style={"button_width": "9em"})
            for c in self.rubric.criteria
        }
        rows = [w.HBox([w.HTML(f"<div style='width:28em'>{c.vi}</div>"), self.marks[c.id]])
                for c in self.rubric.criteria]
        self.save = w.Button(description="Lưu", button_style="primary", icon="save")
        self.message = w.HTML()
        self.save.on_click(lambda _b: self.submit())
        self.box = w.VBox([w.HTML(f"<b>{self.rubric.title_vi}</b>"), self.student, *rows, self.save, self.message])

    def submit(self):
        marks = {cid: t.value for cid, t in self.marks.items()}
        save_marks(self.path, self.student.value, marks)
        outcome = self._outcome(marks, self.rubric)
        self.message.value = f"<span class='hv-demo-saved'>Đã lưu {self.student.value}: {outcome.message_vi()}</span>"
        return outcome
