"""The question bank as data: one dict per question, and its Excel form.

Excel import, GIFT import and the fixture loader all produce the same dicts,
and ``questions_import`` is the one place that turns them into questions.
Each question type writes and reads its own cells (``to_row``/``from_row``
on the type), so this module knows only the columns every row shares.

Workbook layout (sheet "Questions", header on row 1, one question per row):

    Key | Type | Category | Status | Title | Question | Points |
    General feedback | Answers | Correct | Answer feedback | Grading guidance |
    Text format

"Answers" holds one answer per line: the choices (single choice, multiple
response), the accepted answers (short answer), the numbers (numerical),
the items in the correct order (ordering), or "prompt = match" pairs
(matching). A numerical answer is a value ("1822"), a value and a tolerance
either side ("1822 ± 2", or Moodle's "1822:2") or a range ("1820..1829");
use a point for decimals.

"Correct" names the right answers by line number ("2" or "1, 3"), or says
True or False for a true/false question. A line number may carry a credit
in percent: "3, 2=50%" makes line 3 the correct choice and gives line 2
half the points (single choice, short answer, numerical; a multiple-response
question names its correct choices without credits). For short answers and
numerical questions an empty cell gives every line full credit; otherwise
the lines not named earn nothing (useful to give feedback on a common wrong
answer), and at least one line must earn 100%.

"Answer feedback" has one line per answer line ("-" for none); for a
true/false question, line 1 is shown to whoever answers True and line 2 to
whoever answers False. Each answer and each feedback fits on one line.

"Text format" (optional) says how the question text and the feedback are
written: plain (the default), markdown or html. Markdown and HTML are shown
formatted, with anything unsafe removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cms.uploads import UploadRefused, open_workbook, sheet_rows

from .models import QUESTION_TYPES, TextFormat, question_type
from .models.questions.common import cell_text as _text

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
    "Text format",
)
#: Columns a workbook may leave out (older templates have none of them).
OPTIONAL_COLUMNS = ("Text format",)
TYPE_CELLS = ("Answers", "Correct", "Answer feedback", "Grading guidance")
STATUSES = ("draft", "active", "retired")


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


# Dict -> row --------------------------------------------------------------


def types() -> list[str]:
    return [cls.type_code for cls in QUESTION_TYPES]


def question_dict_to_row(data: dict) -> list:
    cells = dict.fromkeys(TYPE_CELLS, "")
    cells.update(question_type(data["type"]).to_row(data))
    return [
        data.get("key", ""),
        data["type"],
        data["category"],
        data.get("status", "active"),
        data.get("title", ""),
        data["text"],
        float(Decimal(str(data.get("points", "1")))),
        data.get("general_feedback", ""),
        *(cells[column] for column in TYPE_CELLS),
        data.get("text_format") or TextFormat.PLAIN,
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
    widths = (16, 18, 26, 10, 24, 60, 8, 40, 50, 10, 40, 40, 12)
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
        guide.append(["Types: " + ", ".join(types())])
        guide.append(["Text formats: " + ", ".join(TextFormat.values)])
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
    {
        "key": "example-4",
        "type": "numerical",
        "category": "The KPS role",
        "status": "draft",
        "text": "How many days does the KPS training program last?",
        "answers": [
            {"value": "5", "tolerance": "0", "weight": "100", "feedback": "Yes."},
            {
                "minimum": "4",
                "maximum": "6",
                "weight": "50",
                "feedback": "Close: it is a five-day program.",
            },
        ],
    },
]


def bank_template() -> bytes:
    return bank_workbook(TEMPLATE_EXAMPLES, with_guide=True)


# Row -> dict ---------------------------------------------------------------


def bank_parse(data: bytes) -> tuple[list[dict], list[RowProblem]]:
    """Check every row; return the question dicts and every problem found.

    The workbook goes through the upload limits (``cms.uploads``) before it
    is opened, and at most ``QUESTION_IMPORT_MAX_QUESTIONS`` rows are read.
    """
    try:
        workbook = open_workbook(data)
    except UploadRefused as refusal:
        return [], [RowProblem(None, None, str(refusal))]
    try:
        sheet = (
            workbook["Questions"]
            if "Questions" in workbook.sheetnames
            else (workbook.worksheets[0])
        )
        limit = settings.QUESTION_IMPORT_MAX_QUESTIONS
        rows = list(enumerate(sheet_rows(sheet, max_rows=limit + 1), start=1))
    except UploadRefused as refusal:
        return [], [RowProblem(None, None, str(refusal))]
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
        elif column not in OPTIONAL_COLUMNS:
            missing.append(column)
    if missing:
        return [], [
            RowProblem(
                1, None, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}
            )
        ]
    questions, problems, keys = [], [], {}
    for number, values in rows[1:]:
        cells = dict.fromkeys(COLUMNS)
        cells.update(
            {
                column: values[position] if position < len(values) else None
                for column, position in positions.items()
            }
        )
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
        "text_format": _text(cells["Text format"]).casefold() or TextFormat.PLAIN,
        "general_feedback": _text(cells["General feedback"]),
    }
    try:
        question_class = question_type(kind)
    except KeyError:
        problem(
            "Type",
            _("'%(value)s' is not a question type; use one of: %(types)s.")
            % {"value": _text(cells["Type"]), "types": ", ".join(types())},
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
    if data["text_format"] not in TextFormat.values:
        problem(
            "Text format",
            _("'%(value)s' is not a text format; use one of: %(formats)s.")
            % {"value": data["text_format"], "formats": ", ".join(TextFormat.values)},
        )
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
    data.update(question_class.from_row(cells, problem))
    return data


def _is_slug(value: str) -> bool:
    return all(c.isalnum() or c in "-_" for c in value) and len(value) <= 100
