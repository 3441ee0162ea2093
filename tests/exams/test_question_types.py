"""Every registered question type, through the registry only: it checks an
answer the page could send and refuses a tampered one, grades right,
partly right and wrong answers from its frozen key, gives review lines, and
writes and reads its own spreadsheet cells."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from exams.bank_io import COLUMNS
from exams.models import QUESTION_TYPES, QuestionCategory, question_type


def _choice(content, text):
    return next(c["id"] for c in content["choices"] if c["text"] == text)


def _matches(key, right: int):
    """A matching answer with the first ``right`` prompts matched rightly."""
    prompts = list(key["matches"])
    options = [key["matches"][p] for p in prompts]
    given = {}
    for index, prompt in enumerate(prompts):
        given[prompt] = options[index] if index < right else options[index - 1]
    return {"matches": given}


CASES = {
    "single_choice": {
        "data": {
            "choices": [
                {"text": "The person", "correct": True, "feedback": "Yes."},
                {
                    "text": "The person with their peer",
                    "correct": False,
                    "feedback": "Close.",
                    "weight": "50",
                },
                {"text": "The judge", "correct": False, "feedback": ""},
            ]
        },
        "right": lambda c, k: {"choice": _choice(c, "The person")},
        "partial": (
            lambda c, k: {"choice": _choice(c, "The person with their peer")},
            Decimal("0.5"),
        ),
        "wrong": lambda c, k: {"choice": _choice(c, "The judge")},
        "tampered": [{"choice": "c99"}, {"choices": ["c0"]}, "c0", {"choice": 1}],
        "post": ({"choice": "c0"}, {"choice": "c0"}),
    },
    "multiple_response": {
        "data": {
            "choices": [
                {"text": "Health", "correct": True, "feedback": ""},
                {"text": "Home", "correct": True, "feedback": "A safe place."},
                {"text": "Diagnosis", "correct": False, "feedback": ""},
            ]
        },
        "right": lambda c, k: {"choices": [_choice(c, "Health"), _choice(c, "Home")]},
        "partial": (lambda c, k: {"choices": [_choice(c, "Home")]}, Decimal("0.5")),
        "wrong": lambda c, k: {"choices": [_choice(c, "Diagnosis")]},
        "tampered": [{"choices": ["c7"]}, {"choices": "c0"}, {"choice": "c0"}],
        "post": ({"choices": ["c1", "c0"]}, {"choices": ["c0", "c1"]}),
    },
    "true_false": {
        "data": {
            "answer": False,
            "feedback_true": "Peers do not replace clinical staff.",
            "feedback_false": "",
        },
        "right": lambda c, k: {"answer": False},
        "partial": None,
        "wrong": lambda c, k: {"answer": True},
        "tampered": [{"answer": "yes"}, {"text": "true"}, ["true"]],
        "post": ({"answer": "false"}, {"answer": False}),
    },
    "short_answer": {
        "data": {
            "accepted": [
                {"text": "WRAP", "weight": "100", "feedback": "Yes."},
                {"text": "Wellness plan", "weight": "75", "feedback": "Nearly."},
                {"text": "Crisis plan", "weight": "0", "feedback": "That's another."},
            ]
        },
        "right": lambda c, k: {"text": "  wrap "},
        "partial": (lambda c, k: {"text": "Wellness Plan"}, Decimal("0.75")),
        "wrong": lambda c, k: {"text": "Crisis plan"},
        "tampered": [{"text": "x" * 501}, {"text": 5}, {"choice": "WRAP"}],
        "post": ({"text": "WRAP"}, {"text": "WRAP"}),
    },
    "numerical": {
        "data": {
            "answers": [
                {"value": "1822", "tolerance": "0", "weight": "100", "feedback": "Yes"},
                {"minimum": "1820", "maximum": "1829", "weight": "50", "feedback": ""},
                {"value": "2", "tolerance": "0.5", "weight": "0", "feedback": "No."},
            ]
        },
        "right": lambda c, k: {"text": " 1,822 "},
        "partial": (lambda c, k: {"text": "1825.5"}, Decimal("0.5")),
        "wrong": lambda c, k: {"text": "2.2"},
        "tampered": [
            {"text": "twelve"},
            {"text": "3,14"},
            {"value": "1822"},
            {"text": 1822},
            {"text": "1" * 101},
        ],
        "post": ({"text": "1,822"}, {"text": "1,822", "value": "1822"}),
    },
    "matching": {
        "data": {
            "pairs": [
                {"prompt": "Health", "match": "Wellbeing"},
                {"prompt": "Home", "match": "A safe place"},
                {"prompt": "Purpose", "match": "Meaningful activity"},
            ]
        },
        "right": lambda c, k: _matches(k, 3),
        "partial": (lambda c, k: _matches(k, 1), Decimal("0.3333")),
        "wrong": lambda c, k: _matches(k, 0),
        "tampered": [
            {"matches": {"p9": "o1"}},
            {"matches": ["p0"]},
            {"order": ["p0"]},
        ],
        "post": None,
    },
    "ordering": {
        "data": {"items": ["Listen", "Reflect", "Plan"]},
        "right": lambda c, k: {"order": list(k["order"])},
        "partial": (
            lambda c, k: {"order": [k["order"][0], k["order"][2], k["order"][1]]},
            Decimal("0.3333"),
        ),
        "wrong": lambda c, k: {"order": [k["order"][1], k["order"][2], k["order"][0]]},
        "tampered": [{"order": ["i0"]}, {"order": ["i0", "i0", "i1"]}, {"text": "x"}],
        "post": None,
    },
    "essay": {
        "data": {"grading_guidance": "Names choice, information and respect."},
        "right": lambda c, k: {"text": "Shared decisions respect the person."},
        "partial": None,
        "wrong": None,
        "tampered": [{"text": "x" * 20001}, {"answer": True}],
        "post": ({"text": "My answer"}, {"text": "My answer"}),
    },
}


def test_every_registered_type_is_covered_and_has_its_own_template():
    assert [cls.type_code for cls in QUESTION_TYPES] == [
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "numerical",
        "matching",
        "ordering",
        "essay",
    ]
    assert set(CASES) == {cls.type_code for cls in QUESTION_TYPES}
    for cls in QUESTION_TYPES:
        assert question_type(cls.type_code) is cls
        assert cls.answer_template == f"exams/includes/answer_{cls.type_code}.html"
    with pytest.raises(KeyError):
        question_type("description")


def _question(type_code: str):
    cls = question_type(type_code)
    question = cls(
        text="Question text",
        points=Decimal(2),
        category=QuestionCategory(name="The KPS role"),
    )
    question.set_answers(CASES[type_code]["data"])
    assert question.answer_problems() == {}
    return cls, question


@pytest.mark.parametrize("type_code", CASES)
def test_clean_grade_review_and_row_round_trip(type_code):
    case = CASES[type_code]
    cls, question = _question(type_code)
    content, key = question.freeze()
    assert content["type"] == key["type"] == type_code
    assert "correct" not in content and "answers" not in content

    right = cls.clean_answer(content, case["right"](content, key))
    assert right is not None and cls.is_answered(right)
    for tampered in case["tampered"]:
        with pytest.raises(ValidationError):
            cls.clean_answer(content, tampered)
    assert cls.clean_answer(content, None) is None

    if type_code == "essay":
        assert cls.grade_frozen(key, right) is None
    else:
        assert cls.grade_frozen(key, right) == 1
        assert cls.grade_frozen(key, None) == 0
        wrong = cls.clean_answer(content, case["wrong"](content, key))
        assert cls.grade_frozen(key, wrong) == 0
    if case["partial"] is not None:
        make, fraction = case["partial"]
        assert cls.grade_frozen(key, cls.clean_answer(content, make(content, key))) == (
            fraction
        )

    lines = cls.review_lines(content, key, right)
    assert lines and all(line["text"] for line in lines)
    if type_code != "essay":
        assert any(line.get("correct") for line in lines)

    if case["post"] is not None:
        fields, expected = case["post"]
        post = QueryDict(mutable=True)
        for name, value in fields.items():
            post.setlist(name, value if isinstance(value, list) else [value])
        assert cls.clean_answer(content, cls.answer_from_post(content, post)) == (
            expected
        )

    data = question.as_dict()
    cells = dict.fromkeys(COLUMNS)
    cells.update(cls.to_row(data))
    problems = []
    parsed = cls.from_row(cells, lambda column, message: problems.append(message))
    assert problems == []
    assert parsed
    assert parsed == {field: data[field] for field in parsed}
    again = cls(category=question.category, text=question.text)
    again.set_answers(parsed)
    assert again.freeze(rng=random.Random(7)) == question.freeze(rng=random.Random(7))


def test_review_lines_say_which_partial_credit_was_earned():
    cls, question = _question("single_choice")
    content, key = question.freeze()
    partial = {"choice": _choice(content, "The person with their peer")}
    line = next(
        line for line in cls.review_lines(content, key, partial) if line["chosen"]
    )
    assert line == {
        "text": "The person with their peer",
        "chosen": True,
        "correct": False,
        "credit": "50%",
        "feedback": "Close.",
    }
    cls, question = _question("short_answer")
    content, key = question.freeze()
    mine = cls.review_lines(content, key, {"text": "wellness plan"})[0]
    assert (mine["credit"], mine["feedback"]) == ("75%", "Nearly.")
    cls, question = _question("numerical")
    content, key = question.freeze()
    lines = cls.review_lines(content, key, {"text": "1,822", "value": "1822"})
    assert lines[0]["feedback"] == "Yes"
    assert lines[1]["text"] == "Accepted: 1822; 1820 to 1829 (50%)"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1822", "1822"),
        ("  +1,822 ", "1822"),
        ("1 822", "1822"),
        ("12,345.60", "12345.6"),
        ("\u22123.5", "-3.5"),  # the minus sign
        (".5", "0.5"),
        ("5.", "5"),
        ("1.5e3", "1500"),
    ],
)
def test_numbers_are_read_leniently(typed, value):
    cls = question_type("numerical")
    assert cls.clean_answer({"type": "numerical"}, {"text": typed})["value"] == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3,14", "use a point for decimals (3.14)"),
        ("1,82", "use a point for decimals"),
        ("12a", "is not a number"),
        ("1.2.3", "is not a number"),
        ("nan", "is not a number"),
        ("1e99", "is too large"),
    ],
)
def test_what_is_not_a_number_is_refused_with_a_message(typed, message):
    cls = question_type("numerical")
    with pytest.raises(ValidationError) as error:
        cls.clean_answer({"type": "numerical"}, {"text": typed})
    assert message in " ".join(error.value.messages)
    assert f"“{typed}”" in " ".join(error.value.messages)


def test_an_empty_number_is_no_answer():
    cls = question_type("numerical")
    assert cls.clean_answer({"type": "numerical"}, {"text": "   "}) is None


def test_keys_frozen_before_credits_still_grade():
    single = question_type("single_choice")
    key = {"correct": ["c0"], "choices": {"c0": "A", "c1": "B"}, "feedback": {}}
    assert single.grade_frozen(key, {"choice": "c0"}) == 1
    assert single.grade_frozen(key, {"choice": "c1"}) == 0
    short = question_type("short_answer")
    key = {"accepted": ["WRAP", "Wellness Recovery Action Plan"]}
    assert short.grade_frozen(key, {"text": "wrap"}) == 1
    assert short.grade_frozen(key, {"text": "plan"}) == 0
    assert short.review_lines({}, key, {"text": "wrap"})[1]["text"] == (
        "Accepted: WRAP; Wellness Recovery Action Plan"
    )


@pytest.mark.parametrize(
    ("type_code", "data", "field", "message"),
    [
        (
            "single_choice",
            {
                "choices": [
                    {"text": "A", "correct": True},
                    {"text": "B", "correct": False, "weight": "100"},
                ]
            },
            "choices",
            "mark it as the correct choice",
        ),
        (
            "short_answer",
            {"accepted": [{"text": "WRAP", "weight": "50"}]},
            "answers",
            "must earn 100%",
        ),
        (
            "numerical",
            {"answers": [{"value": "5", "weight": "50"}]},
            "answers",
            "must earn 100%",
        ),
        (
            "numerical",
            {"answers": [{"minimum": "5", "maximum": "3"}]},
            "answers",
            "ends below where it starts",
        ),
    ],
)
def test_ungradeable_answers_are_named(type_code, data, field, message):
    question = question_type(type_code)(text="Q")
    question.set_answers(data)
    problems = question.answer_problems()
    assert list(problems) == [field]
    assert message in problems[field]
