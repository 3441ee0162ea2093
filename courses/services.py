"""Writes for the learning journey and the hour ledger.

Every function validates, runs in one transaction and is safe to call twice:
the database (unique source keys, unique progress rows, row locks on the
cohort and the attendance row) guarantees that nothing is credited twice,
whatever the timing of the calls.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import roles
from cms.models import User

from .models import (
    Attendance,
    AttendanceUpload,
    ClassSession,
    Cohort,
    CohortSeat,
    CoursePage,
    Enrollment,
    HourCategory,
    HourEntry,
    LessonPage,
    LessonProgress,
    ModulePage,
)

CENT = Decimal("0.01")


# Enrollment and cohort seats ------------------------------------------------


def course_offers_online_study(course: CoursePage) -> bool:
    return (
        ModulePage.objects.live()
        .child_of(course)
        .filter(delivery=ModulePage.Delivery.ONLINE)
        .exists()
    )


@transaction.atomic
def enrollment_create(*, trainee: User, course: CoursePage) -> Enrollment:
    """Enroll a trainee in a course's online modules (idempotent)."""
    if not course.live:
        raise ValidationError(_("This course is not open for enrollment."))
    if not course_offers_online_study(course):
        raise ValidationError(
            _("This course is taught in class days only: request a seat in a cohort.")
        )
    return enrollment_ensure(trainee=trainee, course=course)


def enrollment_ensure(*, trainee: User, course: CoursePage) -> Enrollment:
    try:
        with transaction.atomic():
            enrollment, _created = Enrollment.objects.get_or_create(
                trainee=trainee, course=course
            )
    except IntegrityError:  # a concurrent request created it first
        enrollment = Enrollment.objects.get(trainee=trainee, course=course)
    if enrollment.status != Enrollment.Status.ACTIVE:
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.save(update_fields=["status"])
    return enrollment


def cohort_confirmed_count(cohort: Cohort) -> int:
    return cohort.seats.filter(status=CohortSeat.Status.CONFIRMED).count()


