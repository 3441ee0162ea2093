"""Certificates in the admin: every certificate, who is due one, those
flagged for review; issuing by hand, revoking, reissuing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.models import User

from . import selectors, services
from .models import Certificate, CoursePage, certificate_code_normalise
from .permissions import (
    user_can_issue_certificates,
    user_can_manage_certificates,
    user_can_revoke_certificates,
)


def _page(request, template, title, context):
    return TemplateResponse(
        request,
        template,
        {
            **context,
            "page_title": title,
            "header_title": title,
            "header_icon": "doc-full",
            "may_issue": user_can_issue_certificates(request.user),
            "may_revoke": user_can_revoke_certificates(request.user),
        },
    )


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def certificate_list(request):
    if not user_can_manage_certificates(request.user):
        raise PermissionDenied
    certificates = Certificate.objects.select_related("trainee").order_by(
        "-issued_at", "-pk"
    )
    query = request.GET.get("q", "").strip()
    if query:
        code = certificate_code_normalise(query)
        certificates = certificates.filter(
            Q(legal_name__icontains=query)
            | Q(trainee__email__icontains=query)
            | Q(course_title__icontains=query)
            | (Q(code__startswith=code) if code else Q(pk__in=[]))
        )
    status = request.GET.get("status", "")
    if status in Certificate.Status.values:
        certificates = certificates.filter(status=status)
    return _page(
        request,
        "courses/admin/certificates.html",
        gettext_lazy("Certificates"),
        {
            "certificates": certificates[:200],
            "query": query,
            "status": status,
            "statuses": Certificate.Status.choices,
        },
    )


def certificate_due(request):
    if not user_can_issue_certificates(request.user):
        raise PermissionDenied
    return _page(
        request,
        "courses/admin/certificates_due.html",
        gettext_lazy("Certificates due"),
        {"due": selectors.certificates_due()},
    )


@require_POST
def certificate_issue(request):
    if not user_can_issue_certificates(request.user):
        raise PermissionDenied
    trainee_id = request.POST.get("trainee", "")
    course_id = request.POST.get("course", "")
    trainee = (
        User.objects.filter(pk=trainee_id).first() if trainee_id.isdigit() else None
    )
    course = (
        CoursePage.objects.filter(pk=course_id).first() if course_id.isdigit() else None
    )
    if trainee is None or course is None:
        messages.error(request, _("Choose a trainee and a course from the list."))
        return redirect("courses_certificates_due")
    try:
        certificate, created = services.certificate_issue(
            trainee=trainee,
            course=course,
            by=request.user,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("courses_certificates_due")
    if created:
        messages.success(
            request,
            _("Certificate %(code)s issued to %(name)s.")
            % {"code": certificate.grouped_code, "name": certificate.legal_name},
        )
    else:
        messages.info(
            request,
            _("%(name)s already holds a valid certificate of this course.")
            % {"name": certificate.legal_name},
        )
    return redirect("courses_certificate_detail", certificate.pk)


def certificate_detail(request, certificate_id: int):
    if not user_can_manage_certificates(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "trainee", "issued_by", "revoked_by", "superseded_by"
        ),
        pk=certificate_id,
    )
    return _page(
        request,
        "courses/admin/certificate_detail.html",
        certificate.course_title,
        {
            "certificate": certificate,
            "entries": certificate.entries.select_related("category"),
            "name_changed": certificate.trainee.legal_name != certificate.legal_name,
        },
    )


@require_POST
def certificate_action(request, certificate_id: int, action: str):
    if not user_can_revoke_certificates(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(Certificate, pk=certificate_id)
    reason = request.POST.get("reason", "")
    try:
        if action == "revoke":
            services.certificate_revoke(
                certificate=certificate, by=request.user, reason=reason
            )
            messages.success(request, _("Certificate revoked; the trainee is told."))
        elif action == "reissue":
            certificate = services.certificate_reissue(
                certificate=certificate, by=request.user, reason=reason
            )
            messages.success(
                request,
                _("Reissued as %(code)s; the old certificate points to it.")
                % {"code": certificate.grouped_code},
            )
        elif action == "reviewed":
            services.certificate_review_close(
                certificate=certificate, by=request.user, note=reason
            )
            messages.success(request, _("Review recorded."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("courses_certificate_detail", certificate.pk)


def certificate_review(request):
    if not user_can_revoke_certificates(request.user):
        raise PermissionDenied
    return _page(
        request,
        "courses/admin/certificates_review.html",
        gettext_lazy("Certificates to review"),
        {"certificates": selectors.certificates_for_review()},
    )


def admin_urls():
    from django.urls import path

    return [
        path("certificates/", certificate_list, name="courses_certificates"),
        path("certificates/due/", certificate_due, name="courses_certificates_due"),
        path(
            "certificates/issue/", certificate_issue, name="courses_certificate_issue"
        ),
        path(
            "certificates/review/",
            certificate_review,
            name="courses_certificates_review",
        ),
        path(
            "certificates/<int:certificate_id>/",
            certificate_detail,
            name="courses_certificate_detail",
        ),
        path(
            "certificates/<int:certificate_id>/<str:action>/",
            certificate_action,
            name="courses_certificate_action",
        ),
    ]


def menu_url() -> str:
    return reverse("courses_certificates")
