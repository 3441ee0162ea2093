"""Excel exports: the cohort progress grid and a trainee's verification of
training. The sign-in sheet lives in spreadsheets_attendance."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import LedgerTopic, ProgressGrid

BOLD = Font(bold=True)


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def progress_grid_build(*, grid: ProgressGrid) -> bytes:
    """Trainee rows; per module "done/total lessons" and hours; per category
    verified hours."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Progress")
    sheet.append([f"{grid.cohort.course.title}: {grid.cohort.name}"])
    header = ["Trainee", "Email"]
    for module in grid.modules:
        header += [f"{module.title} (lessons)", f"{module.title} (hours)"]
    header += [f"{category.name} (hours)" for category in grid.categories]
    sheet.append(header)
    for row in grid.rows:
        values = [row.trainee.legal_name, row.trainee.email]
        for cell in row.cells:
            values += [f"{cell.lessons_done}/{cell.lessons_total}", float(cell.hours)]
        values += [float(hours) for hours in row.hours_by_category]
        sheet.append(values)
    return _save(workbook)


def ledger_build(*, trainee, credential, topics: list[LedgerTopic]) -> bytes:
    """Laid out like the board's verification of training: each topic with
    its minimum and hours completed, then the entries behind it."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Verification of training"
    summary.append(["Verification of training"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["Trainee (legal name)", trainee.legal_name])
    summary.append(["Email", trainee.email])
    summary.append(
        ["Credential", credential.name if credential else "All hour categories"]
    )
    summary.append([])
    summary.append(["Required topic", "Minimum hours", "Hours completed", "Met"])
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    total_minimum = 0
    total_completed = 0
    for topic in topics:
        met = (
            ""
            if topic.minimum is None
            else ("Yes" if topic.completed >= topic.minimum else "No")
        )
        summary.append(
            [
                topic.label,
                float(topic.minimum) if topic.minimum is not None else None,
                float(topic.completed),
                met,
            ]
        )
        total_minimum += topic.minimum or 0
        total_completed += topic.completed
    summary.append(["Total", float(total_minimum), float(total_completed), ""])
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    summary.column_dimensions["A"].width = 48
    for column in "BCD":
        summary.column_dimensions[column].width = 16

    entries = workbook.create_sheet("Entries")
    entries.append(
        [
            "Topic",
            "Date",
            "Hours",
            "Source",
            "Description",
            "Status",
            "Verified by",
            "Recorded at",
        ]
    )
    for cell in entries[1]:
        cell.font = BOLD
    for topic in topics:
        for entry in topic.entries:
            entries.append(
                [
                    topic.label,
                    entry.earned_on,
                    float(entry.hours),
                    entry.get_source_display(),
                    entry.description,
                    entry.get_status_display(),
                    entry.verified_by.legal_name if entry.verified_by else "",
                    timezone.localtime(entry.created_at).replace(tzinfo=None),
                ]
            )
    for column, width in zip("ABCDEFGH", (40, 12, 8, 20, 48, 10, 24, 20), strict=True):
        entries.column_dimensions[column].width = width
    return _save(workbook)


def hour_record_rows(sheet, record) -> int:
    """The verification of training hours' table on ``sheet``: the header,
    one row per training, one column per topic, then the totals and the
    minimums. Returns the header's row number."""
    topics = record.topics
    header = ["Date", "Training", "Provider", "Certificate code"]
    header += [topic.category.name for topic in topics] + ["Total"]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = BOLD
    for row in record.rows:
        sheet.append(
            [
                row.date,
                row.title,
                row.provider,
                row.reference,
                *[float(row.hours_in(topic.category.pk)) for topic in topics],
                float(row.total),
            ]
        )
    blank = [None, None, None]
    sheet.append(
        ["Total", *blank, *[float(t.total) for t in topics], float(record.total)]
    )
    sheet.append(
        [
            "Minimum",
            *blank,
            *[float(t.minimum) if t.minimum is not None else None for t in topics],
            float(record.total_minimum) if record.total_minimum is not None else None,
        ]
    )
    return header_row


def hour_record_build(*, record) -> bytes:
    """The verification of training hours in the board's layout: one row per
    training (certificate or verified training elsewhere), one column per
    topic, then the totals, the minimums and the shortfall."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Verification of hours"
    sheet.append(["Verification of training hours"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Trainee (legal name)", record.trainee.legal_name])
    sheet.append(["Email", record.trainee.email])
    sheet.append(
        [
            "Credential",
            record.credential.name if record.credential else "All hour categories",
        ]
    )
    sheet.append([])
    header_row = hour_record_rows(sheet, record)
    topics = record.topics
    blank = [None, None, None]
    sheet.append(
        [
            "Shortfall",
            *blank,
            *[float(t.shortfall) for t in topics],
            float(record.shortfall),
        ]
    )
    for row in sheet.iter_rows(min_row=sheet.max_row - 2):
        row[0].font = BOLD
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 24
    for row in sheet.iter_rows(min_row=header_row + 1, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    return _save(workbook)
