"""Each question type grades itself; partial credit stays within bounds."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.models import (
    EssayQuestion,
    MatchingQuestion,
    MultipleResponseQuestion,
    OrderingQuestion,
    ShortAnswerQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)


def choice_question(cls, correct_flags):
    question = cls(text="Which?", pk=7)
    question.choices = [
        ("choice", {"text": f"Choice {i}", "correct": flag, "feedback": ""})
        for i, flag in enumerate(correct_flags)
    ]
    return question


def test_single_choice_right_wrong_and_blank():
    question = choice_question(SingleChoiceQuestion, [False, True, False])
    content, key = question.freeze()
    right, wrong = key["correct"][0], content["choices"][0]["id"]
    assert SingleChoiceQuestion.grade_frozen(key, {"choice": right}) == 1
    assert SingleChoiceQuestion.grade_frozen(key, {"choice": wrong}) == 0
    assert SingleChoiceQuestion.grade_frozen(key, None) == 0
    assert SingleChoiceQuestion.grade_frozen(key, {"choice": "made-up"}) == 0


def test_multiple_response_partial_credit_and_penalty():
    question = choice_question(MultipleResponseQuestion, [True, True, False, False])
    content, key = question.freeze()
    ids = [c["id"] for c in content["choices"]]
    right_a, right_b, wrong_a, wrong_b = ids
    grade = MultipleResponseQuestion.grade_frozen
    assert grade(key, {"choices": [right_a, right_b]}) == 1
    assert grade(key, {"choices": [right_a]}) == Decimal("0.5")
    assert grade(key, {"choices": [right_a, wrong_a]}) == 0
    assert grade(key, {"choices": [right_a, right_b, wrong_a]}) == Decimal("0.5")
    assert grade(key, {"choices": ids}) == 0  # ticking everything earns nothing
    assert grade(key, {"choices": [wrong_a, wrong_b]}) == 0  # never below zero


@given(
    flags=st.lists(st.booleans(), min_size=2, max_size=8).filter(any),
    picks=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_multiple_response_credit_is_always_between_zero_and_one(flags, picks):
    question = choice_question(MultipleResponseQuestion, flags)
    content, key = question.freeze()
    chosen = [
        c["id"] for c, pick in zip(content["choices"], picks, strict=False) if pick
    ]
    fraction = MultipleResponseQuestion.grade_frozen(key, {"choices": chosen})
    assert Decimal(0) <= fraction <= Decimal(1)
    if set(chosen) == set(key["correct"]):
        assert fraction == 1


def test_true_false():
    question = TrueFalseQuestion(text="Recovery is person-driven.", correct_answer=True)
    _content, key = question.freeze()
    assert TrueFalseQuestion.grade_frozen(key, {"answer": True}) == 1
    assert TrueFalseQuestion.grade_frozen(key, {"answer": False}) == 0
    assert TrueFalseQuestion.grade_frozen(key, None) == 0


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("Person driven", 1),
        ("  PERSON   DRIVEN ", 1),
        ("person-driven", 1),
        ("person", 0),
        ("", 0),
    ],
)
def test_short_answer_ignores_case_and_spacing(given_text, expected):
    question = ShortAnswerQuestion(text="Recovery is ...")
    question.set_answers({"accepted": ["person driven", "person-driven"]})
    _content, key = question.freeze()
    assert ShortAnswerQuestion.grade_frozen(key, {"text": given_text}) == expected


def matching_question():
    question = MatchingQuestion(text="Match", pk=3)
    question.pairs = [
        ("pair", {"prompt": "Health", "match": "Wellbeing"}),
        ("pair", {"prompt": "Home", "match": "A safe place"}),
        ("pair", {"prompt": "Purpose", "match": "Meaningful activity"}),
        ("pair", {"prompt": "Community", "match": "Relationships"}),
    ]
    return question


def test_matching_partial_credit_and_no_leak_in_ids():
    question = matching_question()
    content, key = question.freeze()
    prompts = [p["id"] for p in content["prompts"]]
    for option in content["options"]:
        assert not any(prompt in option["id"] for prompt in prompts)
    all_right = key["matches"]
    two_right = {p: all_right[p] for p in prompts[:2]}
    assert MatchingQuestion.grade_frozen(key, {"matches": all_right}) == 1
    assert MatchingQuestion.grade_frozen(key, {"matches": two_right}) == Decimal("0.5")
    assert MatchingQuestion.grade_frozen(key, {}) == 0


@given(st.permutations(range(5)))
def test_ordering_credit_counts_items_in_place(permutation):
    question = OrderingQuestion(text="Order", pk=4)
    question.items = [("item", f"Step {i}") for i in range(5)]
    content, key = question.freeze()
    order = [key["order"][i] for i in permutation]
    fraction = OrderingQuestion.grade_frozen(key, {"order": order})
    in_place = sum(1 for i, p in enumerate(permutation) if i == p)
    assert fraction == Decimal(in_place) / 5
    assert content["items"] != [
        {"id": i, "text": key["items"][i]} for i in key["order"]
    ]


def test_essay_waits_for_a_person():
    question = EssayQuestion(text="Describe a boundary.")
    _content, key = question.freeze()
    assert EssayQuestion.grade_frozen(key, {"text": "Anything"}) is None


def test_frozen_key_keeps_grading_after_the_bank_changes():
    question = choice_question(SingleChoiceQuestion, [True, False])
    _content, key = question.freeze()
    right = key["correct"][0]
    question.choices = [
        ("choice", {"text": "Changed", "correct": False, "feedback": ""}),
        ("choice", {"text": "Other", "correct": True, "feedback": ""}),
    ]
    assert SingleChoiceQuestion.grade_frozen(key, {"choice": right}) == 1
