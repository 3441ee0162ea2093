"""The class-day sign-in sheet: an Excel roster a trainer fills in on the day,
and the parser that turns a filled one back into attendance marks.

The column headers are the file format, so they stay in English whatever the
language of the site; labels, statuses and messages are translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from cms.uploads import UploadRefused, not_a_workbook, open_workbook, sheet_rows

from .models import Attendance, ClassSession

if TYPE_CHECKING:
    from cms.models import User

SHEET_TITLE = "Sign-in"
COLUMNS = ("Trainee ID", "Email", "Legal name", "Status", "Minutes present")
TRAINEE_ID, EMAIL, LEGAL_NAME, STATUS, MINUTES = COLUMNS
HEADER_ROW = 6
# The header may have been moved by a trainer inserting rows above it.
HEADER_SEARCH_ROWS = 20
# The columns read: the sign-in sheet's five, with room for a trainer's own
# notes beside them.
MAX_COLUMNS = 30

# Attendance.Status value -> label. The labels are lazy translations: str()
# them where the text is needed.
STATUS_LABELS: dict[str, str] = {
    choice.value: choice.label for choice in Attendance.Status
}

BOLD = Font(bold=True)
COLUMN_WIDTHS = {
    TRAINEE_ID: 12,
    EMAIL: 34,
    LEGAL_NAME: 30,
    STATUS: 14,
    MINUTES: 18,
}


@dataclass(frozen=True)
class SheetRow:
    row: int  # Excel row number
    trainee_id: int
    status: str  # an Attendance.Status value
    minutes: int


@dataclass(frozen=True)
class SheetProblem:
    row: int | None  # None for problems with the whole file
    column: str | None  # a COLUMNS name, or None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return _("Row %(row)s: %(message)s") % {
                "row": self.row,
                "message": self.message,
            }
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


# Building -----------------------------------------------------------------


def _text(value: Any) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _append(sheet, values: list) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        # A name or title starting with "=" must stay text, not become a
        # formula the spreadsheet program runs.
        if isinstance(cell.value, str):
            cell.data_type = "s"


def sign_in_sheet_build(
    *,
    session: ClassSession,
    trainees: list[User],
    attendance: dict[int, Attendance],
) -> bytes:
    """One sheet titled "Sign-in": the class day's details in rows 1-4, the
    column headers in row 6 and one row per trainee below, with any marks
    already recorded filled in."""
    duration = session.duration_minutes
    labels = [_text(label) for label in STATUS_LABELS.values()]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE

    _append(sheet, [_("Cohort"), _text(session.cohort.name)])
    _append(sheet, [_("Course"), _text(session.cohort.course.title)])
    _append(sheet, [_("Date"), session.date])
    sheet["B3"].number_format = "dddd, mmmm d, yyyy"
    sheet["B3"].alignment = Alignment(horizontal="left")
    _append(
        sheet,
        [
            _("Time"),
            _("%(start)s to %(end)s (%(minutes)s minutes)")
            % {
                "start": time_format(session.start_time, "TIME_FORMAT"),
                "end": time_format(session.end_time, "TIME_FORMAT"),
                "minutes": duration,
            },
        ],
    )
    for row in range(1, 5):
        sheet.cell(row=row, column=1).font = BOLD
    sheet.append([])

    _append(sheet, list(COLUMNS))
    for cell in sheet[HEADER_ROW]:
        cell.font = BOLD

    for trainee in trainees:
        mark = attendance.get(trainee.pk)
        _append(
            sheet,
            [
                trainee.pk,
                _text(trainee.email),
                _text(trainee.legal_name),
                _text(STATUS_LABELS.get(mark.status, mark.status)) if mark else None,
                mark.minutes_present if mark else None,
            ],
        )

    first = HEADER_ROW + 1
    last = HEADER_ROW + len(trainees)
    if trainees:
        status_column = get_column_letter(COLUMNS.index(STATUS) + 1)
        status_validation = DataValidation(
            type="list",
            # Excel splits a list on commas, so a label may not contain one.
            formula1='"{}"'.format(
                ",".join(label.replace(",", "") for label in labels)
            ),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Status"),
            error=_("Choose %(choices)s.") % {"choices": _choices(labels)},
        )
        status_validation.add(f"{status_column}{first}:{status_column}{last}")

        minutes_column = get_column_letter(COLUMNS.index(MINUTES) + 1)
        minutes_validation = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2=str(duration),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Minutes present"),
            error=_("Enter a whole number of minutes from 0 to %(duration)s.")
            % {"duration": duration},
        )
        minutes_validation.add(f"{minutes_column}{first}:{minutes_column}{last}")
        sheet.add_data_validation(status_validation)
        sheet.add_data_validation(minutes_validation)

    sheet.freeze_panes = f"A{first}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = COLUMN_WIDTHS[name]

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _choices(labels: list[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s or %(last)s") % {
        "first": ", ".join(labels[:-1]),
        "last": labels[-1],
    }


# Parsing ------------------------------------------------------------------


def _normalize_header(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split()).casefold()


def _normalize_status(value: str) -> str:
    return " ".join(re.split(r"[\s_\-]+", value.strip())).casefold()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    """A cell value as quoted in a message."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = " ".join(str(value).split())
    if len(text) > 40:
        text = text[:39] + "…"
    return f"'{text}'"


