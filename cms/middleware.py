"""Request checks every page shares: the Content-Security-Policy, session
timeouts and staff two-step verification."""

from __future__ import annotations

from urllib.parse import urlencode

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import mfa, sessions

# What a signed-in member of staff may reach before the second step.
UNVERIFIED_STAFF_MAY_USE = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "mfa_setup",
    "mfa_verify",
    "mfa_recovery",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "session_keepalive",
    "health",
}


class StaffVerificationMiddleware:
    """Staff (whoever may reach the admin) pass a second factor before any
    page, not only the admin: the site's grading and hour-verification pages
    change records as much as the admin does.

    Unverified staff are sent to set up two-step verification, or to enter a
    code, and then on to the page they asked for. Needs
    ``django_otp.middleware.OTPMiddleware`` before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not self._exempt(request)  # first: it asks the database nothing
            and mfa.user_needs_mfa(user)
            and not user.is_verified()
        ):
            name = "mfa_verify" if mfa.mfa_enrolled(user) else "mfa_setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(name)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        path = request.path_info
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # a 404 page shows nothing
        return match.url_name in UNVERIFIED_STAFF_MAY_USE or getattr(
            match.func, "second_factor_exempt", False
        )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header, with the admin's own directives under /admin/:
    Wagtail's admin still writes some inline scripts, so there scripts may
    be inline and no nonce is sent (a nonce would switch 'unsafe-inline'
    off)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(_admin_prefix()):
            parts.replace = {
                **(parts.replace or {}),
                **settings.CONTENT_SECURITY_POLICY_ADMIN,
            }
            parts.nonce = None
        return parts


def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


class SessionTimeoutMiddleware:
    """Signs out a session idle for longer than the person's role allows, or
    older than the absolute lifetime, unless a hold is on (a running exam
    attempt); the next page then asks them to sign in again and says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = sessions.session_expiry_reason(request, timezone.now())
            if reason is not None:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after a while without activity.")
                    if reason == "idle"
                    else _("You were signed out: please sign in again."),
                )
        return self.get_response(request)
