"""Helpers a quiz notebook calls inside its kernel (volunteer's JupyterLab and nbgrader autograde).

A built quiz notebook has, for every auto-graded item, an answer cell (``tra_loi = ""  # …``)
followed by a locked test cell::

    kiem_tra("muc-2-gia-tri")          # visible: reads tra_loi, checks its FORM, says so in Vietnamese
    ### BEGIN HIDDEN TESTS
    cham("muc-2-gia-tri", "a")        # hidden: compares with the key; only in the source notebook
    ### END HIDDEN TESTS

:func:`kiem_tra` never raises (so "Run all" reaches the self-check), prints to stdout only
(nbgrader treats stderr as failure) and returns ``None`` (nbgrader would read a returned number
as partial credit). :func:`cham` raises :class:`ChuaDung` — an exception that IPython renders
as one friendly Vietnamese line instead of a traceback — so nbgrader scores the cell 0.
``tra_loi`` is removed from the namespace once read, so a deleted answer cell can never be
graded with the previous item's answer.
"""

from __future__ import annotations

import html

from .bank import MalformedAnswer, describe, instruction, normalise

#: Stable texts (browser tests look for them).
MALFORMED = "chưa đúng cách ghi"
UNANSWERED = "chưa trả lời"
RECORDED = "đã ghi nhận"

_MISSING = object()

_STATE: dict = {"quiz": None, "items": {}, "answers": {}}


class ChuaDung(Exception):
    """A wrong, unanswered or malformed answer, shown as one friendly line (no traceback)."""

    def _render_traceback_(self):  # IPython uses this instead of a traceback
        return [str(self)]


def bat_dau(quiz_id: str, items: list[tuple[str, str, str]]) -> None:
    """Start a quiz: remember its items ``(id, type, letters)`` and install friendly error messages."""
    _STATE["quiz"] = quiz_id
    _STATE["items"] = {iid: (n, kind, tuple(letters)) for n, (iid, kind, letters) in enumerate(items, start=1)}
    _STATE["answers"] = {}
    _install_friendly_errors()


def _reset() -> None:
    _STATE.update({"quiz": None, "items": {}, "answers": {}})


def _item(item_id: str) -> tuple[int, str, tuple[str, ...]]:
    if item_id not in _STATE["items"]:
        raise ChuaDung(f"Không tìm thấy câu '{item_id}'. Hãy chạy ô đầu tiên của bài (Run → Run All Cells).")
    return _STATE["items"][item_id]


def _show(text: str, css: str) -> None:
    """Display one line: HTML with class ``hv-selfcheck`` in JupyterLab, plain text elsewhere."""
    try:
        from IPython.display import display

        display({"text/plain": text,
                 "text/html": f'<div class="hv-selfcheck {css}">{html.escape(text)}</div>'}, raw=True)
    except ImportError:  # pragma: no cover - outside IPython
        print(text)


def _user_ns() -> dict:
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:  # pragma: no cover
        ip = None
    return ip.user_ns if ip is not None else {}


def check_form(item_id: str, raw) -> tuple[str, object, str]:
    """Return ``(status, normalised, message)`` for a raw answer; status is ok / unanswered / malformed."""
    n, kind, letters = _item(item_id)
    if raw is _MISSING:
        return "unanswered", None, f"Câu {n}: {UNANSWERED} — hãy chạy ô trả lời ngay phía trên rồi chạy lại ô này."
    try:
        value = normalise(kind, raw, letters)
    except MalformedAnswer as exc:
        shown = raw if isinstance(raw, str) else repr(raw)
        return "malformed", None, f'Câu {n}: "{shown}" {MALFORMED} — {exc.message}.'
    if value is None:
        return "unanswered", None, f"Câu {n}: {UNANSWERED}. {instruction(kind, letters)}."
    return "ok", value, f'Câu {n}: {RECORDED} câu trả lời "{describe(kind, value)}".'


def kiem_tra(item_id: str) -> None:
    """Read ``tra_loi`` from the notebook, check its form, remember it, say so. Never raises."""
    raw = _user_ns().pop("tra_loi", _MISSING)
    if raw is _MISSING and item_id in _STATE["answers"]:
        # the test cell was run again without re-running the answer cell: keep what was recorded
        _status, _value, raw = _STATE["answers"][item_id]
    try:
        status, value, message = check_form(item_id, raw)
    except ChuaDung as exc:
        _show(str(exc), "hv-malformed")
        return None
    _STATE["answers"][item_id] = (status, value, raw)
    _show(message, {"ok": "hv-ok", "unanswered": "hv-unanswered", "malformed": "hv-malformed"}[status])
    return None


def cham(item_id: str, key) -> None:
    """Hidden test: raise :class:`ChuaDung` unless the recorded answer equals ``key``.

    ``key`` is a letter (single/scenario), letters (multiple, e.g. ``"ac"``), an order
    (``"bcad"``) or a list of accepted short answers.
    """
    n, kind, letters = _item(item_id)
    status, value, _raw = _STATE["answers"].get(item_id, ("unanswered", None, None))
    if status == "malformed":
        raise ChuaDung(f"Câu {n}: câu trả lời {MALFORMED} nên chưa được tính điểm.")
    if status != "ok":
        raise ChuaDung(f"Câu {n}: {UNANSWERED}.")
    if kind == "short":
        accepted = {normalise("short", k) for k in ([key] if isinstance(key, str) else key)}
        right = value in accepted
    else:
        right = value == normalise(kind, key, letters)
    if not right:
        raise ChuaDung(f"Câu {n}: chưa đúng.")
    return None


# ------------------------------------------------------------------ friendly errors in answer cells
_FRIENDLY = ('Ô trả lời chỉ cần một dòng: tra_loi = "…" — câu trả lời đặt giữa hai dấu nháy, '
             'ví dụ: tra_loi = "b". Hãy sửa rồi chạy lại ô.')


def _friendly_handler(shell, etype, evalue, tb, tb_offset=None):
    """IPython discards a custom handler's return value in ``run_code``: show the line ourselves."""
    text = f"{MALFORMED.capitalize()}: {_FRIENDLY}"
    shell._showtraceback(etype, evalue, [text])
    return None


def _install_friendly_errors() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    ip = get_ipython()
    if ip is None:
        return
    # NameError: tra_loi = b (no quotes); TypeError / AttributeError from stray typing.
    ip.set_custom_exc((NameError, TypeError, AttributeError, ValueError), _friendly_handler)

    def showsyntaxerror(*args, **kwargs):
        ip._showtraceback(SyntaxError, SyntaxError(_FRIENDLY), [f"{MALFORMED.capitalize()}: {_FRIENDLY}"])

    ip.showsyntaxerror = showsyntaxerror
