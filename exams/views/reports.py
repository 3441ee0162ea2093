"""Exam reports for the people who build exams."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from cms.access import role_required
from cms.spreadsheets import xlsx_response

from .. import selectors
from ..models import WrittenExam
from ..permissions import user_can_view_exam_reports


@role_required(user_can_view_exam_reports)
def item_analysis(request, exam_id: int):
    exam = get_object_or_404(WrittenExam.objects.select_related("course"), pk=exam_id)
    report = selectors.exam_item_analysis(exam=exam)
    if request.GET.get("format") == "xlsx":
        from ..spreadsheets import item_analysis_build

        return xlsx_response(
            item_analysis_build(exam=exam, report=report),
            f"item-analysis-{exam.pk}.xlsx",
        )
    bands = [
        (10 * n, 10 * n + 10, count) for n, count in enumerate(report.test.distribution)
    ]
    return render(
        request,
        "exams/item_analysis.html",
        {"exam": exam, "report": report, "bands": bands},
    )
