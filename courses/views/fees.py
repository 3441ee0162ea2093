"""Application fees: administrators record what trainees have paid."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cms.access import role_required

from ..forms_supervision import FeePaymentForm
from ..models.fees import FeePayment
from ..permissions import user_can_record_fees
from ..services import fees as services


@role_required(user_can_record_fees)
def fees(request):
    if request.method == "POST":
        form = FeePaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.fee_record(
                trainee=form.trainee,
                credential=data["credential"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
                by=request.user,
            )
            messages.success(request, _("The fee is recorded."))
            return redirect("courses:fees")
    else:
        form = FeePaymentForm()
    return render(
        request,
        "courses/documents/fees.html",
        {
            "form": form,
            "payments": FeePayment.objects.select_related(
                "trainee", "credential", "recorded_by"
            )[:50],
        },
    )
