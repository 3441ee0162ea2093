"""Two-step verification pages for staff (see cms.mfa)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .. import mfa
from ..forms import OneTimeCodeForm
from ..ratelimits import limit


def _next_url(request) -> str:
    """Where to go once verified: the page asked for, if it is ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _with_next(name: str, next_url: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _staff_only(request):
    # Two-step verification is for people who reach the admin; anyone else
    # has no such page.
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise Http404


def _is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@never_cache
@sensitive_post_parameters("code")
@login_required
@limit("mfa", per="person")
def mfa_setup(request):
    """First time: scan the QR code (or type the secret), confirm a code, and
    see ten backup codes once."""
    _staff_only(request)
    next_url = _next_url(request)
    if mfa.mfa_enrolled(request.user):
        return redirect(_with_next("mfa_verify", next_url))
    device = mfa.totp_device_pending(user=request.user)
    form = OneTimeCodeForm(
        request.POST or None,
        label=gettext_lazy("The 6-digit code your app shows"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.mfa_enrol_confirm(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "registration/mfa_backup_codes.html",
                {"codes": codes, "next": next_url, "first_time": True},
            )
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": mfa.totp_qr_svg(device),
            "secret": mfa.totp_secret_display(device),
        },
    )


def _code_page(request, *, backup_only: bool):
    _staff_only(request)
    next_url = _next_url(request)
    if not mfa.mfa_enrolled(request.user):
        return redirect(_with_next("mfa_setup", next_url))
    if _is_verified(request):
        return redirect(next_url)
    if backup_only:
        form = OneTimeCodeForm(request.POST or None, label=gettext_lazy("Backup code"))
    else:
        form = OneTimeCodeForm(
            request.POST or None,
            label=gettext_lazy("Code"),
            help_text=gettext_lazy(
                "The 6-digit code your authenticator app shows, or one of your "
                "backup codes."
            ),
        )
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa.mfa_verify(
                request=request,
                code=form.cleaned_data["code"],
                backup_only=backup_only,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if device.persistent_id.startswith("otp_static."):
                left = mfa.backup_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You used a backup code; %(left)s are left. Make new ones "
                        "under My account → Backup codes."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": next_url, "backup_only": backup_only},
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
@limit("mfa", per="person")
def mfa_verify(request):
    """After signing in: a code from the app, or a backup code."""
    return _code_page(request, backup_only=False)


@never_cache
@sensitive_post_parameters("code")
@login_required
@limit("mfa", per="person")
def mfa_recovery(request):
    """Lost the phone: a backup code, or an administrator's reset."""
    return _code_page(request, backup_only=True)


@never_cache
@login_required
def mfa_backup_codes(request):
    """How many backup codes are left, and a fresh set shown once."""
    _staff_only(request)
    if not mfa.mfa_enrolled(request.user):
        return redirect(_with_next("mfa_setup", request.get_full_path()))
    if request.method == "POST":
        codes = mfa.backup_codes_issue(user=request.user)
        return render(
            request,
            "registration/mfa_backup_codes.html",
            {"codes": codes, "next": reverse("account"), "first_time": False},
        )
    return render(
        request,
        "registration/mfa_backup_codes.html",
        {"codes_left": mfa.backup_codes_left(request.user)},
    )
