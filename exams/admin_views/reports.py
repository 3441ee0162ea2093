"""The list of exam reports."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..models import WrittenExam
from ..permissions import (
    user_can_view_exam_reports,
)
from .questions import _require


def reports(request):
    _require(request, user_can_view_exam_reports)
    return TemplateResponse(
        request,
        "exams/admin/reports.html",
        {
            "page_title": _("Exam reports"),
            "header_title": _("Exam reports"),
            "header_icon": "table",
            "exams": WrittenExam.objects.select_related("course").order_by("title"),
        },
    )
