"""``hocvuso readiness``: who is ready to teach — quiz scores + teaching demo → table, certificates.

Inputs
------
- per-item quiz scores: ``item-scores.csv`` written by ``hocvuso quizzes grade`` (columns
  ``student, quiz, item, score, max_score``; one row per volunteer × auto-graded item);
- teaching-demo marks: a CSV with a ``student`` column and one column per criterion of
  ``curriculum/rubrics/teaching-demo.yml`` holding ``good``/``tốt`` or ``growth``/``cần cải thiện``
  (the widget in ``analysis/readiness.ipynb`` writes this file). The rule is the rubric's:
  three or more growth marks → redo (:func:`hocvuso.rubric.demo_outcome`).

Rules
-----
A quiz is passed when its auto-graded score ÷ its auto-graded points ≥ the quiz's
``pass_mark`` in ``curriculum/syllabus.yml``. A volunteer is *sẵn sàng* (ready) when every quiz
that has a question bank is passed and the teaching demo is passed; otherwise the table says what
is still missing.

Item analysis (classical test theory)
-------------------------------------
- difficulty ``p`` = mean item score ÷ item points (share of volunteers right);
- discrimination = corrected item–total (point-biserial) correlation: Pearson r between the
  item score and the total of the *other* items of the same quiz (Crocker & Algina 1986, ch. 14);
- upper–lower index D = p(top 27 %) − p(bottom 27 %) on the total score (Kelley 1939).
Flags: ``hầu như ai cũng sai`` when p < 0.2; ``người giỏi cũng sai`` when the corrected r < 0.1
or D < 0 (good volunteers fail it as often as weak ones — a broken key or a misleading item).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import math
import random
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import UserError, require_file
from ..paths import build_dir

READY = "sẵn sàng"
NOT_READY = "chưa sẵn sàng"
PASSED, FAILED, MISSING = "đạt", "chưa đạt", "chưa làm"
DEMO_PASSED, DEMO_REDO, DEMO_MISSING = "đạt", "dạy thử lại", "chưa dạy thử"
FLAG_HARD = "hầu như ai cũng sai"
FLAG_GOOD_FAIL = "người giỏi cũng sai"


# ------------------------------------------------------------------ inputs
def read_item_scores(path: Path) -> pd.DataFrame:
    path = require_file(path, what="bảng điểm từng câu / per-item scores",
                        fix="chạy 'hocvuso quizzes grade' trước (ghi build/quizzes/item-scores.csv)")
    df = pd.read_csv(path, dtype={"student": str, "quiz": str, "item": str})
    need = {"student", "quiz", "item", "score", "max_score"}
    missing = need - set(df.columns)
    if missing:
        raise UserError(f"thiếu cột {sorted(missing)} / missing columns", where=str(path),
                        fix="dùng tệp item-scores.csv do 'hocvuso quizzes grade' ghi ra")
    return df


def read_demo_marks(path: Path | None, rubric=None) -> dict[str, object]:
    """student → DemoOutcome, from a CSV of rubric marks (row errors name the row and the fix)."""
    from ..rubric import demo_outcome, load_rubric

    if path is None:
        return {}
    path = require_file(path, what="kết quả dạy thử / teaching-demo marks", fix="ghi bằng widget trong analysis/readiness.ipynb")
    rubric = rubric or load_rubric()
    out = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if "student" not in (reader.fieldnames or []):
            raise UserError("thiếu cột 'student' / no 'student' column", where=str(path),
                            fix="cột đầu là mã tình nguyện viên, sau đó mỗi tiêu chí một cột")
        for n, row in enumerate(reader, start=2):
            student = (row.pop("student") or "").strip()
            if not student:
                continue
            marks = {k: v for k, v in row.items() if k in rubric.criterion_ids}
            out[student] = demo_outcome(marks, rubric, where=f"{path} row {n}")
    return out


# ------------------------------------------------------------------ table
@dataclass
class Readiness:
    table: pd.DataFrame      # volunteer × module rows
    summary: pd.DataFrame    # one row per volunteer
    items: pd.DataFrame      # item analysis


def quiz_scores(items: pd.DataFrame) -> pd.DataFrame:
    g = items.groupby(["student", "quiz"], as_index=False)[["score", "max_score"]].sum()
    g["fraction"] = g["score"] / g["max_score"]
    return g


def readiness_table(items: pd.DataFrame, demos: dict, syllabus=None, quizzes: list[str] | None = None) -> Readiness:
    from ..curriculum import load_syllabus

    syllabus = syllabus or load_syllabus()
    if quizzes is None:
        from .bank import load_banks

        quizzes = [q for q in syllabus.quizzes if q in set(load_banks()) or q in set(items["quiz"])]
    scores = quiz_scores(items).set_index(["student", "quiz"])
    students = sorted(set(items["student"]) | set(demos))
    rows, summary = [], []
    for student in students:
        missing = []
        for q in quizzes:
            quiz = syllabus.quizzes[q]
            module = syllabus.module_for_quiz(q)
            if (student, q) in scores.index:
                rec = scores.loc[(student, q)]
                frac = float(rec["fraction"])
                status = PASSED if frac + 1e-9 >= quiz.pass_mark else FAILED
                score_text = f"{rec['score']:g}/{rec['max_score']:g}"
            else:
                frac, status, score_text = math.nan, MISSING, ""
            if status != PASSED:
                missing.append(f"bài {module.number:02d} ({status})")
            rows.append({"student": student, "module": module.id, "module_title": module.title_vi, "quiz": q,
                         "score": score_text, "fraction": frac, "pass_mark": quiz.pass_mark, "status": status})
        demo = demos.get(student)
        demo_status = DEMO_MISSING if demo is None else (DEMO_PASSED if demo.passed else DEMO_REDO)
        if demo_status != DEMO_PASSED:
            missing.append(f"buổi dạy thử ({demo_status})")
        summary.append({"student": student, "overall": READY if not missing else NOT_READY,
                        "missing": "; ".join(missing), "demo": demo_status,
                        "demo_growth": "" if demo is None else ", ".join(demo.growth),
                        "quizzes_passed": sum(r["status"] == PASSED for r in rows[-len(quizzes):]) if quizzes else 0,
                        "quizzes_total": len(quizzes)})
    return Readiness(pd.DataFrame(rows), pd.DataFrame(summary), item_analysis(items))


# ------------------------------------------------------------------ item analysis
def _pearson(x: pd.Series, y: pd.Series) -> float:
    if len(x) < 3 or x.std(ddof=0) == 0 or y.std(ddof=0) == 0:
        return math.nan
    return float(x.corr(y))


def item_analysis(items: pd.DataFrame) -> pd.DataFrame:
    """Difficulty, corrected item–total correlation and upper–lower index per quiz item, with flags."""
    out = []
    for quiz, qdf in items.groupby("quiz", sort=True):
        wide = qdf.pivot_table(index="student", columns="item", values="score", aggfunc="sum")
        maxes = qdf.groupby("item")["max_score"].first()
        wide = wide.fillna(0.0)
        total = wide.sum(axis=1)
        n = len(wide)
        k = max(1, int(round(0.27 * n)))
        order = total.sort_values(kind="mergesort")
        lower, upper = order.index[:k], order.index[-k:]
        order_items = list(dict.fromkeys(qdf["item"]))
        for item in order_items:
            col = wide[item] / maxes[item]
            p = float(col.mean())
            r = _pearson(wide[item], total - wide[item])
            d = float(col.loc[upper].mean() - col.loc[lower].mean())
            flags = []
            if p < 0.2:
                flags.append(FLAG_HARD)
            if (not math.isnan(r) and r < 0.1) or d < 0:
                flags.append(FLAG_GOOD_FAIL)
            out.append({"quiz": quiz, "item": item, "n": n, "difficulty": round(p, 3),
                        "discrimination": None if math.isnan(r) else round(r, 3), "upper_lower": round(d, 3),
                        "flags": "; ".join(flags)})
    return pd.DataFrame(out)


# ------------------------------------------------------------------ synthetic table (notebook default)
def synthetic_item_scores(n: int = 40, seed: int = 2025, quizzes: list[str] | None = None) -> pd.DataFrame:
    """Per-item scores of the synthetic cohort scored directly from the banks (no nbgrader run).

    SYNTHETIC: the same answers :mod:`hocvuso.quizzes.cohort` writes into the course, scored with
    the banks' keys; used by the readiness notebook's defaults and by tests.
    """
    from .bank import MalformedAnswer, load_banks, normalise
    from .cohort import answers_for, skills

    banks = load_banks(only=quizzes)
    rng = random.Random(seed)
    rows = []
    for student, skill in skills(n, seed).items():
        from .grade import slugify

        sid = slugify(student)
        for qid, bank in banks.items():
            answers = answers_for(bank, skill, rng)
            for item in bank.auto_items:
                try:
                    value = normalise(item.type, answers.get(item.id), item.letters)
                except MalformedAnswer:
                    value = None
                rows.append({"student": sid, "quiz": qid, "item": item.id,
                             "score": item.points if item.is_correct(value) else 0.0, "max_score": item.points})
    return pd.DataFrame(rows)


def synthetic_demo_csv(path: Path, n: int = 40, seed: int = 2025) -> Path:
    from .cohort import demo_marks
    from .grade import slugify

    rows = demo_marks(n, seed)
    for r in rows:
        r["student"] = slugify(r["student"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


# ------------------------------------------------------------------ outputs
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("hocvuso", "templates"), autoescape=select_autoescape(["html"]),
                       trim_blocks=True, lstrip_blocks=True)


def write_reports(res: Readiness, out: Path, *, synthetic: bool = False, date: str | None = None) -> dict[str, Path]:
    from ..curriculum import load_syllabus

    out.mkdir(parents=True, exist_ok=True)
    syllabus = load_syllabus()
    date = date or dt.date.today().isoformat()
    paths: dict[str, Path] = {}
    res.table.to_csv(out / "readiness.csv", index=False, encoding="utf-8")
    res.summary.to_csv(out / "readiness-summary.csv", index=False, encoding="utf-8")
    res.items.to_csv(out / "item-analysis.csv", index=False, encoding="utf-8")
    paths["bảng sẵn sàng / readiness table (CSV)"] = out / "readiness.csv"
    paths["phân tích câu hỏi / item analysis (CSV)"] = out / "item-analysis.csv"
    modules = list(dict.fromkeys(res.table["module"])) if len(res.table) else []
    by_student = {s: g for s, g in res.table.groupby("student")} if len(res.table) else {}
    rows = []
    for rec in res.summary.to_dict("records"):
        cells = []
        g = by_student.get(rec["student"])
        for m in modules:
            r = g[g["module"] == m].iloc[0] if g is not None else None
            cells.append({"status": r["status"] if r is not None else MISSING,
                          "score": r["score"] if r is not None else "",
                          "css": {PASSED: "pass", FAILED: "fail"}.get(r["status"] if r is not None else "", "missing")})
        rows.append({**rec, "cells": cells, "ready": rec["overall"] == READY})
    env = _env()
    flagged = res.items[res.items["flags"] != ""].to_dict("records") if len(res.items) else []
    page = env.get_template("readiness.html").render(
        title=syllabus.title_vi, modules=[syllabus.module(m) for m in modules],
        pass_marks={m: syllabus.quizzes[syllabus.module(m).quiz].pass_mark for m in modules},
        rows=rows, n_ready=sum(r["ready"] for r in rows), items=res.items.to_dict("records"), flagged=flagged,
        synthetic=synthetic, date=date, flag_hard=FLAG_HARD, flag_good_fail=FLAG_GOOD_FAIL)
    (out / "readiness.html").write_text(page, encoding="utf-8")
    paths["báo cáo sẵn sàng / readiness report"] = out / "readiness.html"
    certs = out / "certificates"
    if certs.exists():
        for old in certs.glob("*.html"):
            old.unlink()
    certs.mkdir(exist_ok=True)
    template = env.get_template("certificate.html")
    for r in rows:
        if not r["ready"]:
            continue
        g = by_student[r["student"]]
        (certs / f"{r['student']}.html").write_text(template.render(
            student=r["student"], programme=syllabus.title_vi, date=date, synthetic=synthetic,
            modules=[{"id": m, "title": syllabus.module(m).title_vi,
                      "score": g[g["module"] == m].iloc[0]["score"]} for m in modules]), encoding="utf-8")
    paths["giấy chứng nhận / certificates"] = certs
    return paths


def run_readiness(*, scores: Path | None = None, demo: Path | None = None, out: Path | None = None,
                  synthetic: bool = False, date: str | None = None) -> dict[str, Path]:
    """The ``hocvuso readiness`` command: read inputs, write table, report, certificates, item analysis."""
    scores = Path(scores) if scores else build_dir() / "quizzes" / "item-scores.csv"
    out = Path(out) if out else build_dir() / "readiness"
    items = read_item_scores(scores)
    if demo is None and (build_dir() / "readiness" / "teaching-demo.csv").exists():
        demo = build_dir() / "readiness" / "teaching-demo.csv"
    demos = read_demo_marks(Path(demo) if demo else None)
    res = readiness_table(items, demos)
    return write_reports(res, out, synthetic=synthetic, date=date)


def demo_step(build: Path) -> dict[str, Path]:
    """Demo: readiness of the synthetic cohort graded in the previous step."""
    from .cohort import demo_marks  # noqa: F401  (fails early if the rubric is missing)

    demo_csv = synthetic_demo_csv(build / "readiness" / "teaching-demo-synthetic.csv")
    return run_readiness(scores=build / "quizzes" / "item-scores.csv", demo=demo_csv, out=build / "readiness",
                         synthetic=True, date="2025-12-01")


def escape(text) -> str:
    return html.escape(str(text))
