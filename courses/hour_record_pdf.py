"""The verification of training hours as a PDF signed off by the program:
rendered in a task and emailed to the administrator who signed it off."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cms.services import certificate_settings


def hour_record_pdf_build(*, record, signed_by, signed_on: datetime.date) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "courses/hours/record_pdf.html",
            {
                "record": record,
                "signed_by": signed_by,
                "signed_on": signed_on,
                "issuer_name": certificate_settings().issuer_name_or_default(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)
