"""The application packet as a PDF in the board's layout, rendered in a task
(``courses.tasks.application_packet_build``) with WeasyPrint, like the
verification of training hours."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cms.services import certificate_settings


def packet_pdf_build(*, contents, packet) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "courses/packets/packet_pdf.html",
            {
                "c": contents,
                "record": contents.hour_record,
                "packet": packet,
                "issuer_name": certificate_settings().issuer_name_or_default(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)
