"""The program's PDFs in the board's layouts, rendered with WeasyPrint in a
task, never in a request: the verification of training hours signed off by
the program, and the application packet. (Certificates, with their QR code
and signature image, are ``certificate_pdf``.)"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cms.services import certificate_settings


def render_pdf(template_name: str, context: dict) -> bytes:
    """A template rendered in the site's language, with the issuer's name,
    as a tagged PDF."""
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            template_name,
            {
                **context,
                "issuer_name": certificate_settings().issuer_name_or_default(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)


def hour_record_pdf_build(*, record, signed_by, signed_on: datetime.date) -> bytes:
    return render_pdf(
        "courses/hours/record_pdf.html",
        {"record": record, "signed_by": signed_by, "signed_on": signed_on},
    )


def packet_pdf_build(*, contents, packet) -> bytes:
    return render_pdf(
        "courses/packets/packet_pdf.html",
        {"c": contents, "record": contents.hour_record, "packet": packet},
    )
