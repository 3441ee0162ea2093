"""Item analysis as an Excel workbook."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook


def _round(value, places=3):
    return None if value is None else round(value, places)


def item_analysis_build(*, exam, report) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    test = report.test
    summary.append(["Exam", exam.title])
    summary.append(["Course", exam.course.title])
    summary.append(["Graded attempts", report.attempts])
    summary.append(["Attempts with every item (used for reliability)", test.attempts])
    summary.append(["Mean %", _round(test.mean_percent, 2)])
    summary.append(["Median %", _round(test.median_percent, 2)])
    summary.append(["Standard deviation %", _round(test.sd_percent, 2)])
    summary.append(["Reliability (Cronbach's alpha / KR-20)", _round(test.reliability)])
    summary.append(["Standard error of measurement %", _round(test.sem_percent, 2)])
    summary.append([])
    summary.append(["Score band", "Attempts"])
    for index, count in enumerate(test.distribution):
        summary.append([f"{index * 10}-{index * 10 + 10}%", count])
    summary.column_dimensions["A"].width = 48

    items = workbook.create_sheet("Items")
    items.append(
        [
            "Question",
            "Category",
            "Type",
            "Attempts",
            "Facility index",
            "Standard deviation",
            "Discrimination (item-rest r)",
            "Discrimination index (27%)",
        ]
    )
    for row in report.items:
        stats = row.stats
        items.append(
            [
                row.label,
                row.category,
                row.type_code,
                stats.attempts,
                _round(stats.facility),
                _round(stats.sd),
                _round(stats.discrimination),
                _round(stats.discrimination_index),
            ]
        )
    items.column_dimensions["A"].width = 60

    choices = workbook.create_sheet("Choices")
    choices.append(["Question", "Choice", "Times chosen", "Correct"])
    for row in report.items:
        for text, count, correct in row.frequencies:
            choices.append([row.label, text, count, "Yes" if correct else ""])
    choices.column_dimensions["A"].width = 60
    choices.column_dimensions["B"].width = 50
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