def _whole_number(value: Any) -> int | None:
    """An int from a number cell or digit text, or None if it isn't whole."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    # Bounded, since int() of thousands of digits is slow and then refuses.
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,15}", value.strip()):
        return int(value.strip())
    return None


def _read_rows(data: bytes) -> list[tuple]:
    """The cell values of the sign-in sheet (or the first sheet), row by row,
    within the upload limits (``cms.uploads``)."""
    workbook = open_workbook(data)
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise not_a_workbook()
        sheet = next((s for s in sheets if s.title == SHEET_TITLE), sheets[0])
        return list(
            sheet_rows(
                sheet,
                max_rows=settings.SIGN_IN_SHEET_MAX_ROWS,
                max_columns=MAX_COLUMNS,
            )
        )
    finally:
        workbook.close()


def _find_header(rows: list[tuple]) -> tuple[int | None, dict[str, int], list[str]]:
    """The header's index in rows and each column's position, or None and
    the columns missing from the row that came closest."""
    wanted = {_normalize_header(name): name for name in COLUMNS}
    best_missing = list(COLUMNS)
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for position, value in enumerate(values):
            name = wanted.get(_normalize_header(value))
            if name is not None:
                positions.setdefault(name, position)
        if len(positions) == len(COLUMNS):
            return index, positions, []
        missing = [name for name in COLUMNS if name not in positions]
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, {}, best_missing


def sign_in_sheet_parse(
    *, data: bytes, session: ClassSession, trainee_ids: set[int]
) -> tuple[list[SheetRow], list[SheetProblem]]:
    """Read a filled sign-in sheet into marks for the class day.

    Returns the marked rows and every problem found; the rows are only to be
    applied when there are no problems. Rows not yet marked (no status and no
    minutes) are skipped. Bad input never raises.
    """
    try:
        rows = _read_rows(data)
    except UploadRefused as refusal:
        return [], [SheetProblem(None, None, str(refusal))]

    header_index, positions, missing = _find_header(rows)
    if header_index is None:
        if len(missing) == len(COLUMNS):
            message = _("The header row must have the columns: %(columns)s.") % {
                "columns": ", ".join(COLUMNS)
            }
        else:
            message = ngettext(
                "Missing column: %(columns)s.",
                "Missing columns: %(columns)s.",
                len(missing),
            ) % {"columns": ", ".join(missing)}
        return [], [SheetProblem(None, None, message)]

    statuses: dict[str, str] = {}
    for value, label in STATUS_LABELS.items():
        statuses[_normalize_status(value)] = value
        statuses[_normalize_status(str(label))] = value
    enter_status = _("enter %(choices)s") % {
        "choices": _choices([str(label) for label in STATUS_LABELS.values()])
    }

    sheet_rows: list[SheetRow] = []
    problems: list[SheetProblem] = []
    first_row_of: dict[int, int] = {}

    for index in range(header_index + 1, len(rows)):
        row = index + 1  # rows[0] is Excel row 1
        raw = {
            name: _cell(rows[index], positions[name])
            for name in (TRAINEE_ID, STATUS, MINUTES)
        }
        if raw[STATUS] is None and raw[MINUTES] is None:
            continue  # a blank row, or a trainee not marked yet

        trainee_id, id_problem = _check_trainee(
            raw[TRAINEE_ID], row=row, trainee_ids=trainee_ids, first_row_of=first_row_of
        )
        status, status_problem = _check_status(
            raw[STATUS], statuses=statuses, enter_status=enter_status
        )
        minutes, minutes_problem = _check_minutes(
            raw[MINUTES], status=status, duration=session.duration_minutes
        )
        found = [
            SheetProblem(row, column, message)
            for column, message in (
                (TRAINEE_ID, id_problem),
                (STATUS, status_problem),
                (MINUTES, minutes_problem),
            )
            if message is not None
        ]
        if found:
            problems.extend(found)
        else:
            sheet_rows.append(SheetRow(row, trainee_id, status, minutes))

    return sheet_rows, problems


def _cell(values: tuple, position: int) -> Any:
    """A cell's value, None when blank (read-only rows may be short)."""
    value = values[position] if position < len(values) else None
    return None if _blank(value) else value


