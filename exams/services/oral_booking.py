"""Writes for oral-exam slots and bookings: publishing slots (one or a
series), withdrawing them, booking, cancelling and moving a booking, marking
attendance, and the emails and reminders that follow.

Invariants the database holds: one active booking per trainee and oral exam
(a partial unique constraint); a slot's capacity, by locking the slot's row
while its bookings are counted. Email never goes out inside the request: each
change queues a task once its transaction commits.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..calendar import CANCEL, REQUEST, booking_ics, site_zone_name
from ..models import Booking, OralExam, Sitting, Slot
from ..permissions import (
    user_can_manage_any_booking,
    user_can_manage_any_slot,
    user_can_run_slot,
    user_can_sit_on_panel,
)
from ..selectors.oral_booking import booking_cancel_until, oral_eligibility
from .oral_scoring import sitting_open

REMINDER_BEFORE = datetime.timedelta(hours=24)


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _after_commit(task, *args) -> None:
    """Queue ``task`` once the surrounding transaction commits, so a worker
    never reads a booking that is not there yet, and a rolled-back change
    sends nothing."""
    transaction.on_commit(partial(task.enqueue, *args))


# Publishing slots ----------------------------------------------------------------


@dataclass(frozen=True)
class Overlap:
    starts_at: datetime.datetime
    examiner: object
    existing: Slot

    def __str__(self):
        return _("%(when)s: %(examiner)s has a slot from %(start)s to %(end)s") % {
            "when": _when(self.starts_at),
            "examiner": self.examiner,
            "start": date_format(
                timezone.localtime(self.existing.starts_at), "TIME_FORMAT"
            ),
            "end": date_format(
                timezone.localtime(self.existing.ends_at), "TIME_FORMAT"
            ),
        }


class SlotsOverlap(ValidationError):
    """Some of the times asked for overlap slots the panel already has."""

    def __init__(self, overlaps: list[Overlap]):
        self.overlaps = overlaps
        super().__init__(
            ngettext(
                "%(n)s time overlaps a slot the panel already has: %(list)s.",
                "%(n)s times overlap slots the panel already has: %(list)s.",
                len(overlaps),
            )
            % {"n": len(overlaps), "list": "; ".join(str(o) for o in overlaps)}
        )


@dataclass(frozen=True)
class SeriesReport:
    created: list[Slot]
    skipped: list[Overlap]


def _panel_validate(
    *, oral_exam: OralExam, examiners: Sequence, lead_examiner, by
) -> None:
    problems: dict[str, list[str]] = {}
    needed = oral_exam.examiners_per_sitting
    if len({e.pk for e in examiners}) != needed:
        problems.setdefault("examiners", []).append(
            ngettext(
                "Choose exactly %(n)s examiner: %(exam)s is scored by %(n)s.",
                "Choose exactly %(n)s examiners: %(exam)s is scored by %(n)s.",
                needed,
            )
            % {"n": needed, "exam": oral_exam.title}
        )
    unable = [str(e) for e in examiners if not user_can_sit_on_panel(e)]
    if unable:
        problems.setdefault("examiners", []).append(
            _("Not an examiner, so cannot score oral exams: %(names)s.")
            % {"names": ", ".join(unable)}
        )
    if lead_examiner is None or lead_examiner.pk not in {e.pk for e in examiners}:
        problems.setdefault("lead_examiner", []).append(
            _("Choose the lead examiner from the panel.")
        )
    if not user_can_manage_any_slot(by) and by.pk not in {e.pk for e in examiners}:
        problems.setdefault("examiners", []).append(
            _("Put yourself on the panel: examiners publish slots they sit on.")
        )
    if problems:
        raise ValidationError(problems)


def _slot_fields_validate(
    *, duration_minutes: int, place: str, video_link: str, capacity: int
) -> None:
    problems = {}
    if not 5 <= duration_minutes <= 480:
        problems["duration_minutes"] = _(
            "A slot lasts from 5 to 480 minutes (8 hours)."
        )
    if not place.strip() and not video_link.strip():
        problems["place"] = _("Give a place, a video link, or both.")
    if capacity < 1:
        problems["capacity"] = _("A slot has at least one place.")
    if problems:
        raise ValidationError(problems)


def slot_overlaps(
    *,
    starts: Iterable[datetime.datetime],
    duration_minutes: int,
    examiners: Sequence,
) -> list[Overlap]:
    """Each time of ``starts`` that overlaps a slot (not withdrawn) of any of
    the examiners, with the examiner and that slot."""
    starts = sorted(starts)
    if not starts:
        return []
    length = datetime.timedelta(minutes=duration_minutes)
    longest = datetime.timedelta(minutes=480)
    existing = list(
        Slot.objects.filter(
            examiners__in=[e.pk for e in examiners],
            cancelled_at__isnull=True,
            starts_at__lt=starts[-1] + length,
            starts_at__gt=starts[0] - longest,
        )
        .prefetch_related("examiners")
        .distinct()
    )
    wanted = {e.pk for e in examiners}
    overlaps = []
    for start in starts:
        end = start + length
        for slot in existing:
            if slot.starts_at < end and slot.ends_at > start:
                examiner = next(e for e in slot.examiners.all() if e.pk in wanted)
                overlaps.append(Overlap(start, examiner, slot))
                break
    return overlaps


@transaction.atomic
def slot_series_publish(
    *,
    oral_exam: OralExam,
    starts: Sequence[datetime.datetime],
    examiners: Sequence,
    lead_examiner,
    by,
    duration_minutes: int | None = None,
    place: str = "",
    video_link: str = "",
    capacity: int = 1,
    skip_overlaps: bool = False,
    now: datetime.datetime | None = None,
) -> SeriesReport:
    """Publish a slot at each of ``starts`` for one panel.

    Times that overlap a slot any of the panel's examiners already has are
    refused: with ``skip_overlaps`` the others are published and the refused
    ones reported; without it nothing is published and ``SlotsOverlap`` lists
    them all, so the examiner can decide.
    """
    now = now or timezone.now()
    if duration_minutes is None:
        duration_minutes = oral_exam.duration_minutes
    _slot_fields_validate(
        duration_minutes=duration_minutes,
        place=place,
        video_link=video_link,
        capacity=capacity,
    )
    _panel_validate(
        oral_exam=oral_exam, examiners=examiners, lead_examiner=lead_examiner, by=by
    )
    if not starts:
        raise ValidationError({"starts_at": _("There is no time to publish.")})
    past = [s for s in starts if s <= now]
    if past:
        raise ValidationError(
            {
                "starts_at": _("Choose times in the future; %(when)s has passed.")
                % {"when": _when(min(past))}
            }
        )
    ordered = sorted(starts)
    length = datetime.timedelta(minutes=duration_minutes)
    for earlier, later in itertools.pairwise(ordered):
        if later < earlier + length:
            raise ValidationError(
                {
                    "starts_at": _(
                        "The slots at %(a)s and %(b)s overlap each other: leave at "
                        "least the duration between starts."
                    )
                    % {"a": _when(earlier), "b": _when(later)}
                }
            )
    # Lock the panel's rows so two publishers cannot both find a time free
    # for the same examiner.
    from cms.models import User

    list(
        User.objects.select_for_update()
        .filter(pk__in=[e.pk for e in examiners])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    overlaps = slot_overlaps(
        starts=ordered, duration_minutes=duration_minutes, examiners=examiners
    )
    if overlaps and not skip_overlaps:
        raise SlotsOverlap(overlaps)
    refused = {o.starts_at for o in overlaps}
    created = []
    for start in ordered:
        if start in refused:
            continue
        slot = Slot.objects.create(
            oral_exam=oral_exam,
            starts_at=start,
            duration_minutes=duration_minutes,
            place=place.strip(),
            video_link=video_link.strip(),
            capacity=capacity,
            lead_examiner=lead_examiner,
            created_by=by,
        )
        slot.examiners.set(examiners)
        created.append(slot)
    return SeriesReport(created=created, skipped=overlaps)


def slot_publish(
    *,
    oral_exam: OralExam,
    starts_at: datetime.datetime,
    examiners: Sequence,
    lead_examiner,
    by,
    duration_minutes: int | None = None,
    place: str = "",
    video_link: str = "",
    capacity: int = 1,
    now: datetime.datetime | None = None,
) -> Slot:
    """Publish one slot; refused (``SlotsOverlap``) when it overlaps a slot of
    any examiner on its panel."""
    report = slot_series_publish(
        oral_exam=oral_exam,
        starts=[starts_at],
        examiners=examiners,
        lead_examiner=lead_examiner,
        by=by,
        duration_minutes=duration_minutes,
        place=place,
        video_link=video_link,
        capacity=capacity,
        now=now,
    )
    return report.created[0]


@transaction.atomic
def slot_withdraw(
    *, slot: Slot, by, note: str = "", now: datetime.datetime | None = None
) -> Slot:
    """Withdraw a slot so nobody can book it. A slot with bookings is
    withdrawn only by whoever may manage any booking, with a note the booked
    trainees receive with their cancellation."""
    now = now or timezone.now()
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if not user_can_run_slot(by, slot):
        raise PermissionDenied
    if slot.cancelled_at is not None:
        raise ValidationError({"slot": _("This slot was withdrawn already.")})
    if slot.starts_at <= now:
        raise ValidationError({"slot": _("This slot has started; it stays on record.")})
    active = list(
        Booking.objects.select_for_update()
        .filter(slot=slot, status=Booking.Status.BOOKED)
        .order_by("pk")
    )
    if active and not user_can_manage_any_booking(by):
        raise ValidationError(
            {
                "slot": ngettext(
                    "%(n)s trainee has booked this slot: only an administrator can "
                    "withdraw it.",
                    "%(n)s trainees have booked this slot: only an administrator "
                    "can withdraw it.",
                    len(active),
                )
                % {"n": len(active)}
            }
        )
    note = note.strip()
    if active and not note:
        raise ValidationError(
            {"note": _("Say why, for the trainees whose bookings this cancels.")}
        )
    slot.cancelled_at = now
    slot.save(update_fields=["cancelled_at"])
    for booking in active:
        _booking_cancel(booking=booking, by=by, note=note, now=now, kind="withdrawn")
    return slot


# Booking ------------------------------------------------------------------------


def _slot_lock(slot_id: int) -> Slot:
    return (
        Slot.objects.select_for_update(of=("self",))
        .select_related("oral_exam", "oral_exam__course")
        .get(pk=slot_id)
    )


def _slot_check_bookable(
    *,
    slot: Slot,
    now: datetime.datetime,
    earliest: datetime.datetime | None,
    window: bool = True,
) -> None:
    """Refuse a slot that is withdrawn, past, outside the booking window, or
    before the waiting period ends; then one that is full (the caller holds
    the slot's lock, so the count stays true until it commits)."""
    oral_exam = slot.oral_exam
    if slot.cancelled_at is not None:
        raise ValidationError({"slot": _("This slot was withdrawn; choose another.")})
    if slot.starts_at <= now:
        raise ValidationError({"slot": _("This slot has passed; choose another.")})
    if window:
        closes = slot.starts_at - datetime.timedelta(
            hours=oral_exam.booking_closes_hours
        )
        opens = slot.starts_at - datetime.timedelta(hours=oral_exam.booking_opens_hours)
        if now >= closes:
            raise ValidationError(
                {
                    "slot": _(
                        "Booking for this slot closed on %(when)s; choose a later one."
                    )
                    % {"when": _when(closes)}
                }
            )
        if now < opens:
            raise ValidationError(
                {
                    "slot": _("Booking for this slot opens on %(when)s.")
                    % {"when": _when(opens)}
                }
            )
    if earliest is not None and slot.starts_at < earliest:
        raise ValidationError(
            {
                "slot": _(
                    "Your waiting period after your last sitting ends on %(when)s; "
                    "choose a slot from then on."
                )
                % {"when": _when(earliest)}
            }
        )
    booked = Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).count()
    if booked >= slot.capacity:
        raise ValidationError(
            {"slot": _("This slot has just been taken: it is full. Choose another.")}
        )


