"""Certificates: the trainee's list and downloads, and the public
verification page anyone can use to check a code."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from cms.access import role_required

from .. import selectors
from ..models import Certificate, certificate_code_normalise
from ..permissions import user_can_view_certificate, user_can_view_certificates
from .files import private_file_response


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
    return private_file_response(
        certificate.pdf,
        name=f"certificate-{certificate.code[:8].lower()}.pdf",
        content_type="application/pdf",
    )


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


# Open Badges 3.0 ----------------------------------------------------------------


def _badge_download(request, code: str, *, signed: bool):
    from django.core.exceptions import ImproperlyConfigured
    from django.http import HttpResponse

    from .. import badges

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    certificate = _certificate_for(request, code)
    stem = f"certificate-{certificate.code[:8].lower()}"
    if signed:
        try:
            body = badges.credential_jwt(certificate)
        except ImproperlyConfigured:
            messages.error(
                request,
                _(
                    "Signed credentials are not available yet: the site has no "
                    "issuer key. Ask an administrator."
                ),
            )
            return redirect("courses:my_certificates")
        response = HttpResponse(body, content_type="application/vc+jwt")
        response["Content-Disposition"] = f'attachment; filename="{stem}.jwt"'
    else:
        response = HttpResponse(
            badges.credential_json(certificate), content_type="application/vc+ld+json"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_badge_json(request, code: str):
    """The certificate as an Open Badges 3.0 credential, readable JSON."""
    return _badge_download(request, code, signed=False)


def certificate_badge_jwt(request, code: str):
    """The same credential signed as a compact VC-JWT."""
    return _badge_download(request, code, signed=True)


@never_cache
@ratelimit(key="ip", rate=verify_rate, block=True)
def credential_status(request, code: str):
    """The credential's status: a revocation list naming it once revoked
    or superseded. Unknown codes get a 404."""
    from django.http import JsonResponse

    from .. import badges

    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404
    return JsonResponse(badges.revocation_list(certificate))


def achievement(request, course_id: int):
    """What an Open Badge's achievement is: the course, as JSON."""
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from ..models import CoursePage

    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    return JsonResponse(
        {
            "id": request.build_absolute_uri(),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": course.title,
            "description": course.summary or course.title,
            "criteria": {"id": request.build_absolute_uri(course.url)},
        }
    )


def _issuer_document(request, build):
    from django.core.exceptions import ImproperlyConfigured
    from django.http import JsonResponse

    try:
        document = build()
    except ImproperlyConfigured as error:
        raise Http404 from error
    response = JsonResponse(document)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def did_document(request):
    """The issuer's did:web document, with its public key."""
    from .. import badges

    return _issuer_document(request, badges.did_document)


def jwks(request):
    """The issuer's public key as a JSON Web Key Set."""
    from .. import badges

    return _issuer_document(request, badges.jwks)


@ratelimit(key="ip", rate=verify_rate, block=True)
def verify_credential(request):
    """Check an uploaded or pasted signed credential (.jwt)."""
    from django.views.decorators.http import require_POST

    from .. import badges

    @require_POST
    def check(request):
        upload = request.FILES.get("credential_file")
        text = request.POST.get("credential", "")
        if upload is not None:
            if upload.size > 200_000:
                text = ""
                problems = [_("The file is too large to be a credential.")]
            else:
                try:
                    text = upload.read().decode("utf-8")
                    problems = []
                except UnicodeDecodeError:
                    text, problems = "", [_("The file is not a credential.")]
        else:
            problems = []
        if not problems and not text.strip():
            problems = [_("Choose the .jwt file, or paste the credential.")]
        result = (
            badges.credential_verify(_jwt_from(text))
            if not problems
            else badges.CredentialCheck(problems=problems)
        )
        response = render(
            request,
            "courses/certificates/verify.html",
            {
                "certificate": result.certificate if result.ok else None,
                "credential_check": result,
                "show_form_only": True,
                "form_code": "",
            },
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return check(request)


def _jwt_from(text: str) -> str:
    """The compact JWT in what was uploaded: the .jwt itself, or a VC 2.0
    EnvelopedVerifiableCredential carrying it as a data: URL."""
    import json

    text = text.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return ""
        if not isinstance(data, dict):
            return ""
        envelope = str(data.get("id", ""))
        prefix = "data:application/vc+jwt,"
        return envelope[len(prefix) :] if envelope.startswith(prefix) else ""
    return text
