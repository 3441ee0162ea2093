"""The hour ledger: crediting, reversing, hours from elsewhere, verification.

Rows are append-only: each has a unique source key, so crediting the same
thing twice is a no-op, and a correction is a reversing row."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User

from ..models import (
    HourCategory,
    HourEntry,
)


def entry_credit(**fields) -> HourEntry | None:
    """Create a ledger row unless its source key exists; never raises on a
    duplicate, because a duplicate means the hours are already credited."""
    fields.setdefault("created_at", timezone.now())
    try:
        with transaction.atomic():
            return HourEntry.objects.create(**fields)
    except IntegrityError:
        if HourEntry.objects.filter(source_key=fields["source_key"]).exists():
            return None
        raise


def entry_reverse(*, entry: HourEntry, by: User, reason: str) -> HourEntry | None:
    """Cancel an entry with a negative twin; the original stays visible.

    A certificate that covers the entry is never changed by it: it is
    flagged for an administrator to review."""
    from .certificates import certificates_flag_for_review

    reversal = entry_credit(
        trainee_id=entry.trainee_id,
        kind=entry.kind,
        category_id=entry.category_id,
        hours=-entry.hours,
        earned_on=entry.earned_on,
        source=entry.source,
        source_key=f"reversal:{entry.pk}",
        module_id=entry.module_id,
        session_id=entry.session_id,
        attendance_id=entry.attendance_id,
        reverses=entry,
        description=reason[:300],
        status=entry.status,
        created_by=by,
    )
    if reversal is not None:
        audit.record(
            "hours.reversed",
            actor=by,
            target=entry,
            reason=reason,
            trainee=entry.trainee_id,
            hours=entry.hours,
            reversal=reversal.pk,
        )
        certificates_flag_for_review(
            entry_ids=[entry.pk],
            reason=_("%(hours)s hours of %(entry)s were reversed: %(reason)s")
            % {"hours": entry.hours, "entry": entry.description, "reason": reason},
        )
    return reversal


@transaction.atomic
def external_hours_submit(
    *,
    trainee: User,
    category: HourCategory,
    hours: Decimal,
    earned_on: datetime.date,
    description: str,
    provider: str,
    evidence,
    submission_id: uuid.UUID,
) -> HourEntry | None:
    """Record hours from elsewhere as pending until a trainer verifies them.

    ``submission_id`` comes from the form, so submitting the same form twice
    records the hours once (the second call returns None).
    """
    return entry_credit(
        trainee=trainee,
        kind=HourEntry.Kind.TRAINING,
        category=category,
        hours=hours,
        earned_on=earned_on,
        source=HourEntry.Source.EXTERNAL_UPLOAD,
        source_key=f"external:{trainee.pk}:{submission_id}",
        description=description,
        provider=provider,
        evidence=evidence,
        evidence_name=getattr(evidence, "name", "")[:255],
        status=HourEntry.Status.PENDING,
        created_by=trainee,
    )


@transaction.atomic
def entry_decide(
    *, entry: HourEntry, by: User, verify: bool, reason: str = ""
) -> HourEntry:
    """Verify or reject a pending entry, once. A rejection needs a reason."""
    entry = HourEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != HourEntry.Status.PENDING:
        raise ValidationError(_("These hours have already been decided."))
    if entry.trainee_id == by.pk:
        raise PermissionDenied(_("You cannot verify your own hours."))
    reason = reason.strip()
    if not verify and not reason:
        raise ValidationError(
            {"reason": _("Say why the hours are rejected; the trainee will see it.")}
        )
    entry.status = HourEntry.Status.VERIFIED if verify else HourEntry.Status.REJECTED
    entry.status_reason = reason
    entry.verified_by = by
    entry.verified_at = timezone.now()
    entry.save(update_fields=["status", "status_reason", "verified_by", "verified_at"])
    audit.record(
        "hours.verified" if verify else "hours.rejected",
        actor=by,
        target=entry,
        reason=reason,
        trainee=entry.trainee_id,
        hours=entry.hours,
    )
    return entry
