"""Admin views for courses beyond Wagtail's generic ones."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .models import CoursePage
from .permissions import user_can_audit_curriculum
from .selectors import curriculum_audits


def curriculum_audit(request, course_id=None):
    """Each course's hours per category against its credential's minimums."""
    if not user_can_audit_curriculum(request.user):
        raise PermissionDenied
    courses = CoursePage.objects.all()
    if course_id is not None:
        get_object_or_404(CoursePage, pk=course_id)
        courses = courses.filter(pk=course_id)
    audits = curriculum_audits(courses=courses.order_by("path"))
    return TemplateResponse(
        request,
        "courses/admin/curriculum_audit.html",
        {
            "audits": audits,
            "page_title": _("Curriculum audit"),
            "header_title": _("Curriculum audit"),
            "header_icon": "tasks",
        },
    )
