"""Step-ordering exercise: put the steps of a task in order; feedback names the FIRST wrong position.

Public API (stable; other lesson notebooks use it)
-------------------------------------------------

``OrderingExercise.from_yaml(path)``
    Read and validate a content file; raises :class:`~hocvuso.errors.UserError` naming the file,
    the step and the fix if it is broken.
``OrderingExercise.load(name_or_path)``
    The same, but a bare name is looked up as ``curriculum/exercises/<name>.yml``.
``exercise.check(order) -> Result``
    ``order`` is a sequence of step ids (or the :class:`Step` objects). ``Result`` has
    ``correct`` (bool), ``first_wrong`` (1-based position of the first misplaced step, or
    ``None``), ``message`` (Vietnamese feedback, with the hint of the step that belongs at that
    position) and ``expected`` / ``placed`` (the step ids at that position).
``exercise.initial_order()``
    A shuffled start order (deterministic from ``seed``; never already correct).
``OrderingWidget(exercise)``
    The ipywidgets view: each step has ▲/▼ buttons; "Kiểm tra" checks, "Xáo lại" reshuffles.
``show_ordering(name_or_path)``
    Build the widget for a content file and display it in the notebook (returns ``None``).

Content file (``curriculum/exercises/<NN-slug>.yml``), steps written in the CORRECT order::

    kind: ordering            # optional; "ordering" is the default
    id: 02-cac-buoc-huong-dan # the file stem
    title: "Thứ tự các bước hướng dẫn"
    instructions: "Sắp xếp ... theo đúng thứ tự."
    steps:
      - id: hoi-ly-do         # ASCII slug, unique in the file
        text: "Hỏi bác muốn làm được việc gì."
        hint: "Trước khi dạy, tìm lý do muốn học."   # optional: shown when this step is misplaced
      - ...
    source: "Nguồn: ..."     # shown under the exercise
    seed: 7                   # optional: start order shuffle

CSS classes (for browser tests): the box ``hv-ordering``; each row ``hv-step``; buttons
``hv-move-up``, ``hv-move-down``, ``hv-check``, ``hv-shuffle``; the feedback HTML ``hv-feedback``
(scope selectors under ``.hv-ordering``: other widgets use ``hv-check`` / ``hv-feedback`` too).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import ASCII_SLUG, UserError
from . import content_file, escape, nfc, read_content_yaml, style_widget

__all__ = ["Step", "Result", "OrderingExercise", "OrderingWidget", "show_ordering"]

SLUG = ASCII_SLUG


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    hint: str = ""


@dataclass(frozen=True)
class Result:
    """The outcome of one check. ``first_wrong`` is 1-based (position 1 is the first step)."""

    correct: bool
    first_wrong: int | None
    message: str
    expected: str | None = None
    placed: str | None = None


@dataclass(frozen=True)
class OrderingExercise:
    id: str
    title: str
    instructions: str
    steps: tuple[Step, ...]
    source: str = ""
    seed: int = 0
    path: Path | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, name_or_path: str | Path) -> OrderingExercise:
        return cls.from_yaml(content_file("exercises", name_or_path))

    @classmethod
    def from_yaml(cls, path: str | Path) -> OrderingExercise:
        path = Path(path)
        if not path.exists():
            raise UserError("không tìm thấy bài sắp xếp / ordering exercise not found", where=str(path),
                            fix="kiểm tra tên tệp trong curriculum/exercises/")
        return cls.from_dict(read_content_yaml(path), path=path)

    @classmethod
    def from_dict(cls, data: dict, *, path: Path | None = None) -> OrderingExercise:
        where = str(path) if path else "<exercise>"

        def err(item: str, message: str, fix: str) -> UserError:
            return UserError(message, where=f"{where} [{item}]", fix=fix)

        kind = data.get("kind", "ordering")
        if kind != "ordering":
            raise err("kind", f"đây không phải bài sắp xếp (kind: {kind}) / not an ordering exercise",
                      "dùng widget phù hợp hoặc đặt 'kind: ordering'")
        for key in ("title", "instructions"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise err(key, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"' (tiếng Việt)")
        raw_steps = data.get("steps")
        if not isinstance(raw_steps, list) or len(raw_steps) < 3:
            raise err("steps", "cần ít nhất 3 bước / needs a list of at least 3 steps",
                      "viết 'steps:' là danh sách các bước theo ĐÚNG thứ tự, mỗi bước có 'id' và 'text'")
        steps: list[Step] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_steps, start=1):
            item = f"steps[{index}]"
            if not isinstance(raw, dict):
                raise err(item, "mỗi bước phải có 'id' và 'text' / each step needs 'id' and 'text'",
                          "ví dụ: '- {id: hoi-ly-do, text: \"Hỏi bác muốn làm gì.\"}'")
            sid = raw.get("id")
            if not isinstance(sid, str) or not SLUG.match(sid):
                raise err(item, f"'id' của bước phải là chữ ASCII không dấu, không phải {sid!r} / step id must be an ASCII slug",
                          "ví dụ 'id: hoi-ly-do'")
            item = f"step {sid}"
            if sid in seen:
                raise err(item, "'id' bị trùng / duplicated step id", "mỗi bước một id khác nhau")
            seen.add(sid)
            text = raw.get("text")
            if not isinstance(text, str) or not text.strip():
                raise err(item, "bước thiếu 'text' / step has no 'text'", "thêm 'text: \"...\"' (tiếng Việt)")
            unknown = set(raw) - {"id", "text", "hint"}
            if unknown:
                raise err(item, f"khóa lạ {sorted(unknown)} / unknown keys", "các khóa hợp lệ: id, text, hint")
            steps.append(Step(sid, nfc(text), nfc(raw.get("hint") or "")))
        texts = [s.text for s in steps]
        if len(set(texts)) != len(texts):
            raise err("steps", "hai bước có cùng nội dung / two steps have the same text",
                      "mỗi bước phải khác nhau để người làm phân biệt được")
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise err("seed", f"'seed' phải là số nguyên, không phải {seed!r}", "ví dụ 'seed: 7'")
        return cls(
            id=str(data.get("id") or (path.stem if path else "exercise")),
            title=nfc(data["title"]),
            instructions=nfc(data["instructions"]),
            steps=tuple(steps),
            source=nfc(data.get("source") or ""),
            seed=seed,
            path=path,
        )

    # ------------------------------------------------------------------ logic
    @property
    def answer(self) -> tuple[str, ...]:
        """The step ids in the correct order."""
        return tuple(s.id for s in self.steps)

    def step(self, step_id: str) -> Step:
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def initial_order(self, seed: int | None = None) -> list[str]:
        """A shuffled order of the step ids, deterministic from the seed, never the answer itself."""
        rng = random.Random(self.seed if seed is None else seed)
        order = list(self.answer)
        while tuple(order) == self.answer:
            rng.shuffle(order)
        return order

    def check(self, order: Sequence[str | Step]) -> Result:
        """Compare an order of step ids with the answer; report the first wrong position (1-based)."""
        ids = [o.id if isinstance(o, Step) else str(o) for o in order]
        if sorted(ids) != sorted(self.answer):
            raise UserError(
                "thứ tự phải gồm đúng mỗi bước một lần / the order must contain every step exactly once",
                where=f"{self.path or self.id}",
                fix="các bước: " + ", ".join(self.answer),
            )
        for position, (placed, expected) in enumerate(zip(ids, self.answer, strict=True), start=1):
            if placed != expected:
                hint = self.step(expected).hint
                message = (f"Vị trí {position} chưa đúng: “{self.step(placed).text}” "
                           f"chưa phải là bước thứ {position}.")
                if position == 2:
                    message += " Bước 1 đã đúng."
                elif position > 2:
                    message += f" Các bước 1–{position - 1} đã đúng."
                if hint:
                    message += f" Gợi ý: {hint}"
                return Result(False, position, message, expected=expected, placed=placed)
        return Result(True, None, f"Đúng hết cả {len(self.answer)} bước. Rất tốt!")


# ---------------------------------------------------------------------- view
class OrderingWidget:
    """ipywidgets view of an :class:`OrderingExercise` (▲/▼ per step, Kiểm tra, Xáo lại).

    ``.order`` is the current list of step ids; ``.move(index, delta)`` and ``.check()`` are the
    same actions the buttons perform (handy in tests); ``.box`` is the widget to display.
    """

    def __init__(self, exercise: OrderingExercise):
        import ipywidgets as w

        self._w = w
        self.exercise = exercise
        self.order: list[str] = exercise.initial_order()
        self.attempts = 0
        self.last_result: Result | None = None
        self.rows = w.VBox()
        self.feedback = w.HTML(value="")
        self.feedback.add_class("hv-feedback")
        self.check_button = check = w.Button(description="Kiểm tra", button_style="primary", icon="check",
                         tooltip="Kiểm tra thứ tự các bước")
        check.add_class("hv-check")
        check.on_click(lambda _b: self.check())
        self.shuffle_button = shuffle = w.Button(description="Xáo lại", icon="random", tooltip="Xáo trộn và làm lại")
        shuffle.add_class("hv-shuffle")
        shuffle.on_click(lambda _b: self.reshuffle())
        header = w.HTML(value=f"<h4>{escape(exercise.title)}</h4><p>{escape(exercise.instructions)}</p>")
        parts = [style_widget(), header, self.rows, w.HBox([check, shuffle]), self.feedback]
        if exercise.source:
            parts.append(w.HTML(value=f"<p style='font-size:90%;color:#555'>{escape(exercise.source)}</p>"))
        self.box = w.VBox(parts)
        self.box.add_class("hv-ordering")
        self._render()

    def _render(self) -> None:
        w = self._w
        rows = []
        for index, sid in enumerate(self.order):
            up = w.Button(description="▲", tooltip="Đưa lên", layout=w.Layout(width="3em"),
                          disabled=index == 0)
            up.add_class("hv-move-up")
            up.on_click(lambda _b, i=index: self.move(i, -1))
            down = w.Button(description="▼", tooltip="Đưa xuống", layout=w.Layout(width="3em"),
                            disabled=index == len(self.order) - 1)
            down.add_class("hv-move-down")
            down.on_click(lambda _b, i=index: self.move(i, +1))
            label = w.HTML(value=f"<b>{index + 1}.</b> {escape(self.exercise.step(sid).text)}")
            row = w.HBox([up, down, label])
            row.add_class("hv-step")
            rows.append(row)
        self.rows.children = rows

    def move(self, index: int, delta: int) -> None:
        target = index + delta
        if 0 <= index < len(self.order) and 0 <= target < len(self.order):
            self.order[index], self.order[target] = self.order[target], self.order[index]
            self._render()

    def reshuffle(self) -> None:
        self.attempts += 1
        self.order = self.exercise.initial_order(seed=self.exercise.seed + self.attempts)
        self.feedback.value = ""
        self._render()

    def check(self) -> Result:
        result = self.exercise.check(self.order)
        self.last_result = result
        colour = "#1b5e20" if result.correct else "#b71c1c"
        mark = "✔" if result.correct else "✘"
        self.feedback.value = f"<p style='color:{colour};font-size:110%'>{mark} {escape(result.message)}</p>"
        return result

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_ordering(name_or_path: str | Path) -> None:
    """Display the ordering exercise ``curriculum/exercises/<name>.yml`` (or a path) in the notebook."""
    from IPython.display import display

    display(OrderingWidget(OrderingExercise.load(name_or_path)).box)