def _booking_insert(*, slot: Slot, trainee, by, now: datetime.datetime) -> Booking:
    try:
        with transaction.atomic():
            return Booking.objects.create(
                slot=slot,
                oral_exam=slot.oral_exam,
                trainee=trainee,
                booked_at=now,
                changed_at=now,
                changed_by=by,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"slot": _("You already have a booking for this oral exam.")}
        ) from error


@transaction.atomic
def booking_create(
    *, slot: Slot, trainee, now: datetime.datetime | None = None
) -> Booking:
    """Book a place in ``slot`` for ``trainee``, who must be eligible.

    The slot's row is locked while its bookings are counted, so its capacity
    holds however many trainees book at once; the database refuses a second
    active booking of the same trainee and exam.
    """
    now = now or timezone.now()
    slot = _slot_lock(slot.pk)
    eligibility = oral_eligibility(oral_exam=slot.oral_exam, trainee=trainee, now=now)
    if not eligibility.allowed:
        raise ValidationError({"slot": eligibility.reason})
    _slot_check_bookable(slot=slot, now=now, earliest=eligibility.earliest_start)
    booking = _booking_insert(slot=slot, trainee=trainee, by=trainee, now=now)
    _booking_announce(booking=booking, kind="booked")
    return booking


def _booking_lock(booking_id: int) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot", "oral_exam", "trainee")
        .get(pk=booking_id)
    )


