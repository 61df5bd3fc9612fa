"""Is the synthetic cohort big, clearly synthetic, varied, and does it show id slugging?"""

from __future__ import annotations

import random

from quizkit import BANKS, QUIZ_IDS

from hocvuso.quizzes.bank import MalformedAnswer, normalise
from hocvuso.quizzes.cohort import NAME_LIKE_ID, answers_for, right_answer, skills, student_ids, wrong_answer
from hocvuso.quizzes.grade import slugify


def test_at_least_40_clearly_synthetic_volunteers_and_one_name_like_id():
    ids = student_ids(40)
    assert len(ids) == 40 and len(set(ids)) == 40
    assert sum(i.startswith("tnv-demo-") for i in ids) == 39
    assert NAME_LIKE_ID in ids and " " in NAME_LIKE_ID and not NAME_LIKE_ID.isascii()
    assert "tổng hợp" in NAME_LIKE_ID and slugify(NAME_LIKE_ID).isascii()


def test_right_and_wrong_answers_are_what_they_claim_for_every_item():
    rng = random.Random(3)
    for q in QUIZ_IDS:
        for item in BANKS[q].auto_items:
            assert item.is_correct(normalise(item.type, right_answer(item, rng), item.letters)), (q, item.id)
            assert not item.is_correct(normalise(item.type, wrong_answer(item, rng), item.letters)), (q, item.id)


def test_skilled_volunteers_score_higher_and_some_answers_are_malformed_or_blank():
    bank = BANKS[QUIZ_IDS[0]]
    rng = random.Random(7)
    totals = {}
    malformed = blank = 0
    for skill in (0.2, 0.9):
        right = 0
        for _ in range(60):
            answers = answers_for(bank, skill, rng)
            blank += len(bank.auto_items) - len(answers)
            for item in bank.auto_items:
                try:
                    right += item.is_correct(normalise(item.type, answers.get(item.id), item.letters))
                except MalformedAnswer:
                    malformed += 1
        totals[skill] = right
    assert totals[0.9] > totals[0.2] * 1.5
    assert malformed > 0 and blank > 0
    assert len(set(skills(40, 1).values())) == 40
