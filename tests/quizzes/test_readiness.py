"""Does the readiness table apply the pass marks and the demo rule, and does item analysis find bad items?"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from conftest import run_cli

from hocvuso.curriculum import load_syllabus
from hocvuso.errors import UserError
from hocvuso.quizzes import readiness as rd
from hocvuso.rubric import load_rubric

QUIZZES = ["q01-nguoi-hoc-cao-tuoi", "q02-phuong-phap-huong-dan"]


def _items(scores: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    rows = []
    for (student, quiz), marks in scores.items():
        for k, s in enumerate(marks):
            rows.append({"student": student, "quiz": quiz, "item": f"i{k}", "score": s, "max_score": 1.0})
    return pd.DataFrame(rows)


def _demo_csv(path, marks_by_student: dict[str, int]):
    """marks_by_student: student → number of growth marks."""
    ids = load_rubric().criterion_ids
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["student", *ids])
        for s, n in marks_by_student.items():
            w.writerow([s, *(["cần cải thiện"] * n + ["tốt"] * (len(ids) - n))])
    return path


def test_ready_needs_every_quiz_at_its_pass_mark_and_a_passed_demo(tmp_path):
    pm = load_syllabus().quizzes[QUIZZES[0]].pass_mark
    assert pm == 0.75
    items = _items({
        ("tnv-a", QUIZZES[0]): [1, 1, 1, 0], ("tnv-a", QUIZZES[1]): [1, 1, 1, 1],   # 0.75 = pass mark → passes
        ("tnv-b", QUIZZES[0]): [1, 1, 0, 0], ("tnv-b", QUIZZES[1]): [1, 1, 1, 1],   # 0.5 → fails quiz 01
        ("tnv-c", QUIZZES[0]): [1, 1, 1, 1],                                        # quiz 02 missing
        ("tnv-d", QUIZZES[0]): [1, 1, 1, 1], ("tnv-d", QUIZZES[1]): [1, 1, 1, 1],   # demo redo
    })
    demos = rd.read_demo_marks(_demo_csv(tmp_path / "demo.csv", {"tnv-a": 2, "tnv-b": 0, "tnv-c": 0, "tnv-d": 3}))
    res = rd.readiness_table(items, demos, quizzes=QUIZZES)
    s = res.summary.set_index("student")
    assert s.loc["tnv-a", "overall"] == rd.READY
    assert s.loc["tnv-b", "overall"] == rd.NOT_READY and "bài 01 (chưa đạt)" in s.loc["tnv-b", "missing"]
    assert "bài 02 (chưa làm)" in s.loc["tnv-c", "missing"]
    assert s.loc["tnv-d", "demo"] == rd.DEMO_REDO and "buổi dạy thử (dạy thử lại)" in s.loc["tnv-d", "missing"]
    t = res.table.set_index(["student", "quiz"])
    assert t.loc[("tnv-a", QUIZZES[0]), "score"] == "3/4" and t.loc[("tnv-a", QUIZZES[0]), "pass_mark"] == 0.75


def test_a_volunteer_without_a_demo_is_not_ready():
    items = _items({("tnv-a", q): [1, 1, 1, 1] for q in QUIZZES})
    res = rd.readiness_table(items, {}, quizzes=QUIZZES)
    assert res.summary.loc[0, "overall"] == rd.NOT_READY and "chưa dạy thử" in res.summary.loc[0, "missing"]


def test_item_analysis_flags_items_everyone_fails_and_items_good_volunteers_fail():
    # 30 volunteers with totals from weak to strong; item "hard" nobody gets, item "reversed" only weak ones get
    scores = {}
    for k in range(30):
        strong = k >= 15
        good = [1.0 if (k + j) % 30 >= 10 - j else 0.0 for j in range(4)]
        scores[(f"tnv-{k:02d}", "q01-nguoi-hoc-cao-tuoi")] = good + [0.0, 0.0 if strong else 1.0] + [1.0 if k > 5 else 0.0]
    items = _items(scores)
    ia = rd.item_analysis(items).set_index("item")
    assert rd.FLAG_HARD in ia.loc["i4", "flags"] and ia.loc["i4", "difficulty"] == 0
    assert rd.FLAG_GOOD_FAIL in ia.loc["i5", "flags"] and ia.loc["i5", "upper_lower"] < 0
    assert ia.loc["i6", "discrimination"] > 0.1 and ia.loc["i6", "flags"] == ""


def test_corrected_item_total_correlation_excludes_the_item_itself():
    items = _items({(f"s{k}", "q"): row for k, row in enumerate(
        [[1, 1, 1], [1, 0, 1], [0, 1, 0], [0, 0, 0], [1, 1, 0]])})
    ia = rd.item_analysis(items).set_index("item")
    wide = items.pivot(index="student", columns="item", values="score")
    expected = wide["i0"].corr(wide["i1"] + wide["i2"])
    assert ia.loc["i0", "discrimination"] == pytest.approx(round(expected, 3))


def test_reports_are_self_contained_vietnamese_html_with_certificates_only_for_ready(tmp_path):
    items = rd.synthetic_item_scores(12, quizzes=QUIZZES)
    demos = rd.read_demo_marks(rd.synthetic_demo_csv(tmp_path / "demo.csv", 12))
    res = rd.readiness_table(items, demos, quizzes=QUIZZES)
    paths = rd.write_reports(res, tmp_path / "out", synthetic=True, date="2025-12-01")
    page = (tmp_path / "out" / "readiness.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and 'class="hv-readiness"' in page and "<script src" not in page
    assert "tổng hợp" in page and "Phân tích câu hỏi" in page
    ready = set(res.summary.loc[res.summary["overall"] == rd.READY, "student"])
    certs = {p.stem for p in paths["giấy chứng nhận / certificates"].glob("*.html")}
    assert certs == ready
    for s in ready:
        assert f'certificates/{s}.html' in page


def test_bad_demo_marks_name_the_row_and_criterion(tmp_path):
    path = tmp_path / "demo.csv"
    ids = load_rubric().criterion_ids
    path.write_text("student," + ",".join(ids) + "\ntnv-a," + ",".join(["tốt"] * (len(ids) - 1)) + ",xuất sắc\n",
                    encoding="utf-8")
    with pytest.raises(UserError) as exc:
        rd.read_demo_marks(path)
    assert "row 2" in exc.value.one_line() and ids[-1] in exc.value.one_line()


def test_readiness_cli_reads_the_scores_csv(tmp_path):
    items = rd.synthetic_item_scores(8, quizzes=QUIZZES)
    items.to_csv(tmp_path / "item-scores.csv", index=False)
    demo = rd.synthetic_demo_csv(tmp_path / "demo.csv", 8)
    res = run_cli("readiness", "--scores", str(tmp_path / "item-scores.csv"), "--demo", str(demo),
                  "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "readiness.html").exists()
    missing = run_cli("readiness", "--scores", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "quizzes grade" in missing.stderr
