"""The list of exam reports."""

from __future__ import annotations

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from ..models import OralExam, WrittenExam
from ..permissions import (
    user_can_release_oral_results,
    user_can_view_exam_reports,
    user_can_view_oral_agreement,
)
from .questions import _require


def _may_see_reports(user) -> bool:
    return user_can_view_exam_reports(user) or user_can_view_oral_agreement(user)


def reports(request):
    _require(request, _may_see_reports)
    user = request.user
    return TemplateResponse(
        request,
        "exams/admin/reports.html",
        {
            "page_title": _("Exam reports"),
            "header_title": _("Exam reports"),
            "header_icon": "table",
            "exams": WrittenExam.objects.select_related("course").order_by("title")
            if user_can_view_exam_reports(user)
            else WrittenExam.objects.none(),
            # Comparing examiners by name is for administrators only.
            "oral_exams": OralExam.objects.select_related("course").order_by("title")
            if user_can_view_oral_agreement(user)
            else None,
            "may_release": user_can_release_oral_results(user),
        },
    )
