"""The oral-exam inter-rater agreement report as an Excel workbook: a summary,
agreement per criterion, each examiner's severity and every score it rests
on, so the figures can be checked by hand."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .selectors.oral_agreement import AgreementReport


def _round(value, places=3):
    return None if value is None else round(float(value), places)


def agreement_build(*, report: AgreementReport) -> bytes:
    workbook = Workbook(write_only=True)

    summary = workbook.create_sheet(_("Summary"))
    summary.append([_("Oral exam"), report.oral_exam.title])
    summary.append([_("Course"), report.oral_exam.course.title])
    summary.append([_("Sittings scored by two or more examiners"), report.sittings])
    summary.append([_("Criterion scores compared"), report.values])
    summary.append(
        [_("Krippendorff's alpha (ordinal)"), _round(report.alpha)]
        if report.alpha is not None
        else [_("Krippendorff's alpha (ordinal)"), report.alpha_missing]
    )

    criteria = workbook.create_sheet(_("Criteria"))
    criteria.append(
        [
            _("Criterion"),
            _("Sittings"),
            _("Pairs of examiners"),
            _("Exact agreement %"),
            _("Adjacent agreement % (within one level)"),
        ]
    )
    for row in report.criteria:
        criteria.append(
            [
                row.title,
                row.units,
                row.pairs,
                _round(row.exact_percent, 1),
                _round(row.adjacent_percent, 1),
            ]
        )

    examiners = workbook.create_sheet(_("Examiners"))
    examiners.append(
        [
            _("Examiner"),
            _("Severity (levels from the panel's mean; below 0 is harder)"),
            _("Sittings"),
            _("Criterion scores"),
        ]
    )
    for row in report.examiners:
        examiners.append([row.name, _round(row.severity), row.sittings, row.scores])

    scores = workbook.create_sheet(_("Scores"))
    scores.append(
        [
            _("Sitting"),
            _("Opened"),
            _("Criterion"),
            _("Examiner"),
            _("Level (1 is the lowest)"),
            _("Level name"),
            _("Points"),
        ]
    )
    for row in report.rows:
        scores.append(
            [
                row.sitting_id,
                timezone.localtime(row.opened_at).replace(tzinfo=None),
                row.criterion,
                row.examiner,
                row.position,
                row.label,
                row.points,
            ]
        )

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
