"""Sign-in lockout: django-axes counts failed sign-ins per email address and
client address; this module normalises what it counts, draws the lockout
page, lists the pairs locked out and unlocks them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import audit


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out email address and client address before any
    password is checked.

    Only sign-ins made through a request are counted: ``authenticate()``
    called without one (a management command, the test client's ``login``)
    is no brute-force channel and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def username_of(request: HttpRequest, credentials: dict | None) -> str | None:
    """Email addresses are case-insensitive, so ``Sam@Example.org`` and
    ``sam@example.org`` share one count of failures."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username")
    if value is None:
        return None
    return str(value).strip().lower()[:255]


def cool_off_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """A readable page, for the site's sign-in and the admin's alike."""
    response = render(
        request,
        "registration/locked_out.html",
        {
            "cool_off_minutes": cool_off_minutes(),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


@dataclass(frozen=True)
class Lockout:
    """One email address and client address refused sign-in."""

    username: str
    ip_address: str
    failures: int
    last_failure: datetime
    locked_until: datetime


def lockouts_current(*, now: datetime | None = None) -> list[Lockout]:
    """Every email address and client address locked out now, most recent
    first (failures older than the cool-off no longer count)."""
    now = now or timezone.now()
    since = now - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lockout(
            username=row["username"] or "",
            ip_address=row["ip_address"] or "",
            failures=row["failures"],
            last_failure=row["last"],
            locked_until=row["last"] + settings.AXES_COOLOFF_TIME,
        )
        for row in rows
    ]


def lockout_clear(*, username: str, ip_address: str, actor=None, request=None) -> int:
    """Forget the failed sign-ins of one email address from one address, so
    it may sign in again at once. Returns how many records were removed."""
    with transaction.atomic():
        removed, _ = AccessAttempt.objects.filter(
            username=username or None, ip_address=ip_address or None
        ).delete()
        if removed:
            audit.record(
                "auth.unlocked",
                actor=actor,
                target=_user_named(username),
                request=request,
                username=username,
                ip_address=ip_address,
            )
    return removed


def _user_named(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(email__iexact=username).first()


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes' ``user_locked_out`` signal: into the audit log."""
    audit.record(
        "auth.locked_out",
        actor=None,
        target=_user_named(username),
        request=request,
        username=username or "",
        ip_address=ip_address or "",
    )
