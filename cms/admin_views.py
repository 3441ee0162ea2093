"""Admin pages for the site's own records: sign-in lockouts and staff
two-step verification."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import lockouts, mfa
from .permissions import user_can_reset_mfa, user_can_unlock_sign_ins


def lockout_list(request):
    """Who may not sign in now, and an Unlock button for each."""
    if not user_can_unlock_sign_ins(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "cms/admin/lockouts.html",
        {
            "lockouts": lockouts.lockouts_current(),
            "failure_limit": lockouts.settings.AXES_FAILURE_LIMIT,
            "cool_off_minutes": lockouts.cool_off_minutes(),
            "page_title": gettext_lazy("Sign-in lockouts"),
            "header_title": gettext_lazy("Sign-in lockouts"),
            "header_icon": "lock",
        },
    )


@require_POST
def lockout_unlock(request):
    if not user_can_unlock_sign_ins(request.user):
        raise PermissionDenied
    username = request.POST.get("username", "").strip()
    ip_address = request.POST.get("ip_address", "").strip()
    if not username or not ip_address:
        messages.error(request, _("Choose a lockout to unlock."))
        return redirect("cms_lockouts")
    removed = lockouts.lockout_clear(
        username=username, ip_address=ip_address, actor=request.user, request=request
    )
    if removed:
        messages.success(
            request,
            _("%(username)s may sign in again from %(ip)s.")
            % {"username": username, "ip": ip_address},
        )
    else:
        messages.warning(
            request,
            _("%(username)s was not locked out from %(ip)s.")
            % {"username": username, "ip": ip_address},
        )
    return redirect("cms_lockouts")


def mfa_staff(request):
    """Each member of staff's two-step verification, with a Reset button."""
    if not user_can_reset_mfa(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "cms/admin/mfa_staff.html",
        {
            "staff": mfa.staff_mfa_status(),
            "required": mfa.settings.MFA_REQUIRED_FOR_STAFF,
            "page_title": gettext_lazy("Two-step verification"),
            "header_title": gettext_lazy("Two-step verification"),
            "header_icon": "key",
        },
    )


@require_POST
def mfa_reset(request, user_id: int):
    if not user_can_reset_mfa(request.user):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if person.pk == request.user.pk:
        messages.error(
            request,
            _(
                "You cannot reset your own two-step verification; ask another "
                "administrator."
            ),
        )
        return redirect("cms_mfa_staff")
    mfa.mfa_reset(user=person, actor=request.user, request=request)
    messages.success(
        request,
        _(
            "Two-step verification of %(person)s was reset: they set it up "
            "again the next time they open a page."
        )
        % {"person": person.email},
    )
    return redirect("cms_mfa_staff")
