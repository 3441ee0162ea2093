"""Certificates: the trainee's list and downloads, and the public
verification page anyone can use to check a code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from cms.access import role_required

from .. import selectors
from ..models import Certificate, certificate_code_normalise
from ..permissions import user_can_view_certificate, user_can_view_certificates


def verify_rate(group, request) -> str:
    """Requests per address allowed on the verify pages, from settings."""
    return settings.CERTIFICATE_VERIFY_RATE


@role_required(user_can_view_certificates)
def my_certificates(request):
    return render(
        request,
        "courses/certificates/mine.html",
        {"certificates": selectors.trainee_certificates(trainee=request.user)},
    )


def _certificate_for(request, code: str) -> Certificate:
    """The certificate, for someone allowed to download it; anyone else gets
    a 404, so a code never reveals whether it exists to the wrong person."""
    certificate = (
        Certificate.objects.filter(code=certificate_code_normalise(code)[:64])
        .select_related("trainee")
        .first()
    )
    if certificate is None or not user_can_view_certificate(request.user, certificate):
        raise Http404
    return certificate


def certificate_pdf(request, code: str):
    """Stream the certificate's PDF from private storage."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = _certificate_for(request, code)
    if not certificate.pdf:
        from ..tasks import certificate_pdf_render

        certificate_pdf_render.enqueue(certificate.pk)
        messages.info(
            request,
            _("The PDF is being prepared. It will be ready in a minute or two."),
        )
        return redirect("courses:my_certificates")
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=True,
        filename=f"certificate-{certificate.code[:8].lower()}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _verify_response(request, certificate: Certificate | None, code: str):
    # An unknown code gets the same status too: a 404 would differ in its
    # status and in the work done after the view (the redirects lookup).
    response = render(
        request,
        "courses/certificates/verify.html",
        {
            "certificate": certificate,
            "code": code,
            "form_code": code if certificate is None else "",
            "verify_url": reverse("courses:verify"),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@ratelimit(key="ip", rate=verify_rate, block=True)
def verify(request):
    """The form to type a code; a typed code goes to its page."""
    code = request.GET.get("code", "").strip()
    if code:
        normalised = certificate_code_normalise(code)
        if normalised:
            return redirect("courses:verify_code", code=normalised[:64])
    response = render(
        request,
        "courses/certificates/verify.html",
        {"certificate": None, "code": "", "form_code": code, "show_form_only": True},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@ratelimit(key="ip", rate=verify_rate, block=True)
def verify_code(request, code: str):
    """What a certificate certifies and whether it still stands. An unknown
    or malformed code gets the same page, after the same one query."""
    certificate = selectors.certificate_by_code(code)
    return _verify_response(request, certificate, code[:80])
