"""Enrollment and cohort seats."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from cms.models import User

from ..models import (
    Cohort,
    CohortSeat,
    CoursePage,
    Enrollment,
    ModulePage,
)
from ..permissions import user_can_study


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
    audit.record(
        "seat.confirmed", actor=by, target=seat, cohort=cohort, trainee=seat.trainee_id
    )
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
    audit.record(
        "seat.declined",
        actor=by,
        target=seat,
        cohort=seat.cohort_id,
        trainee=seat.trainee_id,
    )
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
    if not user_can_study(trainee):
        raise ValidationError(
            {"email": _("%(email)s is not a trainee.") % {"email": email}}
        )
    seat, _created = CohortSeat.objects.get_or_create(cohort=cohort, trainee=trainee)
    try:
        return seat_confirm(seat=seat, by=by)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
