"""The question bank as data: one dict per question, and its Excel form.

Excel import, GIFT import and the fixture loader all produce the same dicts,
and ``questions_import`` is the one place that turns them into questions.

Workbook layout (sheet "Questions", header on row 1, one question per row):

    Key | Type | Category | Status | Title | Question | Points |
    General feedback | Answers | Correct | Answer feedback | Grading guidance

"Answers" holds one answer per line: the choices (single choice, multiple
response), the accepted answers (short answer), the items in the correct
order (ordering), or "prompt = match" pairs (matching). "Correct" names the
right choices by line number ("2" or "1, 3"), or says True or False for a
true/false question. "Answer feedback" has one line per answer line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

COLUMNS = (
    "Key",
    "Type",
    "Category",
    "Status",
    "Title",
    "Question",
    "Points",
    "General feedback",
    "Answers",
    "Correct",
    "Answer feedback",
    "Grading guidance",
)
TYPES = (
    "single_choice",
    "multiple_response",
    "true_false",
    "short_answer",
    "matching",
    "ordering",
    "essay",
)
STATUSES = ("draft", "active", "retired")
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str | None
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column is None:
            return f"Row {self.row}: {self.message}"
        return f"Row {self.row}, {self.column}: {self.message}"


def _lines(value) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Dict -> row --------------------------------------------------------------


def question_dict_to_row(data: dict) -> list:
    kind = data["type"]
    answers, correct, feedback = "", "", ""
    if kind in ("single_choice", "multiple_response"):
        choices = data["choices"]
        answers = "\n".join(c["text"] for c in choices)
        correct = ", ".join(str(i) for i, c in enumerate(choices, 1) if c["correct"])
        feedback = "\n".join(c.get("feedback", "") or "-" for c in choices)
        if not any(c.get("feedback") for c in choices):
            feedback = ""
    elif kind == "true_false":
        correct = "True" if data["answer"] else "False"
    elif kind == "short_answer":
        answers = "\n".join(data["accepted"])
    elif kind == "matching":
        answers = "\n".join(f"{p['prompt']} = {p['match']}" for p in data["pairs"])
    elif kind == "ordering":
        answers = "\n".join(data["items"])
    return [
        data.get("key", ""),
        kind,
        data["category"],
        data.get("status", "active"),
        data.get("title", ""),
        data["text"],
        float(Decimal(str(data.get("points", "1")))),
        data.get("general_feedback", ""),
        answers,
        correct,
        feedback,
        data.get("grading_guidance", ""),
    ]


def bank_workbook(rows: list[dict], *, with_guide: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Questions"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for data in rows:
        sheet.append(question_dict_to_row(data))
    widths = (16, 18, 26, 10, 24, 60, 8, 40, 50, 10, 40, 40)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if with_guide:
        guide = workbook.create_sheet("How to fill this in")
        for line in (__doc__ or "").strip().splitlines():
            guide.append([line])
        guide.append([])
        guide.append(["Types: " + ", ".join(TYPES)])
        guide.append(["Statuses: " + ", ".join(STATUSES)])
        guide.column_dimensions["A"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEMPLATE_EXAMPLES = [
    {
        "key": "example-1",
        "type": "single_choice",
        "category": "Recovery and wellness support",
        "status": "draft",
        "text": "Which dimension of recovery is about a stable and safe place to live?",
        "points": "1",
        "general_feedback": "SAMHSA names four dimensions: Health, Home, Purpose "
        "and Community.",
        "choices": [
            {"text": "Health", "correct": False, "feedback": "Health is wellbeing."},
            {"text": "Home", "correct": True, "feedback": "Yes."},
            {
                "text": "Purpose",
                "correct": False,
                "feedback": "Purpose is daily meaningful activity.",
            },
        ],
    },
    {
        "key": "example-2",
        "type": "true_false",
        "category": "The KPS role",
        "status": "draft",
        "text": "A peer specialist replaces the clinical staff on a team.",
        "answer": False,
    },
    {
        "key": "example-3",
        "type": "matching",
        "category": "Recovery and wellness support",
        "status": "draft",
        "text": "Match each dimension of recovery to its meaning.",
        "points": "2",
        "pairs": [
            {
                "prompt": "Health",
                "match": "Living in a physically and emotionally healthy way",
            },
            {"prompt": "Home", "match": "A stable and safe place to live"},
            {"prompt": "Community", "match": "Relationships that give support"},
        ],
    },
]


def bank_template() -> bytes:
    return bank_workbook(TEMPLATE_EXAMPLES, with_guide=True)


# Row -> dict ---------------------------------------------------------------


def bank_parse(data: bytes) -> tuple[list[dict], list[RowProblem]]:
    """Check every row; return the question dicts and every problem found."""
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return [], [
            RowProblem(None, None, _("The file is not an Excel workbook (.xlsx)."))
        ]
    try:
        sheet = (
            workbook["Questions"]
            if "Questions" in workbook.sheetnames
            else (workbook.worksheets[0])
        )
        rows = []
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if index > MAX_ROWS + 1:
                return [], [
                    RowProblem(
                        None,
                        None,
                        _("The sheet has more than %(n)s rows.") % {"n": MAX_ROWS},
                    )
                ]
            rows.append((index, values))
    except Exception:
        return [], [RowProblem(None, None, _("The workbook could not be read."))]
    finally:
        workbook.close()
    if not rows:
        return [], [RowProblem(None, None, _("The sheet is empty."))]
    header = [_text(v).casefold() for v in rows[0][1]]
    positions = {}
    missing = []
    for column in COLUMNS:
        if column.casefold() in header:
            positions[column] = header.index(column.casefold())
        else:
            missing.append(column)
    if missing:
        return [], [
            RowProblem(
                1, None, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}
            )
        ]
    questions, problems, keys = [], [], {}
    for number, values in rows[1:]:
        cells = {
            column: values[position] if position < len(values) else None
            for column, position in positions.items()
        }
        if all(_text(v) == "" for v in cells.values()):
            continue
        row_problems: list[RowProblem] = []

        def problem(column, message, number=number, row_problems=row_problems):
            row_problems.append(RowProblem(number, column, message))

        data = _row_to_dict(cells, problem)
        key = data.get("key")
        if key:
            if key in keys:
                problem(
                    "Key",
                    _("'%(key)s' is used again (first on row %(row)s).")
                    % {"key": key, "row": keys[key]},
                )
            else:
                keys[key] = number
        if row_problems:
            problems.extend(row_problems)
        else:
            data["line"] = number
            questions.append(data)
    if not questions and not problems:
        problems.append(RowProblem(None, None, _("The sheet has no questions.")))
    return questions, problems


def _row_to_dict(cells: dict, problem) -> dict:
    kind = _text(cells["Type"]).casefold().replace(" ", "_").replace("-", "_")
    data: dict = {
        "key": _text(cells["Key"]),
        "type": kind,
        "category": _text(cells["Category"]),
        "status": _text(cells["Status"]).casefold() or "active",
        "title": _text(cells["Title"]),
        "text": _text(cells["Question"]),
        "general_feedback": _text(cells["General feedback"]),
        "grading_guidance": _text(cells["Grading guidance"]),
    }
    if kind not in TYPES:
        problem(
            "Type",
            _("'%(value)s' is not a question type; use one of: %(types)s.")
            % {"value": _text(cells["Type"]), "types": ", ".join(TYPES)},
        )
        return data
    if data["key"] and not _is_slug(data["key"]):
        problem("Key", _("use letters, digits, hyphens and underscores only."))
    if not data["category"]:
        problem("Category", _("enter a category."))
    if data["status"] not in STATUSES:
        problem(
            "Status",
            _("'%(value)s' is not a status; use draft, active or retired.")
            % {"value": data["status"]},
        )
    if not data["text"]:
        problem("Question", _("enter the question text."))
    raw_points = cells["Points"]
    try:
        points = Decimal(_text(raw_points) or "1")
        if points <= 0 or points > 1000:
            raise InvalidOperation
        data["points"] = str(points)
    except InvalidOperation:
        problem(
            "Points",
            _("'%(value)s' is not a number of points above 0.")
            % {"value": _text(raw_points)},
        )
    answers = _lines(cells["Answers"])
    correct = _text(cells["Correct"])
    feedback = str(cells["Answer feedback"] or "").splitlines()
    if kind in ("single_choice", "multiple_response"):
        if len(answers) < 2:
            problem("Answers", _("give at least two choices, one per line."))
            return data
        numbers = []
        for part in correct.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= len(answers):
                problem(
                    "Correct",
                    _("'%(value)s' is not the number of a choice (1 to %(n)s).")
                    % {"value": part, "n": len(answers)},
                )
                return data
            numbers.append(int(part))
        if kind == "single_choice" and len(numbers) != 1:
            problem("Correct", _("name exactly one correct choice by its line number."))
        if kind == "multiple_response" and not numbers:
            problem(
                "Correct", _("name the correct choices by line number, such as 1, 3.")
            )
        data["choices"] = [
            {
                "text": text,
                "correct": index in numbers,
                "feedback": (
                    feedback[index - 1].strip() if index - 1 < len(feedback) else ""
                ),
            }
            for index, text in enumerate(answers, start=1)
        ]
        for choice in data["choices"]:
            if choice["feedback"] == "-":
                choice["feedback"] = ""
    elif kind == "true_false":
        value = correct.casefold()
        if value not in ("true", "false"):
            problem("Correct", _("enter True or False."))
        data["answer"] = value == "true"
    elif kind == "short_answer":
        if not answers:
            problem("Answers", _("give at least one accepted answer, one per line."))
        data["accepted"] = answers
    elif kind == "matching":
        pairs = []
        for line in answers:
            if "=" not in line:
                problem(
                    "Answers",
                    _("'%(line)s' is not a 'prompt = match' pair.") % {"line": line},
                )
                continue
            prompt, match = (part.strip() for part in line.split("=", 1))
            if not prompt or not match:
                problem(
                    "Answers",
                    _("'%(line)s' needs text on both sides of '='.") % {"line": line},
                )
                continue
            pairs.append({"prompt": prompt, "match": match})
        if len(pairs) < 3 and len(pairs) == len(answers):
            problem("Answers", _("give at least three pairs."))
        data["pairs"] = pairs
    elif kind == "ordering":
        if len(answers) < 3:
            problem("Answers", _("give at least three items, in the correct order."))
        if len(set(answers)) != len(answers):
            problem("Answers", _("each item must be different."))
        data["items"] = answers
    return data


def _is_slug(value: str) -> bool:
    return all(c.isalnum() or c in "-_" for c in value) and len(value) <= 100