def _change_allowed(
    *, booking: Booking, by, note: str, now: datetime.datetime, verb: str
) -> None:
    """The trainee may cancel or move their own booking until the cutoff;
    after it, or for someone else's booking, only an administrator, with a
    note saying why."""
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(
            {
                "booking": _("This booking is %(status)s, so it cannot be %(verb)s.")
                % {"status": booking.get_status_display().lower(), "verb": verb}
            }
        )
    if booking.slot.starts_at <= now:
        raise ValidationError(
            {
                "booking": _(
                    "The sitting has started: the panel marks it attended or missed."
                )
            }
        )
    if user_can_manage_any_booking(by):
        if by.pk != booking.trainee_id and not note.strip():
            raise ValidationError(
                {"note": _("Say why, for the trainee and the record.")}
            )
        return
    if by.pk != booking.trainee_id:
        raise PermissionDenied
    until = booking_cancel_until(booking)
    if now >= until:
        raise ValidationError(
            {
                "booking": _(
                    "Bookings can be cancelled or moved until %(hours)s hours before "
                    "the sitting (%(when)s). Ask an administrator."
                )
                % {"hours": booking.oral_exam.cancellation_hours, "when": _when(until)}
            }
        )


def _booking_cancel(
    *, booking: Booking, by, note: str, now: datetime.datetime, kind: str
) -> Booking:
    booking.status = Booking.Status.CANCELLED
    booking.sequence += 1
    booking.changed_at = now
    booking.changed_by = by
    booking.note = note.strip()[:300]
    booking.save(
        update_fields=["status", "sequence", "changed_at", "changed_by", "note"]
    )
    _booking_announce(booking=booking, kind=kind)
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by, note: str = "", now: datetime.datetime | None = None
) -> Booking:
    """Cancel a booking: the trainee until ``cancellation_hours`` before the
    slot, an administrator at any time before it starts (with a note)."""
    now = now or timezone.now()
    booking = _booking_lock(booking.pk)
    _change_allowed(booking=booking, by=by, note=note, now=now, verb=_("cancelled"))
    return _booking_cancel(booking=booking, by=by, note=note, now=now, kind="cancelled")


