"""A certificate as a PDF: Letter landscape, tagged for screen readers, with
a QR code to its verification page. Rendered by a task, never in a request."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cms.services import certificate_settings

from .models import Certificate


def certificate_verify_url(certificate: Certificate) -> str:
    """The public verification page of the certificate, as an absolute URL."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("courses:verify_code", args=[certificate.code])


def certificate_qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(
        scale=3, border=0, dark="#000", omitsize=False
    )


def _signature_data_uri(image) -> str | None:
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    kind = (image.file.name.rsplit(".", 1)[-1] or "png").lower()
    mime = {"jpg": "jpeg", "svg": "svg+xml"}.get(kind, kind)
    return f"data:image/{mime};base64,{base64.b64encode(data).decode('ascii')}"


def certificate_pdf_build(*, certificate: Certificate) -> bytes:
    """The PDF's bytes. Everything printed comes from the certificate as it
    was issued and the site's certificate settings, and the file carries no
    time of rendering, so rendering again gives the same bytes."""
    from weasyprint import HTML

    options = certificate_settings()
    url = certificate_verify_url(certificate)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "courses/certificates/pdf.html",
            {
                "certificate": certificate,
                "settings": options,
                "issuer_url": options.issuer_url_or_default(),
                "verify_url": url,
                "qr_svg": certificate_qr_svg(url),
                "signature": _signature_data_uri(options.signature_image),
            },
        )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(
        pdf_tags=True,
        # A fixed identifier (the code) keeps the bytes the same each time.
        pdf_identifier=certificate.code.encode("ascii"),
    )