def _check_trainee(
    raw: Any, *, row: int, trainee_ids: set[int], first_row_of: dict[int, int]
) -> tuple[int | None, str | None]:
    if raw is None:
        return None, _("enter the trainee's ID")
    trainee_id = _whole_number(raw)
    if trainee_id is None:
        return None, _("%(value)s is not a whole number") % {"value": _shown(raw)}
    if trainee_id not in trainee_ids:
        return None, _("%(id)s is not a trainee in this cohort") % {"id": trainee_id}
    if trainee_id in first_row_of:
        return None, _("%(id)s appears more than once (first on row %(row)s)") % {
            "id": trainee_id,
            "row": first_row_of[trainee_id],
        }
    first_row_of[trainee_id] = row
    return trainee_id, None


def _check_status(
    raw: Any, *, statuses: dict[str, str], enter_status: str
) -> tuple[str | None, str | None]:
    if raw is None:
        return None, enter_status
    status = statuses.get(_normalize_status(raw)) if isinstance(raw, str) else None
    if status is None:
        return None, _("%(value)s is not a status; %(enter)s") % {
            "value": _shown(raw),
            "enter": enter_status,
        }
    return status, None


def _check_minutes(
    raw: Any, *, status: str | None, duration: int
) -> tuple[int | None, str | None]:
    """The minutes present; checked against the status only once the status
    itself is valid."""
    if raw is None:
        if status == Attendance.Status.ABSENT:
            return 0, None
        if status is None:
            return None, None  # the status problem says what to do
        return None, _("enter the minutes the trainee was present")
    minutes = _whole_number(raw)
    if minutes is None:
        return None, _("%(value)s is not a whole number") % {"value": _shown(raw)}
    if minutes < 0:
        return None, _("must be 0 or more")
    if minutes > duration:
        return None, _(
            "%(minutes)s is more than the %(duration)s minutes of the class day"
        ) % {"minutes": minutes, "duration": duration}
    if status == Attendance.Status.ABSENT and minutes != 0:
        return None, _("an absent trainee has 0 minutes")
    if status is not None and status != Attendance.Status.ABSENT and minutes == 0:
        return None, _("a trainee marked %(status)s needs more than 0 minutes") % {
            "status": STATUS_LABELS[status]
        }
    return minutes, None
