"""Feedback pages: one HTML page per volunteer that explains every wrong answer.

Written from the per-item scores (nbgrader's gradebook), the volunteer's own answers and the
bank's misconception notes — never from the autograded notebook, so hidden tests and the
answer key cannot leak into it (nbgrader issue #917). For a wrong answer the page names the
misconception the chosen option reveals; it never says which option is right. For a right
answer it gives the bank's explanation (``why``).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .bank import Bank, Item


def _env() -> Environment:
    return Environment(loader=PackageLoader("hocvuso", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def explain(item: Item, status: str, value, right: bool) -> tuple[str, str, list[str]]:
    """(css class, verdict, notes) for one answered item; notes never contain the key."""
    if status == "unanswered":
        return "missing", "chưa trả lời", ["Câu này tính 0 điểm. Xem lại bài học rồi thử lại ở lần kiểm tra sau."]
    if status == "malformed":
        return "missing", "câu trả lời chưa đúng cách ghi", [
            "Hệ thống không đọc được câu trả lời nên chưa tính điểm. Lần sau hãy chạy ô tự kiểm tra trước khi nộp."]
    if right:
        why = item.why or next((o.why for o in item.options if o.correct and o.why), "")
        notes = [why] if why else []
        if item.type == "multiple":
            notes = [o.why for o in item.options if o.correct and o.why]
        return "right", "đúng", notes
    notes: list[str] = []
    if item.type in ("single", "scenario"):
        opt = item.option(value)
        if opt and opt.misconception:
            notes.append(f"Lựa chọn {opt.letter} cho thấy một hiểu lầm: {opt.misconception}")
    elif item.type == "multiple":
        for letter in sorted(value):
            opt = item.option(letter)
            if opt and not opt.correct and opt.misconception:
                notes.append(f"Lựa chọn {letter}: {opt.misconception}")
        n_missed = sum(1 for o in item.options if o.correct and o.letter not in value)
        if n_missed:
            notes.append(f"Bạn còn bỏ sót {n_missed} ý đúng.")
    elif item.type in ("ordering", "short"):
        note = item.misconceptions.get(value)
        if note:
            notes.append(note)
        elif item.type == "ordering":
            notes.append("Thứ tự các bước chưa đúng: hãy nghĩ xem bước nào phải xong trước thì bước sau mới làm được.")
        else:
            notes.append("Câu trả lời chưa khớp với bài học.")
    if item.hint:
        notes.append(f"Gợi ý: {item.hint}")
    return "wrong", "chưa đúng", notes


def feedback_context(student: str, rows: list[dict], subs, banks: dict[str, Bank]) -> dict:
    from .grade import STATUSES

    quizzes = []
    for sub in subs:
        if sub.student != student or sub.quiz not in banks:
            continue
        bank = banks[sub.quiz]
        items = []
        q_rows = [r for r in rows if r["student"] == student and r["quiz"] == sub.quiz]
        for r in q_rows:
            item = bank.item(r["item"])
            right = r["score"] >= r["max_score"] and r["answer_status"] == "ok"
            css, verdict, notes = explain(item, r["answer_status"], r.get("_value"), right)
            items.append({"id": item.id, "number": r["number"], "prompt": (item.scenario + " " if item.scenario else "") + item.prompt, "answer": r["answer"],
                          "css": css, "verdict": verdict, "notes": notes, "source": item.source})
        quizzes.append({
            "quiz": sub.quiz, "title": bank.title_vi, "questions": items, "status": sub.status,
            "status_text": "; ".join(STATUSES.get(s, s) for s in sub.status.split("+")),
            "score": "–" if sub.score is None else f"{sub.score:g}",
            "max_score": f"{bank.auto_points:g}",
        })
    return {"student": student, "quizzes": quizzes}


def write_feedback(rows: list[dict], subs, banks: dict[str, Bank], folder: Path) -> Path:
    """Write ``feedback/<student>.html`` for every volunteer with a graded submission; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    template = _env().get_template("feedback.html")
    for student in sorted({s.student for s in subs if s.graded and s.path is not None}):
        ctx = feedback_context(student, rows, subs, banks)
        (folder / f"{student}.html").write_text(template.render(**ctx), encoding="utf-8")
    return folder
