"""Rate limits (django-ratelimit) on the pages an attacker would hammer:
sign-in, sign-up, password reset and the pages that take a code from a
link or an app. Counted per client address (per person for the two-step
code) in the shared ``ratelimit`` cache; over the limit, HTTP 429 and a
readable page (``rate_limited``, the ``RATELIMIT_VIEW``).

The rates live in ``settings.RATE_LIMITS`` and are read on every request,
so each can be changed from the environment (see settings).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import ALL, UNSAFE
from django_ratelimit.decorators import ratelimit

from .security import client_ip

__all__ = ["ALL", "UNSAFE", "limit", "rate_limited"]


def _rate(group: str, request) -> str | None:
    return settings.RATE_LIMITS.get(group)


def _by_ip(group: str, request) -> str:
    return client_ip(request)


def _by_person(group: str, request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return client_ip(request)


def limit(group: str, *, method=UNSAFE, per: str = "ip"):
    """Limit a view to ``settings.RATE_LIMITS[group]`` requests (of
    ``method``) per client address, or per signed-in person."""
    return ratelimit(
        group=group,
        key=_by_person if per == "person" else _by_ip,
        rate=_rate,
        method=method,
        block=True,
    )


def rate_limited(request, exception=None):
    """Too many requests: say so, and when to try again."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "600"
    return response
