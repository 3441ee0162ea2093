"""Serving private files: evidence, documents, letters, certificates and
packets, each to the few people its view has already allowed."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse

from ..validators import sniff_evidence_type


def private(response: HttpResponse) -> HttpResponse:
    """Never cached, and never read as anything but the type it is sent as."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file_response(
    stored,
    *,
    name: str,
    content_type: str | None = None,
    as_attachment: bool = True,
) -> FileResponse:
    """A stored file as a private response named ``name`` (plus, when no
    ``content_type`` is given, the extension of the type its first bytes
    show). A download by default: an uploaded file never acts as a page of
    the site. A file missing from storage is a 404."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    if content_type is None:
        kind = sniff_evidence_type(handle.read(16))
        handle.seek(0)
        content_type = kind[1] if kind else "application/octet-stream"
        name = f"{name}.{kind[0] if kind else 'bin'}"
    return private(
        FileResponse(
            handle,
            content_type=content_type,
            as_attachment=as_attachment,
            filename=name,
        )
    )
