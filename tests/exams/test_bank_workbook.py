"""The question-bank workbook for the newer answer kinds: exporting and
importing again gives back the same questions, and bad cells are named."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from exams import bank_io, services
from exams.models import Question

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {
        "key": "wb-single",
        "type": "single_choice",
        "category": "Workbook",
        "status": "active",
        "title": "",
        "text": "Who directs a recovery plan?",
        "text_format": "markdown",
        "points": "2",
        "general_feedback": "**The person** does.",
        "choices": [
            {"text": "The person", "correct": True, "feedback": "Yes."},
            {
                "text": "The person with their peer",
                "correct": False,
                "feedback": "Close.",
                "weight": "50",
            },
            {"text": "The judge", "correct": False, "feedback": ""},
        ],
    },
    {
        "key": "wb-short",
        "type": "short_answer",
        "category": "Workbook",
        "status": "active",
        "title": "Plan",
        "text": "Name the wellness plan.",
        "text_format": "plain",
        "points": "1",
        "general_feedback": "",
        "accepted": [
            {"text": "WRAP", "weight": "100", "feedback": ""},
            {"text": "Wellness plan", "weight": "75", "feedback": "Nearly."},
            {"text": "Crisis plan", "weight": "0", "feedback": "That is another."},
        ],
    },
    {
        "key": "wb-number",
        "type": "numerical",
        "category": "Workbook",
        "status": "draft",
        "title": "",
        "text": "How many hours of experience does the application need?",
        "text_format": "html",
        "points": "1",
        "general_feedback": "<p>It is <b>500</b>.</p>",
        "answers": [
            {"value": "500", "tolerance": "0", "weight": "100", "feedback": "Yes."},
            {"value": "500", "tolerance": "50", "weight": "50", "feedback": ""},
            {"minimum": "0.5", "maximum": "60", "weight": "0", "feedback": "Hours?"},
        ],
    },
    {
        "key": "wb-tf",
        "type": "true_false",
        "category": "Workbook",
        "status": "active",
        "title": "",
        "text": "Peers replace clinical staff.",
        "text_format": "plain",
        "points": "1",
        "general_feedback": "",
        "answer": False,
        "feedback_true": "They add options; they do not replace anyone.",
        "feedback_false": "",
    },
]


def _bank_dicts() -> list[dict]:
    return [
        question.as_dict()
        for question in Question.objects.filter(category__name="Workbook").order_by(
            "key"
        )
    ]


def test_export_then_import_gives_back_the_same_questions():
    services.questions_import(questions=QUESTIONS)
    exported = _bank_dicts()
    assert {q["key"] for q in exported} == {q["key"] for q in QUESTIONS}
    parsed, problems = bank_io.bank_parse(bank_io.bank_workbook(exported))
    assert problems == []
    for data in parsed:
        data.pop("line")
    assert sorted(parsed, key=lambda q: q["key"]) == exported
    report = services.questions_import(questions=parsed)
    assert (report.created, report.updated) == (0, len(QUESTIONS))
    assert _bank_dicts() == exported


def test_the_correct_column_gives_credits():
    services.questions_import(questions=QUESTIONS)
    rows = {row[0]: row for row in map(bank_io.question_dict_to_row, _bank_dicts())}
    correct = bank_io.COLUMNS.index("Correct")
    answers = bank_io.COLUMNS.index("Answers")
    assert rows["wb-single"][correct] == "1, 2=50%"
    assert rows["wb-short"][correct] == "1, 2=75%"
    assert rows["wb-number"][correct] == "1, 2=50%"
    assert rows["wb-number"][answers] == "500\n500 ± 50\n0.5..60"
    assert rows["wb-tf"][bank_io.COLUMNS.index("Answer feedback")] == (
        "They add options; they do not replace anyone.\n-"
    )


def _workbook(rows, header=bank_io.COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Questions"
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(kind, answers, correct, feedback="", text_format="plain"):
    return [
        "",
        kind,
        "Workbook",
        "active",
        "",
        "Question?",
        1,
        "",
        answers,
        correct,
        feedback,
        "",
        text_format,
    ]


def test_bad_credits_numbers_and_formats_are_named_by_row_and_column():
    questions, problems = bank_io.bank_parse(
        _workbook(
            [
                _row("single_choice", "A\nB\nC", "1=50%, 2=50%"),
                _row("single_choice", "A\nB", "1, 2=150%"),
                _row("multiple_response", "A\nB\nC", "1, 2=50%"),
                _row("short_answer", "WRAP\nPlan", "2=50%"),
                _row("numerical", "500\nfive hundred\n3,5", ""),
                _row("numerical", "7..3", ""),
                _row("essay", "", "", text_format="rtf"),
            ]
        )
    )
    assert questions == []
    assert [str(p) for p in problems] == [
        "Row 2, Correct: name exactly one correct choice by its line number; "
        "others may earn partial credit, such as 3, 2=50%.",
        "Row 3, Correct: '2=150%': a credit is more than 0% and at most 100%.",
        "Row 4, Correct: partial credit (=50%) is for single-choice questions; "
        "name the correct choices by line number, such as 1, 3.",
        "Row 5, Correct: at least one answer must earn full credit; name its line "
        "alone.",
        "Row 6, Answers: 'five hundred' is not a number, a number ± a tolerance, or "
        "a range such as 1820..1829 (use a point for decimals).",
        "Row 6, Answers: '3,5' is not a number, a number ± a tolerance, or a range "
        "such as 1820..1829 (use a point for decimals).",
        "Row 7, Answers: '7..3' is not a number, a number ± a tolerance, or a range "
        "such as 1820..1829 (use a point for decimals).",
        "Row 8, Text format: 'rtf' is not a text format; use one of: plain, "
        "markdown, html.",
    ]


def test_a_workbook_without_the_text_format_column_still_imports():
    header = bank_io.COLUMNS[:-1]
    questions, problems = bank_io.bank_parse(
        _workbook([_row("numerical", "1822:2", "")[:-1]], header=header)
    )
    assert problems == []
    assert questions[0]["text_format"] == "plain"
    assert questions[0]["answers"] == [
        {"value": "1822", "tolerance": "2", "weight": "100", "feedback": ""}
    ]
