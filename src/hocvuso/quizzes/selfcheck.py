"""The volunteer's self-check, the last cell of every quiz: ``tu_kiem_tra()``.

It says, instantly and in Vietnamese, which answers are missing or written in a form the
grader cannot read — never whether an answer is right. It reads what the test cells recorded
when the volunteer ran the notebook (Run → Run All Cells), so it needs no file and no grading.
The summary is HTML with class ``hv-selfcheck`` (plain text outside JupyterLab).
"""

from __future__ import annotations

import html

from .grading import _STATE, MALFORMED, UNANSWERED, check_form

READY = "Tất cả các câu đã được trả lời đúng cách ghi. Bạn có thể lưu bài (Ctrl + S) và nộp (Submit)."


def summary() -> list[tuple[str, str]]:
    """``[(status, message)]`` for every auto-graded item, in order (status ok / unanswered / malformed)."""
    rows = []
    for item_id, (n, _kind, _letters) in sorted(_STATE["items"].items(), key=lambda kv: kv[1][0]):
        recorded = _STATE["answers"].get(item_id)
        if recorded is None:
            rows.append(("unanswered", f"Câu {n}: {UNANSWERED} (hoặc ô trả lời chưa được chạy)."))
        else:
            status, _value, raw = recorded
            rows.append(check_form(item_id, raw)[::2] if status != "unanswered" else
                        ("unanswered", f"Câu {n}: {UNANSWERED}."))
    return rows


def tu_kiem_tra() -> None:
    """Show which answers are missing or malformed (not whether they are right)."""
    if not _STATE["items"]:
        text = "Hãy chạy toàn bộ bài trước: Run → Run All Cells."
        _display(text, [("unanswered", text)])
        return None
    rows = summary()
    problems = [(s, m) for s, m in rows if s != "ok"]
    if not problems:
        head = READY
    else:
        n_missing = sum(s == "unanswered" for s, _ in problems)
        n_bad = sum(s == "malformed" for s, _ in problems)
        parts = []
        if n_missing:
            parts.append(f"{n_missing} câu {UNANSWERED}")
        if n_bad:
            parts.append(f"{n_bad} câu {MALFORMED}")
        head = "Tự kiểm tra: " + ", ".join(parts) + ". Sửa các câu dưới đây, chạy lại toàn bộ bài rồi mới nộp."
    head += " (Phần tự kiểm tra không cho biết đáp án đúng hay sai.) Đừng quên viết câu suy ngẫm."
    _display(head, problems)
    return None


def _display(head: str, problems: list[tuple[str, str]]) -> None:
    text = "\n".join([head, *[f"  • {m}" for _, m in problems]])
    items = "".join(f'<li class="hv-{s}">{html.escape(m)}</li>' for s, m in problems)
    body = f'<div class="hv-selfcheck" lang="vi"><p>{html.escape(head)}</p>' + (f"<ul>{items}</ul>" if items else "") + "</div>"
    try:
        from IPython.display import display

        display({"text/plain": text, "text/html": body}, raw=True)
    except ImportError:  # pragma: no cover
        print(text)
