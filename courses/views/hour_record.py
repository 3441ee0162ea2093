"""The verification of training hours: the trainee's own, and any trainee's
for those who may view their ledger; Excel export and signed PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cms.access import role_required
from cms.models import User
from cms.spreadsheets import xlsx_response

from .. import selectors, spreadsheets
from ..models import Credential
from ..permissions import (
    user_can_export_ledgers,
    user_can_study,
    user_can_view_ledger,
)


def _record_page(request, trainee):
    credentials = list(Credential.objects.order_by("name"))
    wanted = request.POST.get("credential") or request.GET.get("credential")
    credential = next(
        (c for c in credentials if str(c.pk) == wanted),
        credentials[-1] if credentials else None,
    )
    may_sign_off = user_can_export_ledgers(request.user)
    if request.method == "POST":
        if not may_sign_off:
            raise PermissionDenied
        from ..tasks import hour_record_sign_off_send

        hour_record_sign_off_send.enqueue(
            trainee.pk, credential.pk if credential else None, request.user.pk
        )
        messages.success(
            request,
            _(
                "Signed off. The PDF is being prepared and will be emailed to "
                "you at %(email)s."
            )
            % {"email": request.user.email},
        )
        return redirect(request.get_full_path())
    record = selectors.hour_verification_record(trainee=trainee, credential=credential)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            spreadsheets.hour_record_build(record=record),
            f"verification-of-hours-{trainee.pk}.xlsx",
        )
    return render(
        request,
        "courses/hours/record.html",
        {"record": record, "credentials": credentials, "may_sign_off": may_sign_off},
    )


@role_required(user_can_study)
def my_hour_record(request):
    if request.method == "POST":
        raise PermissionDenied
    return _record_page(request, request.user)


def trainee_hour_record(request, trainee_id: int):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    trainee = get_object_or_404(User, pk=trainee_id)
    if not user_can_view_ledger(request.user, trainee) or trainee == request.user:
        raise PermissionDenied
    return _record_page(request, trainee)
