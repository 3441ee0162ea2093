"""Admin pages for the site's own records: sign-in lockouts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import lockouts
from .permissions import user_can_unlock_sign_ins


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
