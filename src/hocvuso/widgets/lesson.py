"""Lesson furniture shared by the volunteers' notebooks.

``show_header(module_id)``
    The header cell of a lesson, generated from ``curriculum/syllabus.yml``: Vietnamese title
    (English below), minutes of teaching + exercises, the objectives and the quiz the module
    leads to. ``header_html`` returns the same HTML as a string (tested).
``show_key_points(module_id)``
    The "Ghi nhớ" box at the end of a lesson (the module's key points).
``check_practice_answer(answer, accepted, hint="")`` / ``practice_answer(...)``
    A tiny ungraded practice answer: compare what the volunteer typed with accepted answers
    (case, spaces and Unicode form ignored) and say so in Vietnamese.
``RubricSelfCheck`` / ``RubricWidget`` / ``show_rubric_selfcheck()``
    Self-scoring with the teaching-demo rubric (``hocvuso.rubric``): one "tốt" / "cần cải thiện"
    toggle per criterion; when all are marked, the outcome (passed / redo) is shown.
    CSS classes: box ``hv-rubric``, each toggle ``hv-rubric-criterion``, result ``hv-feedback``.

Instructor notes from the syllabus are never rendered here: they are for trainers, not learners.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..curriculum import Module, Syllabus, load_syllabus
from ..rubric import MARKS, DemoOutcome, Rubric, demo_outcome, load_rubric
from . import escape, style_widget

__all__ = ["header_html", "show_header", "key_points_html", "show_key_points", "check_practice_answer",
           "practice_answer", "RubricSelfCheck", "RubricWidget", "show_rubric_selfcheck"]


def _minutes(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _module(module_id: str, syllabus: Syllabus | None) -> Module:
    syllabus = syllabus or load_syllabus()
    try:
        return syllabus.module(module_id)
    except KeyError:
        from ..errors import UserError

        raise UserError(f"không có bài '{module_id}' trong giáo trình / unknown module", where=str(syllabus.path),
                        fix="dùng một trong: " + ", ".join(m.id for m in syllabus.modules)) from None


def header_html(module_id: str, syllabus: Syllabus | None = None) -> str:
    """HTML header of a lesson: title, minutes, objectives, quiz — all from the syllabus."""
    m = _module(module_id, syllabus)
    objectives = "".join(f"<li>{escape(o)}</li>" for o in m.objectives)
    quiz = (f"<p>Bài này dẫn tới bài kiểm tra <code>{escape(m.quiz)}</code> (nộp trong thẻ Assignments).</p>"
            if m.quiz else "<p>Bài này không có bài kiểm tra.</p>")
    return (
        f"<div class='hv-lesson-header' style='border-left:6px solid #1565c0;padding:4px 12px'>"
        f"<h1 style='margin-bottom:0'>Bài {m.number:02d}. {escape(m.title_vi)}</h1>"
        f"<p style='color:#555;margin-top:2px'><i>{escape(m.title_en)}</i></p>"
        f"<p>⏱ Thời lượng: {_minutes(m.teaching_minutes)} phút học + {_minutes(m.exercise_minutes)} phút "
        f"bài tập = <b>{_minutes(m.total_minutes)} phút</b>.</p>"
        f"<p><b>Sau bài này, bạn có thể:</b></p><ol>{objectives}</ol>{quiz}</div>"
    )


def show_header(module_id: str) -> None:
    from IPython.display import HTML, display

    display(HTML(header_html(module_id)))


def key_points_html(module_id: str, syllabus: Syllabus | None = None) -> str:
    m = _module(module_id, syllabus)
    points = "".join(f"<li>{escape(p)}</li>" for p in m.key_points)
    return (f"<div class='hv-key-points' style='background:#e3f2fd;padding:6px 12px;border-radius:6px'>"
            f"<b>Ghi nhớ</b><ul>{points}</ul></div>")


def show_key_points(module_id: str) -> None:
    from IPython.display import HTML, display

    display(HTML(key_points_html(module_id)))


# ------------------------------------------------------------- practice answer
def _canon(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).casefold().strip()
    text = re.sub(r"\s*\+\s*", "+", text)
    return re.sub(r"\s+", " ", text).strip(" .!")


@dataclass(frozen=True)
class PracticeFeedback:
    correct: bool
    message: str


def check_practice_answer(answer, accepted: Iterable[str], hint: str = "") -> PracticeFeedback:
    """Compare a typed answer with accepted answers (ignoring case, extra spaces, Unicode form)."""
    if answer is None or not str(answer).strip():
        return PracticeFeedback(False, "Bạn chưa trả lời. Gõ câu trả lời giữa hai dấu ngoặc kép rồi chạy lại ô.")
    if _canon(answer) in {_canon(a) for a in accepted}:
        return PracticeFeedback(True, f"Đúng rồi! («{str(answer).strip()}»)")
    return PracticeFeedback(False, f"Chưa đúng («{str(answer).strip()}»). " + (f"Gợi ý: {hint}" if hint else "Thử lại nhé."))


def practice_answer(answer, accepted: Iterable[str], hint: str = "") -> None:
    """Print the feedback for a practice answer (nothing is graded or stored)."""
    feedback = check_practice_answer(answer, accepted, hint)
    print(("✔ " if feedback.correct else "✘ ") + feedback.message)


# ------------------------------------------------------------- rubric self-check
@dataclass
class RubricSelfCheck:
    """Marks given so far in a self-scored teaching demo; ``outcome()`` once every criterion is marked."""

    rubric: Rubric
    marks: dict[str, str] = field(default_factory=dict)

    def set(self, criterion_id: str, mark: str | None) -> None:
        if criterion_id not in self.rubric.criterion_ids:
            raise KeyError(criterion_id)
        if mark is None:
            self.marks.pop(criterion_id, None)
        else:
            self.marks[criterion_id] = mark

    @property
    def complete(self) -> bool:
        return all(c in self.marks for c in self.rubric.criterion_ids)

    def outcome(self) -> DemoOutcome | None:
        return demo_outcome(self.marks, self.rubric, where="tự chấm / self-check") if self.complete else None

    def message(self) -> str:
        result = self.outcome()
        if result is None:
            return f"Đã chấm {len(self.marks)}/{len(self.rubric.criteria)} tiêu chí."
        return result.message_vi()


class RubricWidget:
    """One ToggleButtons ("tốt" / "cần cải thiện") per criterion and the outcome below."""

    def __init__(self, rubric: Rubric | None = None):
        import ipywidgets as w

        self.state = RubricSelfCheck(rubric or load_rubric())
        labels = self.state.rubric.mark_labels
        self._label_to_mark = {labels[m]["vi"]: m for m in MARKS}
        self.toggles: dict[str, w.ToggleButtons] = {}
        rows = []
        for index, criterion in enumerate(self.state.rubric.criteria, start=1):
            toggle = w.ToggleButtons(options=[labels["good"]["vi"], labels["growth"]["vi"]], value=None,
                                     style={"button_width": "9em"})
            toggle.add_class("hv-rubric-criterion")
            toggle.observe(lambda change, cid=criterion.id: self._changed(cid, change["new"]), names="value")
            self.toggles[criterion.id] = toggle
            rows.append(w.VBox([w.HTML(value=f"<b>{index}.</b> {escape(criterion.vi)}"), toggle]))
        self.result = w.HTML(value=f"<p>{escape(self.state.message())}</p>")
        self.result.add_class("hv-feedback")
        title = w.HTML(value=f"<h4>{escape(self.state.rubric.title_vi)}</h4>")
        self.box = w.VBox([style_widget(), title, *rows, self.result])
        self.box.add_class("hv-rubric")

    def _changed(self, criterion_id: str, label: str | None) -> None:
        self.state.set(criterion_id, self._label_to_mark.get(label) if label else None)
        outcome = self.state.outcome()
        colour = "#333" if outcome is None else ("#1b5e20" if outcome.passed else "#b71c1c")
        self.result.value = f"<p style='color:{colour};font-size:110%'><b>{escape(self.state.message())}</b></p>"

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_rubric_selfcheck() -> None:
    """Display the teaching-demo rubric as a self-scoring widget."""
    from IPython.display import display

    display(RubricWidget().box)
