"""Class days and attendance, kept in step with the ledger."""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User

from ..models import (
    Attendance,
    AttendanceUpload,
    ClassSession,
    CohortSeat,
    HourEntry,
    ModulePage,
)
from .certificates import certificates_check_later
from .ledger import entry_credit, entry_reverse

CENT = Decimal("0.01")


def split_minutes(*, minutes: int, modules: list[ModulePage]) -> dict[int, Decimal]:
    """Hours attended, shared among the modules' categories in proportion to
    each module's credit hours; rounded to cents without losing a cent."""
    hours = (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)
    weights: dict[int, Decimal] = {}
    for module in modules:
        weights[module.hour_category_id] = (
            weights.get(module.hour_category_id, Decimal(0)) + module.credit_hours
        )
    total_weight = sum(weights.values(), Decimal(0))
    if hours <= 0 or total_weight <= 0:
        return {}
    shares: dict[int, Decimal] = {}
    remaining = hours
    items = sorted(weights.items())
    for index, (category_id, weight) in enumerate(items):
        if index == len(items) - 1:
            share = remaining
        else:
            share = (hours * weight / total_weight).quantize(CENT, ROUND_HALF_UP)
        remaining -= share
        if share > 0:
            shares[category_id] = share
    return shares


def validate_attendance(*, session: ClassSession, status: str, minutes: int) -> None:
    if status not in Attendance.Status.values:
        raise ValidationError(
            {"status": _("Choose present, late, left early or absent.")}
        )
    if minutes < 0:
        raise ValidationError({"minutes_present": _("Minutes must be 0 or more.")})
    if minutes > session.duration_minutes:
        raise ValidationError(
            {
                "minutes_present": _(
                    "%(minutes)s is more than the %(duration)s minutes "
                    "of the class day."
                )
                % {"minutes": minutes, "duration": session.duration_minutes}
            }
        )
    if status == Attendance.Status.ABSENT and minutes != 0:
        raise ValidationError(
            {"minutes_present": _("An absent trainee has 0 minutes.")}
        )
    if status != Attendance.Status.ABSENT and minutes == 0:
        raise ValidationError(
            {"minutes_present": _("Enter the minutes the trainee was present.")}
        )


@transaction.atomic
def attendance_record(
    *, session: ClassSession, trainee: User, status: str, minutes: int, by: User
) -> Attendance:
    """Record or correct a trainee's attendance and keep the ledger in step.

    A change reverses every hour credited for the previous mark and credits
    the new minutes, so the ledger shows both. An unchanged mark is a no-op.
    """
    validate_attendance(session=session, status=status, minutes=minutes)
    if not CohortSeat.objects.filter(
        cohort_id=session.cohort_id,
        trainee=trainee,
        status=CohortSeat.Status.CONFIRMED,
    ).exists():
        raise ValidationError(
            _("%(trainee)s has no seat in this cohort.")
            % {"trainee": trainee.legal_name}
        )
    now = timezone.now()
    attendance = (
        Attendance.objects.select_for_update()
        .filter(session=session, trainee=trainee)
        .first()
    )
    if attendance is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    session=session,
                    trainee=trainee,
                    status=status,
                    minutes_present=minutes,
                    recorded_by=by,
                    recorded_at=now,
                )
            _attendance_credit(attendance=attendance, by=by)
            certificates_check_later(trainee_id=trainee.pk)
            return attendance
        except IntegrityError:
            attendance = Attendance.objects.select_for_update().get(
                session=session, trainee=trainee
            )
    if attendance.status == status and attendance.minutes_present == minutes:
        return attendance
    audit.record(
        "attendance.corrected",
        actor=by,
        target=attendance,
        trainee=trainee.pk,
        session=session.pk,
        old={"status": attendance.status, "minutes": attendance.minutes_present},
        new={"status": status, "minutes": minutes},
    )
    _attendance_reverse(attendance=attendance, by=by)
    attendance.status = status
    attendance.minutes_present = minutes
    attendance.revision += 1
    attendance.recorded_by = by
    attendance.recorded_at = now
    attendance.save()
    _attendance_credit(attendance=attendance, by=by)
    certificates_check_later(trainee_id=trainee.pk)
    return attendance


def _attendance_credit(*, attendance: Attendance, by: User) -> None:
    modules = list(attendance.session.modules.all())
    shares = split_minutes(minutes=attendance.minutes_present, modules=modules)
    titles = ", ".join(module.title for module in modules)
    for category_id, hours in shares.items():
        entry_credit(
            trainee_id=attendance.trainee_id,
            kind=HourEntry.Kind.TRAINING,
            category_id=category_id,
            hours=hours,
            earned_on=attendance.session.date,
            source=HourEntry.Source.ATTENDANCE,
            source_key=(
                f"attendance:{attendance.pk}:r{attendance.revision}:{category_id}"
            ),
            session=attendance.session,
            attendance=attendance,
            description=titles[:300],
            status=HourEntry.Status.VERIFIED,
            verified_by=by,
            verified_at=timezone.now(),
            created_by=by,
        )


def _attendance_reverse(*, attendance: Attendance, by: User) -> None:
    live_entries = HourEntry.objects.filter(
        attendance=attendance, reverses__isnull=True, reversed_by__isnull=True
    )
    for entry in live_entries:
        entry_reverse(entry=entry, by=by, reason=_("Attendance corrected"))


@transaction.atomic
def attendance_upload_apply(
    *, session: ClassSession, data: bytes, rows: list, by: User
) -> int | None:
    """Apply parsed sign-in sheet rows once per distinct workbook.

    Returns the number of rows applied, or None when this exact workbook was
    already applied to this class day.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        with transaction.atomic():
            upload = AttendanceUpload.objects.create(
                session=session,
                sha256=digest,
                uploaded_by=by,
                uploaded_at=timezone.now(),
            )
    except IntegrityError:
        return None
    trainees = User.objects.in_bulk([row.trainee_id for row in rows])
    for row in rows:
        attendance_record(
            session=session,
            trainee=trainees[row.trainee_id],
            status=row.status,
            minutes=row.minutes,
            by=by,
        )
    upload.rows_applied = len(rows)
    upload.save(update_fields=["rows_applied"])
    audit.record(
        "attendance.sheet_uploaded",
        actor=by,
        target=session,
        sha256=digest,
        rows=len(rows),
    )
    return len(rows)
