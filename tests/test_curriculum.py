"""Does the syllabus validate, agree with the notebooks, and explain its own mistakes?"""

from __future__ import annotations

import re
import unicodedata

import pytest
import yaml
from conftest import ROOT, run_cli

from hocvuso.curriculum import load_syllabus, minutes_table
from hocvuso.errors import UserError


def test_syllabus_validates_and_every_module_has_objectives_and_key_points():
    syllabus = load_syllabus()
    assert len(syllabus.modules) >= 9
    for m in syllabus.modules:
        assert 3 <= len(m.objectives) <= 5, m.id
        assert m.key_points, m.id


def test_notebook_files_agree_with_the_syllabus_order():
    syllabus = load_syllabus()
    names = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert names == [m.id for m in syllabus.modules]


def test_every_quiz_in_the_syllabus_is_led_to_by_one_module():
    syllabus = load_syllabus()
    led = [m.quiz for m in syllabus.modules if m.quiz]
    assert sorted(led) == sorted(syllabus.quizzes)


def test_syllabus_text_is_nfc():
    text = (ROOT / "curriculum" / "syllabus.yml").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


def _broken(tmp_path, mutate):
    data = yaml.safe_load((ROOT / "curriculum" / "syllabus.yml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "syllabus.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda d: d["modules"][2].update(objectives=d["modules"][2]["objectives"][:2]), r"objectives.*3-5"),
        (lambda d: d["modules"][3].update(quiz="q99-khong-co"), r"q99-khong-co"),
        (lambda d: d["modules"][4]["minutes"].update(teaching="hai mươi"), r"minutes\.teaching"),
        (lambda d: d["modules"][1].pop("key_points"), r"key_points"),
        (lambda d: d["modules"][5].update(id="05 VNeID"), r"NN-slug"),
    ],
    ids=["missing-objective", "unknown-quiz", "minutes-not-a-number", "no-key-points", "bad-id"],
)
def test_broken_syllabus_entry_names_file_module_and_fix(tmp_path, mutate, expected):
    path = _broken(tmp_path, mutate)
    with pytest.raises(UserError) as info:
        load_syllabus(path)
    message = info.value.one_line()
    assert str(path) in message
    assert "module" in message
    assert "fix" in message
    assert re.search(expected, message), message


def test_minutes_table_totals_teaching_and_exercises():
    syllabus = load_syllabus()
    table = minutes_table(syllabus)
    total = table.iloc[-1]
    assert total["teaching"] == sum(m.teaching_minutes for m in syllabus.modules)
    assert total["total"] == total["teaching"] + total["exercises"]


def test_curriculum_command_prints_the_minutes_table():
    result = run_cli("curriculum")
    assert result.returncode == 0, result.stderr
    assert "02-phuong-phap-huong-dan" in result.stdout and "TỔNG" in result.stdout


def test_every_content_file_under_curriculum_loads():
    from hocvuso.curriculum import check_content

    results = check_content()
    assert len(results) >= 30
    assert [(p.name, e) for p, e in results if e] == []


def test_content_check_reports_a_broken_file_by_name(tmp_path):
    import shutil

    from hocvuso.curriculum import check_content

    root = tmp_path / "curriculum"
    shutil.copytree(ROOT / "curriculum", root)
    (root / "scenarios" / "99-hong.yml").write_text("persona: [khong dong\n", encoding="utf-8")
    broken = [(p.name, e) for p, e in check_content(root) if e]
    assert len(broken) == 1 and broken[0][0] == "99-hong.yml"
    assert "99-hong.yml" in broken[0][1]


def test_curriculum_check_command_counts_files():
    result = run_cli("curriculum", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi" in result.stdout
