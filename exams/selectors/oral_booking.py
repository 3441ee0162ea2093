"""Reads for oral-exam slots and bookings: who may book and why not, the open
slots a trainee sees, an examiner's slots and day, and the roster."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import Enrollment
from courses.selectors import modules_completed

from ..models import Booking, OralExam, Sitting, Slot
from ..models.requirements import WrittenExamPassedRequirement
from ..permissions import slots_run_by, user_can_book_oral


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@dataclass(frozen=True)
class OralEligibility:
    """Whether a trainee may book the oral exam now and, if not, which
    requirement is missing (``requirement``, a short code, and ``reason``, in
    words, with ``next_url`` where to meet it when the site has a page)."""

    allowed: bool
    reason: str = ""
    requirement: str = ""
    next_url: str | None = None
    attempts_used: int = 0
    attempts_allowed: int = 0
    active_booking: Booking | None = None
    # The waiting period after the last sitting: only slots from then on.
    earliest_start: datetime.datetime | None = None
    bookings: tuple[Booking, ...] = field(default=())


def oral_eligibility(
    *,
    oral_exam: OralExam,
    trainee,
    now: datetime.datetime | None = None,
    moving: bool = False,
) -> OralEligibility:
    """Whether ``trainee`` may book ``oral_exam`` now, and if not, exactly why.

    ``moving=True`` asks whether the trainee may move the booking they hold
    to another slot: every rule but "no active booking already" applies.
    """
    now = now or timezone.now()
    bookings = tuple(
        Booking.objects.filter(oral_exam=oral_exam, trainee=trainee)
        .select_related("slot")
        .order_by("slot__starts_at", "pk")
    )
    active = next((b for b in bookings if b.status == Booking.Status.BOOKED), None)
    counted = [b for b in bookings if b.status in Booking.COUNTS_AS_ATTEMPT]
    used = len(counted)

    def refuse(requirement: str, reason: str, next_url: str | None = None):
        return OralEligibility(
            False,
            reason,
            requirement,
            next_url,
            used,
            oral_exam.attempts_allowed,
            active,
            None,
            bookings,
        )

    if not oral_exam.is_published:
        return refuse("published", _("This oral exam is not open for booking yet."))
    if not user_can_book_oral(trainee):
        return refuse("role", _("Only trainees can book an oral exam."))
    if not Enrollment.objects.filter(
        trainee=trainee, course=oral_exam.course_id, status=Enrollment.Status.ACTIVE
    ).exists():
        return refuse(
            "enrollment",
            _("Enroll in %(course)s to book its oral exam.")
            % {"course": oral_exam.course.title},
        )
    if oral_exam.written_exam_id is not None:
        # The credential's own rule, so "passed" means the same everywhere.
        written = WrittenExamPassedRequirement(exam=oral_exam.written_exam).progress(
            trainee
        )
        if not written.met:
            return refuse(
                "written_exam",
                _("Pass %(exam)s first (%(status)s).")
                % {"exam": oral_exam.written_exam.title, "status": written.status},
                written.next_url,
            )
    missing = _missing_modules(oral_exam=oral_exam, trainee=trainee)
    if missing:
        return refuse(
            "modules",
            _("Complete these modules first: %(modules)s.")
            % {"modules": ", ".join(missing)},
        )
    sittings = {
        s.booking_id: s
        for s in Sitting.objects.filter(booking__in=[b.pk for b in counted])
    }
    if any(s.state == Sitting.State.DECIDED and s.passed for s in sittings.values()):
        return refuse("passed", _("You have passed this oral exam."))
    if active is not None and not moving:
        return refuse(
            "booked",
            _("You already have a booking on %(when)s; cancel or move it instead.")
            % {"when": _when(active.slot.starts_at)},
        )
    undecided = [
        b
        for b in counted
        if b.status == Booking.Status.ATTENDED
        and (b.pk not in sittings or sittings[b.pk].state != Sitting.State.DECIDED)
    ]
    if undecided:
        return refuse(
            "awaiting_result",
            _("Wait for the result of your sitting on %(when)s before booking again.")
            % {"when": _when(undecided[-1].slot.starts_at)},
        )
    if used >= oral_exam.attempts_allowed:
        return refuse(
            "attempts",
            _("You have used all %(n)s attempts at this oral exam.")
            % {"n": oral_exam.attempts_allowed},
        )
    earliest = None
    if counted and oral_exam.wait_between_attempts_hours:
        earliest = max(b.slot.starts_at for b in counted) + datetime.timedelta(
            hours=oral_exam.wait_between_attempts_hours
        )
    return OralEligibility(
        True,
        "",
        "",
        None,
        used,
        oral_exam.attempts_allowed,
        active,
        earliest if earliest and earliest > now else None,
        bookings,
    )


def _missing_modules(*, oral_exam: OralExam, trainee) -> list[str]:
    modules = list(oral_exam.prerequisite_modules.order_by("path"))
    if not modules:
        return []
    done = modules_completed(trainees=[trainee], modules=modules)[trainee.pk]
    return [module.title for module in modules if module.pk not in done]


def slot_series_starts(
    *,
    weekdays: Iterable[int],
    first_day: datetime.date,
    weeks: int,
    day_start: datetime.time,
    day_end: datetime.time,
    every_minutes: int,
    duration_minutes: int,
) -> list[datetime.datetime]:
    """The start times of a series, in the site's zone: on each chosen
    weekday (Monday is 0) of ``weeks`` weeks from ``first_day``, every
    ``every_minutes`` from ``day_start`` while a slot still ends by
    ``day_end``. Wall-clock times stay put across a daylight-saving change."""
    weekdays = set(weekdays)
    step = datetime.timedelta(minutes=every_minutes)
    length = datetime.timedelta(minutes=duration_minutes)
    starts = []
    for offset in range(weeks * 7):
        day = first_day + datetime.timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        moment = datetime.datetime.combine(day, day_start)
        end = datetime.datetime.combine(day, day_end)
        while moment + length <= end:
            starts.append(timezone.make_aware(moment))
            moment += step
    return starts


def booking_cancel_until(booking: Booking) -> datetime.datetime:
    """Until when the trainee may cancel or move the booking themself."""
    return booking.slot.starts_at - datetime.timedelta(
        hours=booking.oral_exam.cancellation_hours
    )


def slot_booked_count(*, slot: Slot) -> int:
    return slot.bookings.filter(status=Booking.Status.BOOKED).count()


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


PLACE = "place"
VIDEO = "video"


def slots_open(
    *,
    oral_exam: OralExam,
    now: datetime.datetime | None = None,
    earliest: datetime.datetime | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    mode: str = "",
    exclude_slot: Slot | None = None,
) -> QuerySet[Slot]:
    """The slots a trainee may book now, soonest first: not withdrawn, not
    full, starting within the exam's booking window (it opens
    ``booking_opens_hours`` and closes ``booking_closes_hours`` before a slot),
    from ``earliest`` on, in the local dates given, in person (``place``) or by
    video (``video``). Each has ``booked``, its active bookings."""
    now = now or timezone.now()
    slots = Slot.objects.filter(
        oral_exam=oral_exam,
        cancelled_at__isnull=True,
        starts_at__gt=now + datetime.timedelta(hours=oral_exam.booking_closes_hours),
        starts_at__lte=now + datetime.timedelta(hours=oral_exam.booking_opens_hours),
    )
    if earliest is not None:
        slots = slots.filter(starts_at__gte=earliest)
    if date_from is not None:
        slots = slots.filter(starts_at__gte=_day_bounds(date_from)[0])
    if date_to is not None:
        slots = slots.filter(starts_at__lt=_day_bounds(date_to)[1])
    if mode == PLACE:
        slots = slots.exclude(place="")
    elif mode == VIDEO:
        slots = slots.exclude(video_link="")
    if exclude_slot is not None:
        slots = slots.exclude(pk=exclude_slot.pk)
    return (
        slots.annotate(
            booked=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED))
        )
        .filter(booked__lt=F("capacity"))
        .order_by("starts_at", "pk")
    )


def _roster_prefetch() -> list:
    return [
        Prefetch(
            "bookings",
            queryset=Booking.objects.exclude(status=Booking.Status.CANCELLED)
            .select_related("trainee", "sitting")
            .order_by("booked_at", "pk"),
            to_attr="roster",
        ),
        Prefetch("examiners", queryset=_examiners()),
    ]


def _examiners():
    from cms.models import User

    return User.objects.order_by("last_name", "first_name", "pk")


def examiner_slots_upcoming(
    *, user, now: datetime.datetime | None = None
) -> QuerySet[Slot]:
    """The slots this user runs from today on (their panels'; every slot for
    whoever may run any), soonest first, each with its ``roster`` (bookings
    not cancelled, with trainee and sitting) and panel, in a fixed number of
    queries."""
    now = now or timezone.now()
    start_of_today = _day_bounds(timezone.localdate(now))[0]
    return (
        slots_run_by(user, Slot.objects.filter(starts_at__gte=start_of_today))
        .select_related("oral_exam", "lead_examiner")
        .prefetch_related(*_roster_prefetch())
        .order_by("starts_at", "pk")
    )


def examiner_day(*, user, day: datetime.date) -> QuerySet[Slot]:
    """The slots this user runs on one local day, withdrawn ones included
    (marked), with roster and panel, in a fixed number of queries."""
    start, end = _day_bounds(day)
    return (
        slots_run_by(user, Slot.objects.filter(starts_at__gte=start, starts_at__lt=end))
        .select_related("oral_exam", "lead_examiner")
        .prefetch_related(*_roster_prefetch())
        .order_by("starts_at", "pk")
    )


def slot_roster(*, slot_id: int, user) -> Slot | None:
    """One slot this user runs, with roster and panel; None when they may not
    run it or it does not exist."""
    return (
        slots_run_by(user, Slot.objects.filter(pk=slot_id))
        .select_related("oral_exam", "lead_examiner", "created_by")
        .prefetch_related(*_roster_prefetch())
        .first()
    )


@dataclass(frozen=True)
class RosterRow:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    oral_exam: str
    place: str
    video_link: str
    panel: str
    lead_examiner: str
    trainee: str
    trainee_email: str
    status: str
    slot_withdrawn: bool


def roster_rows(*, slots) -> list[RosterRow]:
    """One row per booking not cancelled, and one for each slot nobody booked,
    from slots read with their roster and panel (``examiner_day``,
    ``examiner_slots_upcoming``)."""
    rows = []
    for slot in slots:
        panel = ", ".join(str(examiner) for examiner in slot.examiners.all())
        common = {
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "oral_exam": slot.oral_exam.title,
            "place": slot.place,
            "video_link": slot.video_link,
            "panel": panel,
            "lead_examiner": str(slot.lead_examiner),
            "slot_withdrawn": slot.cancelled_at is not None,
        }
        for booking in slot.roster:
            rows.append(
                RosterRow(
                    **common,
                    trainee=booking.trainee.legal_name or str(booking.trainee),
                    trainee_email=booking.trainee.email,
                    status=str(booking.get_status_display()),
                )
            )
        if not slot.roster:
            rows.append(
                RosterRow(
                    **common,
                    trainee="",
                    trainee_email="",
                    status=str(
                        _("Withdrawn") if common["slot_withdrawn"] else _("Open")
                    ),
                )
            )
    return rows


def examiner_slots_between(
    *, user, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Slot]:
    """The slots this user runs in a range of local dates, with roster and
    panel: what the roster export lists."""
    return (
        slots_run_by(
            user,
            Slot.objects.filter(
                starts_at__gte=_day_bounds(date_from)[0],
                starts_at__lt=_day_bounds(date_to)[1],
            ),
        )
        .select_related("oral_exam", "lead_examiner")
        .prefetch_related(*_roster_prefetch())
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class TraineeOralExam:
    oral_exam: OralExam
    booking: Booking | None


def trainee_oral_exams(*, trainee) -> list[TraineeOralExam]:
    """The published oral exams of the trainee's courses, each with the
    trainee's active booking, in two queries."""
    courses = Enrollment.objects.filter(
        trainee=trainee, status=Enrollment.Status.ACTIVE
    ).values("course_id")
    exams = list(
        OralExam.objects.filter(course_id__in=courses, is_published=True)
        .select_related("course")
        .order_by("course__title", "title")
    )
    active = {
        b.oral_exam_id: b
        for b in Booking.objects.filter(
            trainee=trainee,
            status=Booking.Status.BOOKED,
            oral_exam__in=[e.pk for e in exams],
        ).select_related("slot")
    }
    return [TraineeOralExam(exam, active.get(exam.pk)) for exam in exams]


def trainee_booking(*, trainee, booking_id: int) -> Booking | None:
    """One of the trainee's own bookings, with what its page and calendar
    file show; None for anyone else's."""
    return (
        Booking.objects.filter(pk=booking_id, trainee=trainee)
        .select_related("slot", "slot__lead_examiner", "oral_exam", "trainee")
        .prefetch_related(Prefetch("slot__examiners", queryset=_examiners()))
        .first()
    )


def oral_exam_url(oral_exam: OralExam) -> str:
    return reverse("exams:oral_exam", args=[oral_exam.pk])
