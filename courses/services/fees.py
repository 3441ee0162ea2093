"""Recording an application fee: administrators only, audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cms import audit
from cms.models import User

from ..models.fees import FeePayment
from ..permissions_supervision import user_can_record_fees


@transaction.atomic
def fee_record(
    *, trainee: User, credential, amount, paid_on, reference: str, by: User
) -> FeePayment:
    if not user_can_record_fees(by):
        raise PermissionDenied
    payment = FeePayment(
        trainee=trainee,
        credential=credential,
        amount=amount,
        paid_on=paid_on,
        reference=reference.strip(),
        recorded_by=by,
    )
    payment.full_clean()
    payment.save()
    audit.record(
        "application.fee_recorded",
        actor=by,
        target=payment,
        trainee=trainee,
        credential=credential.slug,
        amount=amount,
        paid_on=paid_on,
        reference=payment.reference,
    )
    return payment