@transaction.atomic
def seat_request(*, trainee: User, cohort: Cohort) -> CohortSeat:
    """Ask for a seat in a cohort; a trainer confirms it within capacity."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not cohort.accepting_requests or cohort.end_date < timezone.localdate():
        raise ValidationError(_("This cohort is not taking requests."))
    if cohort_confirmed_count(cohort) >= cohort.capacity:
        raise ValidationError(_("This cohort is full."))
    seat = CohortSeat.objects.filter(cohort=cohort, trainee=trainee).first()
    if seat is None:
        return CohortSeat.objects.create(cohort=cohort, trainee=trainee)
    if seat.status == CohortSeat.Status.WITHDRAWN:
        seat.status = CohortSeat.Status.REQUESTED
        seat.decided_at = seat.decided_by = None
        seat.save(update_fields=["status", "decided_at", "decided_by"])
    elif seat.status == CohortSeat.Status.DECLINED:
        raise ValidationError(_("Your request for this cohort was declined."))
    return seat


@transaction.atomic
def seat_confirm(*, seat: CohortSeat, by: User) -> CohortSeat:
    """Confirm a requested seat, refusing once the cohort is full.

    The cohort row is locked first, so two confirmations racing for the last
    seat are serialised and the second sees the cohort full.
    """
    cohort = Cohort.objects.select_for_update().get(pk=seat.cohort_id)
    seat = CohortSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.status == CohortSeat.Status.CONFIRMED:
        return seat
    if cohort_confirmed_count(cohort) >= cohort.capacity:
        raise ValidationError(
            _("%(cohort)s is full (%(capacity)s seats).")
            % {"cohort": cohort.name, "capacity": cohort.capacity}
        )
    seat.status = CohortSeat.Status.CONFIRMED
    seat.decided_at = timezone.now()
    seat.decided_by = by
    seat.save(update_fields=["status", "decided_at", "decided_by"])
    enrollment_ensure(trainee=seat.trainee, course=cohort.course)
    return seat


@transaction.atomic
def seat_decline(*, seat: CohortSeat, by: User) -> CohortSeat:
    seat = CohortSeat.objects.select_for_update().get(pk=seat.pk)
    if seat.status != CohortSeat.Status.REQUESTED:
        raise ValidationError(_("Only a pending request can be declined."))
    seat.status = CohortSeat.Status.DECLINED
    seat.decided_at = timezone.now()
    seat.decided_by = by
    seat.save(update_fields=["status", "decided_at", "decided_by"])
    return seat


@transaction.atomic
def seat_add(*, cohort: Cohort, email: str, by: User) -> CohortSeat:
    """A trainer enrolls a trainee by email, within capacity."""
    trainee = User.objects.filter(email__iexact=email.strip()).first()
    if trainee is None:
        raise ValidationError(
            {
                "email": _(
                    "No account uses %(email)s. Ask the trainee to sign up first."
                )
                % {"email": email}
            }
        )
    if not roles.user_has_role(trainee, roles.TRAINEE):
        raise ValidationError(
            {"email": _("%(email)s is not a trainee.") % {"email": email}}
        )
    seat, _created = CohortSeat.objects.get_or_create(cohort=cohort, trainee=trainee)
    try:
        return seat_confirm(seat=seat, by=by)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error


# Lesson progress and module credit -----------------------------------------


def _credit(**fields) -> HourEntry | None:
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


@transaction.atomic
def lesson_complete(
    *, trainee: User, lesson: LessonPage
) -> tuple[LessonProgress, HourEntry | None]:
    """Mark a lesson complete; credit its module when every lesson is done.

    Returns the progress row and the hours credited by this call, if any.
    """
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."))
    module = lesson.get_parent().specific
    course = module.get_parent().specific
    if not Enrollment.objects.filter(
        trainee=trainee, course=course, status=Enrollment.Status.ACTIVE
    ).exists():
        raise PermissionDenied(_("Enroll in the course to record your progress."))
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(
                trainee=trainee,
                lesson=lesson,
                defaults={"completed_at": timezone.now()},
            )
    except IntegrityError:
        progress = LessonProgress.objects.get(trainee=trainee, lesson=lesson)
    return progress, module_credit_if_complete(trainee=trainee, module=module)


def module_credit_if_complete(*, trainee: User, module: ModulePage) -> HourEntry | None:
    """Credit an online module's hours once all its live lessons are done."""
    if module.delivery != ModulePage.Delivery.ONLINE:
        return None  # classroom modules are credited through attendance
    lesson_ids = set(
        LessonPage.objects.live().child_of(module).values_list("pk", flat=True)
    )
    done = set(
        LessonProgress.objects.filter(
            trainee=trainee, lesson_id__in=lesson_ids
        ).values_list("lesson_id", flat=True)
    )
    if not lesson_ids or done != lesson_ids:
        return None
    return _credit(
        trainee=trainee,
        kind=HourEntry.Kind.TRAINING,
        category_id=module.hour_category_id,
        hours=module.credit_hours,
        earned_on=timezone.localdate(),
        source=HourEntry.Source.MODULE_COMPLETION,
        source_key=f"module:{trainee.pk}:{module.pk}",
        module=module,
        description=module.title,
        status=HourEntry.Status.VERIFIED,
        created_by=trainee,
    )


# Class days and attendance --------------------------------------------------


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
            return attendance
        except IntegrityError:
            attendance = Attendance.objects.select_for_update().get(
                session=session, trainee=trainee
            )
    if attendance.status == status and attendance.minutes_present == minutes:
        return attendance
    _attendance_reverse(attendance=attendance, by=by)
    attendance.status = status
    attendance.minutes_present = minutes
    attendance.revision += 1
    attendance.recorded_by = by
    attendance.recorded_at = now
    attendance.save()
    _attendance_credit(attendance=attendance, by=by)
    return attendance


def _attendance_credit(*, attendance: Attendance, by: User) -> None:
    modules = list(attendance.session.modules.all())
    shares = split_minutes(minutes=attendance.minutes_present, modules=modules)
    titles = ", ".join(module.title for module in modules)
    for category_id, hours in shares.items():
        _credit(
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


def entry_reverse(*, entry: HourEntry, by: User, reason: str) -> HourEntry | None:
    """Cancel an entry with a negative twin; the original stays visible."""
    return _credit(
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
    return len(rows)


# Hours earned elsewhere ---------------------------------------------------


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
    return _credit(
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
    return entry