@transaction.atomic
def booking_move(
    *,
    booking: Booking,
    slot: Slot,
    by,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Move a booking to another slot in one step: the new booking is made
    and the old one cancelled in one transaction, so if the new slot is gone
    the trainee keeps the booking they had. Returns the new booking."""
    now = now or timezone.now()
    old = _booking_lock(booking.pk)
    _change_allowed(booking=old, by=by, note=note, now=now, verb=_("moved"))
    if slot.pk == old.slot_id:
        raise ValidationError({"slot": _("That is the slot you are booked in.")})
    new_slot = _slot_lock(slot.pk)
    if new_slot.oral_exam_id != old.oral_exam_id:
        raise ValidationError({"slot": _("Choose a slot of the same oral exam.")})
    eligibility = oral_eligibility(
        oral_exam=new_slot.oral_exam, trainee=old.trainee, now=now, moving=True
    )
    if not eligibility.allowed:
        raise ValidationError({"slot": eligibility.reason})
    # An administrator may move a trainee into a slot whose booking window
    # has closed; never into a past, withdrawn or full one.
    _slot_check_bookable(
        slot=new_slot,
        now=now,
        earliest=eligibility.earliest_start,
        window=not (user_can_manage_any_booking(by) and by.pk != old.trainee_id),
    )
    _booking_cancel(booking=old, by=by, note=note, now=now, kind="moved_from")
    new = _booking_insert(slot=new_slot, trainee=old.trainee, by=by, now=now)
    if note.strip():
        new.note = note.strip()[:300]
        new.save(update_fields=["note"])
    _booking_announce(booking=new, kind="moved_to")
    return new


# On the day --------------------------------------------------------------------


def _attendance_allowed(*, booking: Booking, by, now: datetime.datetime) -> None:
    if not user_can_run_slot(by, booking.slot):
        raise PermissionDenied
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(
            {
                "booking": _("This booking is %(status)s already.")
                % {"status": booking.get_status_display().lower()}
            }
        )
    day_starts = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate(booking.slot.starts_at), datetime.time.min
        )
    )
    if now < day_starts:
        raise ValidationError(
            {
                "booking": _("Attendance is marked on the day, %(day)s.")
                % {
                    "day": date_format(
                        timezone.localdate(booking.slot.starts_at), "DATE_FORMAT"
                    )
                }
            }
        )


@transaction.atomic
def booking_mark_attended(
    *, booking: Booking, by, now: datetime.datetime | None = None
) -> Sitting:
    """The trainee came: the booking uses an attempt and its sitting opens
    with the rubric frozen, ready for the panel's score sheets."""
    now = now or timezone.now()
    booking = _booking_lock(booking.pk)
    _attendance_allowed(booking=booking, by=by, now=now)
    booking.status = Booking.Status.ATTENDED
    booking.changed_at = now
    booking.changed_by = by
    booking.save(update_fields=["status", "changed_at", "changed_by"])
    return sitting_open(booking=booking)


@transaction.atomic
def booking_mark_no_show(
    *, booking: Booking, by, now: datetime.datetime | None = None
) -> Booking:
    """The trainee did not come: the booking uses an attempt unless an
    administrator excuses it. Only once the slot has started."""
    now = now or timezone.now()
    booking = _booking_lock(booking.pk)
    _attendance_allowed(booking=booking, by=by, now=now)
    if now < booking.slot.starts_at:
        raise ValidationError(
            {"booking": _("A trainee can be marked absent once the slot starts.")}
        )
    booking.status = Booking.Status.NO_SHOW
    booking.changed_at = now
    booking.changed_by = by
    booking.save(update_fields=["status", "changed_at", "changed_by"])
    return booking


@transaction.atomic
def booking_excuse(
    *, booking: Booking, by, note: str, now: datetime.datetime | None = None
) -> Booking:
    """Excuse a missed sitting, so it does not use an attempt."""
    now = now or timezone.now()
    if not user_can_manage_any_booking(by):
        raise PermissionDenied
    booking = _booking_lock(booking.pk)
    if booking.status != Booking.Status.NO_SHOW:
        raise ValidationError({"booking": _("Only a missed sitting can be excused.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the absence is excused.")})
    booking.status = Booking.Status.EXCUSED
    booking.changed_at = now
    booking.changed_by = by
    booking.note = note.strip()[:300]
    booking.save(update_fields=["status", "changed_at", "changed_by", "note"])
    return booking


# Email and reminders -----------------------------------------------------------

# What each notice says, and the calendar method its invitation carries.
NOTICE_METHODS = {
    "booked": REQUEST,
    "moved_to": REQUEST,
    "reminder": REQUEST,
    "cancelled": CANCEL,
    "moved_from": CANCEL,
    "withdrawn": CANCEL,
}


def _booking_announce(*, booking: Booking, kind: str) -> None:
    from .. import tasks

    _after_commit(tasks.booking_notice_send, booking.pk, kind, booking.sequence)
    if kind in ("booked", "moved_to"):
        transaction.on_commit(
            partial(
                tasks.booking_reminder_schedule,
                booking.pk,
                booking_reminder_due_at(booking),
            )
        )


def _notice_subject(*, kind: str, booking: Booking) -> str:
    subjects = {
        "booked": _("Booked: %(exam)s on %(when)s"),
        "moved_to": _("Moved: %(exam)s is now on %(when)s"),
        "reminder": _("Reminder: %(exam)s on %(when)s"),
        "cancelled": _("Cancelled: %(exam)s on %(when)s"),
        "moved_from": _("Moved: %(exam)s is no longer on %(when)s"),
        "withdrawn": _("Cancelled: %(exam)s on %(when)s"),
    }
    return subjects[kind] % {
        "exam": booking.oral_exam.title,
        "when": f"{_when(booking.slot.starts_at)} ({site_zone_name()})",
    }


def booking_notice_send(
    *,
    booking_id: int,
    kind: str,
    sequence: int,
    now: datetime.datetime | None = None,
) -> int:
    """Email the trainee and the panel about one change to a booking, with
    the calendar invitation (or its cancellation) attached. Returns the
    number of messages sent. ``sequence`` is the booking's calendar revision
    when the change was made: the invitation carries it even if the booking
    changed again since."""
    booking = (
        Booking.objects.select_related(
            "slot", "slot__lead_examiner", "oral_exam", "trainee"
        )
        .prefetch_related("slot__examiners")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        return 0
    booking.sequence = sequence
    method = NOTICE_METHODS[kind]
    ics = booking_ics(booking=booking, method=method, now=now).decode()
    subject = _notice_subject(kind=kind, booking=booking)
    panel = list(booking.slot.examiners.all())
    sent = 0
    for audience, recipients in (
        ("trainee", [booking.trainee.email]),
        ("panel", [e.email for e in panel if e.email]),
    ):
        if not recipients:
            continue
        body = render_to_string(
            "exams/oral/email/notice.txt",
            {
                "kind": kind,
                "audience": audience,
                "booking": booking,
                "slot": booking.slot,
                "panel": panel,
                "zone": site_zone_name(),
                "base_url": settings.WAGTAILADMIN_BASE_URL,
            },
        )
        message = EmailMessage(subject=subject, body=body, to=recipients)
        message.attach(
            "cancellation.ics" if method == CANCEL else "invitation.ics",
            ics,
            f"text/calendar; method={method}",
        )
        sent += message.send()
    return sent


def booking_reminder_due_at(booking: Booking) -> datetime.datetime:
    return booking.slot.starts_at - REMINDER_BEFORE


def booking_reminder_send(
    *, booking_id: int, now: datetime.datetime | None = None
) -> bool:
    """Send the reminder of one booking if it is due and nobody has sent it.

    The reminder is claimed by one conditional update, inside the same
    transaction as the sending: a second worker's update finds it claimed
    and sends nothing, and a failed send releases the claim for a retry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Booking.objects.filter(
            pk=booking_id,
            status=Booking.Status.BOOKED,
            reminder_sent_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMINDER_BEFORE,
        ).update(reminder_sent_at=now)
        if not claimed:
            return False
        sequence = Booking.objects.values_list("sequence", flat=True).get(pk=booking_id)
        booking_notice_send(
            booking_id=booking_id, kind="reminder", sequence=sequence, now=now
        )
    return True


def booking_reminders_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Active bookings whose slot starts within a day and who have had no
    reminder yet."""
    now = now or timezone.now()
    return list(
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            reminder_sent_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMINDER_BEFORE,
        )
        .order_by("slot__starts_at", "pk")
        .values_list("pk", flat=True)
    )


def booking_reminders_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder that is due (each at most once); the number sent."""
    now = now or timezone.now()
    return sum(
        booking_reminder_send(booking_id=pk, now=now)
        for pk in booking_reminders_due(now=now)
    )


# The roster export ---------------------------------------------------------------


def roster_workbook_build(*, rows: Sequence, title: str) -> bytes:
    """The roster as an Excel workbook: one row per booking (and per slot
    nobody booked), times in the site's zone, which the header names."""
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Roster"))
    sheet.append([title])
    zone = site_zone_name()
    sheet.append(
        [
            _("Date"),
            _("Starts (%(zone)s)") % {"zone": zone},
            _("Ends (%(zone)s)") % {"zone": zone},
            _("Oral exam"),
            _("Place"),
            _("Video link"),
            _("Panel"),
            _("Lead examiner"),
            _("Trainee"),
            _("Trainee email"),
            _("Status"),
        ]
    )
    for row in rows:
        starts = timezone.localtime(row.starts_at)
        ends = timezone.localtime(row.ends_at)
        sheet.append(
            [
                starts.date(),
                starts.strftime("%H:%M"),
                ends.strftime("%H:%M"),
                row.oral_exam,
                row.place,
                row.video_link,
                row.panel,
                row.lead_examiner,
                row.trainee,
                row.trainee_email,
                row.status,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
