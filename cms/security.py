"""Small request helpers the sign-in protections share."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address a request came from.

    ``X-Forwarded-For`` is trusted only as far as ``TRUSTED_PROXY_COUNT``
    reverse proxies of our own append to it: the entry that many places from
    the right is the one the outermost proxy saw. Anything further left was
    written by the client and could be anything, so it is never used.
    """
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a value, not a bind
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-count] if len(forwarded) >= count else forwarded[0]
