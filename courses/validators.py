"""Checks on uploaded files, made on their content rather than their names."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.uploads import check_size

# Leading bytes of each accepted type, and the extension it is stored under.
EVIDENCE_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)


def sniff_evidence_type(head: bytes) -> tuple[str, str] | None:
    for signature, extension, content_type in EVIDENCE_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    return None


def validate_evidence_file(upload) -> str:
    """Accept a PDF, PNG or JPEG under the size limit; return its extension.

    The type comes from the file's first bytes, so a program renamed to
    ``certificate.pdf`` is refused.
    """
    check_size(upload, limit=settings.EVIDENCE_MAX_UPLOAD_SIZE)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_evidence_type(head)
    if kind is None:
        raise ValidationError(
            _(
                "Upload the certificate as a PDF, PNG or JPEG file; this file is "
                "none of those."
            )
        )
    return kind[0]
