"""Do the question banks load, and does a broken bank get an error naming file, item and fix?"""

from __future__ import annotations

import textwrap

import pytest
import yaml
from conftest import ROOT

from hocvuso.errors import UserError
from hocvuso.quizzes.bank import MalformedAnswer, load_bank, load_banks, normalise

BANK01 = ROOT / "curriculum" / "quizzes" / "01-nguoi-hoc-cao-tuoi.yml"


def test_every_bank_in_the_syllabus_that_exists_loads_with_enough_items():
    banks = load_banks()
    assert {"q01-nguoi-hoc-cao-tuoi", "q02-phuong-phap-huong-dan"} <= set(banks)
    for bank in banks.values():
        assert len(bank.auto_items) >= 8
        kinds = {i.type for i in bank.auto_items}
        assert {"single", "scenario"} <= kinds and kinds & {"ordering", "short"}, bank.quiz


@pytest.mark.parametrize("raw", ["b", " B ", "B.", "b)", "(b)", "B)"])
def test_single_choice_answers_written_in_any_usual_way_mean_the_same_letter(raw):
    assert normalise("single", raw, ("a", "b", "c", "d")) == "b"


@pytest.mark.parametrize("raw", ["a, c", "ac", "c a", "A; C", "c và a", "C,A"])
def test_multiple_select_answers_are_sets_of_letters(raw):
    assert normalise("multiple", raw, ("a", "b", "c", "d")) == frozenset({"a", "c"})


@pytest.mark.parametrize("raw", ["b c a d", "B-C-A-D", "bcad", "b, c, a, d", "b > c > a > d"])
def test_ordering_answers_normalise_to_one_string(raw):
    assert normalise("ordering", raw, ("a", "b", "c", "d")) == "bcad"


def test_short_answers_are_trimmed_casefolded_and_nfc_but_keep_diacritics():
    decomposed = "Ngu\u031bo\u031b\u0300i  HO\u0323C "  # NFD input from some keyboards
    assert normalise("short", decomposed) == "người học"
    assert normalise("short", "nguoi hoc") != normalise("short", "người học")


@pytest.mark.parametrize("kind,raw", [("single", "ab"), ("single", "e"), ("single", "đáp án"),
                                      ("multiple", "a, x"), ("ordering", "bca"), ("ordering", "bbca"),
                                      ("single", 3)])
def test_unreadable_answers_raise_a_friendly_vietnamese_message(kind, raw):
    with pytest.raises(MalformedAnswer) as exc:
        normalise(kind, raw, ("a", "b", "c", "d"))
    assert "ví dụ" in exc.value.message


def test_empty_answer_is_unanswered_not_malformed():
    assert normalise("single", "  ", ("a", "b")) is None


def _broken(tmp_path, mutate) -> str:
    data = yaml.safe_load(BANK01.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "bank.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_bank(path)
    return exc.value.one_line()


def test_a_wrong_option_without_misconception_is_named_with_item_and_fix(tmp_path):
    def mutate(d):
        del d["items"][0]["options"]["b"]["misconception"]
    msg = _broken(tmp_path, mutate)
    assert "bank.yml" in msg and "item dap-lai-lo-lang option b" in msg and "misconception" in msg and "cách sửa" in msg


def test_two_correct_options_in_a_single_item_are_rejected(tmp_path):
    msg = _broken(tmp_path, lambda d: d["items"][0]["options"]["b"].update(correct=True))
    assert "dap-lai-lo-lang" in msg and "đúng 1" in msg


def test_ordering_answer_that_is_not_a_permutation_is_rejected(tmp_path):
    msg = _broken(tmp_path, lambda d: d["items"][3].update(answer="bcaa"))
    assert "thu-tu-buoi-dau" in msg and "permutation" in msg


def test_duplicate_ids_non_ascii_ids_and_too_few_items_are_rejected(tmp_path):
    assert "duplicated id" in _broken(tmp_path, lambda d: d["items"][1].update(id="dap-lai-lo-lang"))
    assert "ASCII" in _broken(tmp_path, lambda d: d["items"][1].update(id="câu-hai"))
    assert "≥ 8" in _broken(tmp_path, lambda d: d.update(items=d["items"][:5] + d["items"][-1:]))


def test_non_nfc_text_and_unofficial_urls_are_rejected(tmp_path):
    assert "NFC" in _broken(tmp_path, lambda d: d["items"][0].update(prompt="Ba\u0301c Hai"))
    msg = _broken(tmp_path, lambda d: d["items"][0].update(prompt="Xem vneid-capnhat.com nhé"))
    assert "vneid-capnhat.com" in msg
    ok = yaml.safe_load(BANK01.read_text(encoding="utf-8"))
    ok["items"][0]["prompt"] = "Mở dichvucong.gov.vn hoặc https://lua-dao.example.com"
    path = tmp_path / "ok.yml"
    path.write_text(yaml.safe_dump(ok, allow_unicode=True), encoding="utf-8")
    assert load_bank(path).items[0].prompt.startswith("Mở")


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(textwrap.dedent("""\
        quiz: q01
        items:
          - id: a
           type: single
        """), encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_bank(path)
    assert "line" in exc.value.one_line()
