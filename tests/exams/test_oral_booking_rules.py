"""Oral-exam slots and bookings: who may book and why not, publishing one
slot or a series, capacity, cutoffs, moving, withdrawing and attendance."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cms import roles
from exams import selectors, services
from exams.models import Booking, Sitting, Slot
from tests.factories import (
    AttemptFactory,
    BookingFactory,
    EnrollmentFactory,
    ModulePageFactory,
    OralExamFactory,
    SlotFactory,
    UserFactory,
    WrittenExamFactory,
    in_days,
    oral_ready_trainee,
)

pytestmark = pytest.mark.django_db

# A Thursday morning in Kentucky (Eastern time, UTC-5 in December).
NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC) + datetime.timedelta(
    hours=5
)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def oral_exam():
    written = WrittenExamFactory()
    return OralExamFactory(course=written.course, written_exam=written)


@pytest.fixture
def trainee(oral_exam):
    return oral_ready_trainee(oral_exam)


def slot_of(oral_exam, **kwargs):
    return SlotFactory(oral_exam=oral_exam, **kwargs)


def reason(oral_exam, trainee, **kwargs):
    result = selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee, **kwargs)
    return result.requirement, result.reason


# Eligibility ---------------------------------------------------------------------


def test_a_trainee_who_passed_the_written_exam_may_book(oral_exam, trainee):
    eligibility = selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee)
    assert eligibility.allowed
    assert eligibility.attempts_allowed == 2


def test_an_unpublished_oral_exam_cannot_be_booked(oral_exam, trainee):
    oral_exam.is_published = False
    oral_exam.save()
    assert reason(oral_exam, trainee) == (
        "published",
        "This oral exam is not open for booking yet.",
    )


def test_someone_without_the_trainee_permission_cannot_book(oral_exam):
    examiner = UserFactory(role=roles.EXAMINER)
    EnrollmentFactory(trainee=examiner, course=oral_exam.course)
    assert reason(oral_exam, examiner)[0] == "role"


def test_a_trainee_not_enrolled_is_told_to_enroll(oral_exam):
    stranger = UserFactory(role=roles.TRAINEE)
    requirement, text = reason(oral_exam, stranger)
    assert requirement == "enrollment"
    assert oral_exam.course.title in text


def test_the_written_exam_not_passed_is_named_with_the_best_score(oral_exam):
    failing = UserFactory(role=roles.TRAINEE)
    AttemptFactory(exam=oral_exam.written_exam, trainee=failing, answers="wrong")
    eligibility = selectors.oral_eligibility(oral_exam=oral_exam, trainee=failing)
    assert eligibility.requirement == "written_exam"
    assert eligibility.reason.startswith(f"Pass {oral_exam.written_exam.title} first")
    assert eligibility.next_url == f"/exams/{oral_exam.written_exam.pk}/"


def test_a_written_attempt_in_progress_is_not_a_pass(oral_exam):
    started = UserFactory(role=roles.TRAINEE)
    AttemptFactory(exam=oral_exam.written_exam, trainee=started, answers="right")
    assert reason(oral_exam, started)[0] == "written_exam"


def test_missing_prerequisite_modules_are_named(oral_exam, trainee):
    module = ModulePageFactory(parent=oral_exam.course, title="Ethics and boundaries")
    oral_exam.prerequisite_modules.add(module)
    requirement, text = reason(oral_exam, trainee)
    assert requirement == "modules"
    assert "Ethics and boundaries" in text


def test_an_active_booking_is_named_and_moving_it_is_still_allowed(oral_exam, trainee):
    BookingFactory(slot=slot_of(oral_exam), trainee=trainee)
    assert reason(oral_exam, trainee)[0] == "booked"
    assert selectors.oral_eligibility(
        oral_exam=oral_exam, trainee=trainee, moving=True
    ).allowed


def test_attempts_used_up_by_attended_and_missed_sittings(oral_exam, trainee):
    for days, status in ((-20, Booking.Status.ATTENDED), (-10, Booking.Status.NO_SHOW)):
        booking = BookingFactory(
            slot=slot_of(oral_exam, starts_at=in_days(days)),
            trainee=trainee,
            status=status,
        )
        if status == Booking.Status.ATTENDED:
            Sitting.objects.create(
                booking=booking,
                rubric={},
                examiners_required=2,
                opened_at=booking.slot.starts_at,
                state=Sitting.State.DECIDED,
                passed=False,
            )
    eligibility = selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee)
    assert (eligibility.requirement, eligibility.attempts_used) == ("attempts", 2)


def test_an_excused_absence_does_not_use_an_attempt(oral_exam, trainee):
    BookingFactory(
        slot=slot_of(oral_exam, starts_at=in_days(-3)),
        trainee=trainee,
        status=Booking.Status.EXCUSED,
    )
    eligibility = selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee)
    assert eligibility.allowed and eligibility.attempts_used == 0


def test_a_passed_sitting_ends_booking(oral_exam, trainee):
    booking = BookingFactory(
        slot=slot_of(oral_exam, starts_at=in_days(-5)),
        trainee=trainee,
        status=Booking.Status.ATTENDED,
    )
    Sitting.objects.create(
        booking=booking,
        rubric={},
        examiners_required=2,
        opened_at=booking.slot.starts_at,
        state=Sitting.State.DECIDED,
        passed=True,
    )
    assert reason(oral_exam, trainee) == ("passed", "You have passed this oral exam.")


def test_a_result_still_awaited_stops_a_new_booking(oral_exam, trainee):
    booking = BookingFactory(
        slot=slot_of(oral_exam, starts_at=in_days(-1)),
        trainee=trainee,
        status=Booking.Status.ATTENDED,
    )
    services.sitting_open(booking=booking)
    assert reason(oral_exam, trainee)[0] == "awaiting_result"


def test_the_waiting_period_offers_only_slots_after_it(oral_exam, trainee):
    oral_exam.wait_between_attempts_hours = 24 * 7
    oral_exam.save()
    missed = BookingFactory(
        slot=slot_of(oral_exam, starts_at=in_days(-2)),
        trainee=trainee,
        status=Booking.Status.NO_SHOW,
    )
    too_soon = slot_of(oral_exam, starts_at=in_days(3))
    later = slot_of(oral_exam, starts_at=in_days(6))
    eligibility = selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee)
    assert eligibility.allowed
    assert eligibility.earliest_start == missed.slot.starts_at + datetime.timedelta(
        days=7
    )
    offered = selectors.slots_open(
        oral_exam=oral_exam, earliest=eligibility.earliest_start
    )
    assert list(offered) == [later]
    with pytest.raises(ValidationError, match="waiting period"):
        services.booking_create(slot=too_soon, trainee=trainee)
    assert not Booking.objects.filter(slot=too_soon).exists()


# Open slots ----------------------------------------------------------------------


def test_open_slots_leave_out_full_withdrawn_past_and_out_of_window_slots(oral_exam):
    open_slot = slot_of(oral_exam, starts_at=in_days(3))
    full = slot_of(oral_exam, starts_at=in_days(4))
    BookingFactory(slot=full)
    slot_of(oral_exam, starts_at=in_days(5), cancelled_at=NOW)
    slot_of(oral_exam, starts_at=in_days(-1))
    slot_of(oral_exam, starts_at=NOW + datetime.timedelta(hours=23))  # closed
    slot_of(oral_exam, starts_at=in_days(40))  # not open yet
    two_places = slot_of(oral_exam, starts_at=in_days(6), capacity=2)
    BookingFactory(slot=two_places)
    BookingFactory(slot=two_places, status=Booking.Status.CANCELLED)
    slots = list(selectors.slots_open(oral_exam=oral_exam))
    assert slots == [open_slot, two_places]
    assert [s.booked for s in slots] == [0, 1]


def test_open_slots_filter_by_dates_and_by_place_or_video(oral_exam):
    room = slot_of(oral_exam, starts_at=in_days(3))
    video = slot_of(
        oral_exam,
        starts_at=in_days(5),
        place="",
        video_link="https://meet.example.org/oral",
    )
    today = timezone.localdate()
    assert list(selectors.slots_open(oral_exam=oral_exam, mode="video")) == [video]
    assert list(selectors.slots_open(oral_exam=oral_exam, mode="place")) == [room]
    assert list(
        selectors.slots_open(
            oral_exam=oral_exam,
            date_from=today + datetime.timedelta(days=4),
            date_to=today + datetime.timedelta(days=5),
        )
    ) == [video]


# Booking ---------------------------------------------------------------------------


def test_booking_takes_the_place_and_records_who_and_when(oral_exam, trainee):
    slot = slot_of(oral_exam)
    booking = services.booking_create(slot=slot, trainee=trainee)
    assert booking.status == Booking.Status.BOOKED
    assert (booking.oral_exam, booking.trainee, booking.booked_at) == (
        oral_exam,
        trainee,
        NOW,
    )
    assert booking.sequence == 0


def test_a_full_slot_is_refused_and_nothing_changes(oral_exam, trainee):
    slot = slot_of(oral_exam)
    BookingFactory(slot=slot)
    with pytest.raises(ValidationError) as refused:
        services.booking_create(slot=slot, trainee=trainee)
    assert refused.value.message_dict == {
        "slot": ["This slot has just been taken: it is full. Choose another."]
    }
    assert not trainee.oral_bookings.exists()


@pytest.mark.parametrize(
    ("when", "withdrawn", "message"),
    [
        (-1, False, "This slot has passed; choose another."),
        (3, True, "This slot was withdrawn; choose another."),
        (0.5, False, "Booking for this slot closed on"),
        (45, False, "Booking for this slot opens on"),
    ],
)
def test_past_withdrawn_closed_and_unopened_slots_are_refused(
    oral_exam, trainee, when, withdrawn, message
):
    starts = NOW + datetime.timedelta(days=when)
    slot = slot_of(oral_exam, starts_at=starts, cancelled_at=NOW if withdrawn else None)
    with pytest.raises(ValidationError) as refused:
        services.booking_create(slot=slot, trainee=trainee)
    assert refused.value.message_dict["slot"][0].startswith(message)
    assert not trainee.oral_bookings.exists()


def test_an_ineligible_trainee_is_refused_with_the_reason(oral_exam):
    stranger = UserFactory(role=roles.TRAINEE)
    with pytest.raises(ValidationError) as refused:
        services.booking_create(slot=slot_of(oral_exam), trainee=stranger)
    assert refused.value.message_dict["slot"][0].startswith("Enroll in")
    assert not Booking.objects.exists()


def test_a_second_booking_of_the_same_exam_is_refused(oral_exam, trainee):
    first = services.booking_create(slot=slot_of(oral_exam), trainee=trainee)
    with pytest.raises(ValidationError, match="already have a booking"):
        services.booking_create(
            slot=slot_of(oral_exam, starts_at=in_days(4)), trainee=trainee
        )
    assert list(trainee.oral_bookings.all()) == [first]


def test_the_database_refuses_two_active_bookings_of_one_exam(oral_exam, trainee):
    services.booking_create(slot=slot_of(oral_exam), trainee=trainee)
    second = slot_of(oral_exam, starts_at=in_days(4))
    # Past the eligibility check (as a racing request would be), the
    # constraint still holds, and says so in words.
    with pytest.raises(ValidationError, match="already have a booking"):
        services.oral_booking._booking_insert(
            slot=second, trainee=trainee, by=trainee, now=NOW
        )
    assert trainee.oral_bookings.count() == 1


# Cancelling and moving at the cutoff -------------------------------------------------


@pytest.fixture
def booked(oral_exam, trainee):
    """Booked into a slot four days ahead; the cutoff is 48 hours before it."""
    return services.booking_create(
        slot=slot_of(oral_exam, starts_at=in_days(4)), trainee=trainee
    )


def test_the_trainee_cancels_until_the_cutoff(booked, trainee, frozen_clock):
    cutoff = booked.slot.starts_at - datetime.timedelta(hours=48)
    frozen_clock.move_to(cutoff - datetime.timedelta(seconds=1))
    cancelled = services.booking_cancel(booking=booked, by=trainee)
    assert cancelled.status == Booking.Status.CANCELLED
    assert cancelled.sequence == 1


def test_at_the_cutoff_the_trainee_can_no_longer_cancel_or_move(
    oral_exam, booked, trainee, frozen_clock
):
    other = slot_of(oral_exam, starts_at=in_days(9))
    frozen_clock.move_to(booked.slot.starts_at - datetime.timedelta(hours=48))
    with pytest.raises(ValidationError, match="Ask an administrator"):
        services.booking_cancel(booking=booked, by=trainee)
    with pytest.raises(ValidationError, match="Ask an administrator"):
        services.booking_move(booking=booked, slot=other, by=trainee)
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Booking.Status.BOOKED, 0)
    assert not other.bookings.exists()


def test_after_the_cutoff_an_administrator_cancels_with_a_note(booked, frozen_clock):
    admin = UserFactory(role=roles.ADMINISTRATOR)
    frozen_clock.move_to(booked.slot.starts_at - datetime.timedelta(hours=2))
    with pytest.raises(ValidationError) as refused:
        services.booking_cancel(booking=booked, by=admin)
    assert list(refused.value.message_dict) == ["note"]
    cancelled = services.booking_cancel(
        booking=booked, by=admin, note="Trainee is in hospital."
    )
    assert (cancelled.status, cancelled.changed_by, cancelled.note) == (
        Booking.Status.CANCELLED,
        admin,
        "Trainee is in hospital.",
    )


def test_nobody_else_cancels_a_trainees_booking(booked):
    for other in (UserFactory(role=roles.TRAINEE), UserFactory(role=roles.EXAMINER)):
        with pytest.raises(PermissionDenied):
            services.booking_cancel(booking=booked, by=other)
    booked.refresh_from_db()
    assert booked.status == Booking.Status.BOOKED


def test_moving_makes_the_new_booking_and_cancels_the_old_together(
    oral_exam, booked, trainee
):
    other = slot_of(oral_exam, starts_at=in_days(8))
    new = services.booking_move(booking=booked, slot=other, by=trainee)
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Booking.Status.CANCELLED, 1)
    assert (new.slot, new.status, new.trainee) == (
        other,
        Booking.Status.BOOKED,
        trainee,
    )
    assert new.uid != booked.uid


def test_moving_into_a_slot_just_taken_keeps_the_old_booking(
    oral_exam, booked, trainee
):
    taken = slot_of(oral_exam, starts_at=in_days(8))
    BookingFactory(slot=taken)
    with pytest.raises(ValidationError, match="full"):
        services.booking_move(booking=booked, slot=taken, by=trainee)
    booked.refresh_from_db()
    assert (booked.status, booked.sequence) == (Booking.Status.BOOKED, 0)
    assert trainee.oral_bookings.count() == 1


def test_an_administrator_moves_a_booking_after_the_cutoff_with_a_note(
    oral_exam, booked, trainee, frozen_clock
):
    admin = UserFactory(role=roles.ADMINISTRATOR)
    soon = slot_of(
        oral_exam, starts_at=booked.slot.starts_at + datetime.timedelta(hours=1)
    )
    frozen_clock.move_to(booked.slot.starts_at - datetime.timedelta(hours=3))
    new = services.booking_move(
        booking=booked, slot=soon, by=admin, note="Examiner's request."
    )
    assert (new.slot, new.changed_by, new.note) == (soon, admin, "Examiner's request.")


# Publishing slots -------------------------------------------------------------------


@pytest.fixture
def panel():
    return [UserFactory(role=roles.EXAMINER), UserFactory(role=roles.EXAMINER)]


def test_a_series_publishes_tuesdays_and_thursdays_every_45_minutes(oral_exam, panel):
    starts = selectors.slot_series_starts(
        weekdays=[1, 3],
        first_day=datetime.date(2026, 12, 7),
        weeks=3,
        day_start=datetime.time(9, 0),
        day_end=datetime.time(15, 0),
        every_minutes=45,
        duration_minutes=45,
    )
    # Eight a day (9:00 to 14:15, the last ending at 15:00), six days.
    assert len(starts) == 48
    first = timezone.localtime(starts[0])
    assert (first.date(), first.time()) == (
        datetime.date(2026, 12, 8),
        datetime.time(9),
    )
    assert timezone.localtime(starts[7]).time() == datetime.time(14, 15)
    report = services.slot_series_publish(
        oral_exam=oral_exam,
        starts=starts,
        examiners=panel,
        lead_examiner=panel[0],
        by=panel[0],
        duration_minutes=45,
        place="Room 2",
    )
    assert len(report.created) == 48 and report.skipped == []
    slot = Slot.objects.order_by("starts_at").first()
    assert set(slot.examiners.all()) == set(panel)
    assert (slot.lead_examiner, slot.created_by) == (panel[0], panel[0])


def test_series_times_stay_at_the_wall_clock_across_a_daylight_saving_change():
    starts = selectors.slot_series_starts(
        weekdays=[5, 0],  # the Saturday and Monday around Sunday 8 March 2026
        first_day=datetime.date(2026, 3, 7),
        weeks=1,
        day_start=datetime.time(9, 0),
        day_end=datetime.time(10, 0),
        every_minutes=60,
        duration_minutes=60,
    )
    assert [timezone.localtime(s).hour for s in starts] == [9, 9]
    assert [s.utcoffset() for s in map(timezone.localtime, starts)] == [
        datetime.timedelta(hours=-5),
        datetime.timedelta(hours=-4),
    ]


def test_a_series_that_overlaps_lists_the_times_and_publishes_nothing(oral_exam, panel):
    existing = slot_of(
        oral_exam,
        starts_at=in_days(4, hour=10),
        examiners=[panel[1], UserFactory(role=roles.EXAMINER)],
        lead_examiner=panel[1],
    )
    starts = [in_days(4, hour=9), in_days(4, hour=9, minute=45), in_days(4, hour=11)]
    with pytest.raises(services.SlotsOverlap) as refused:
        services.slot_series_publish(
            oral_exam=oral_exam,
            starts=starts,
            examiners=panel,
            lead_examiner=panel[0],
            by=panel[0],
            duration_minutes=45,
            place="Room 2",
        )
    (overlap,) = refused.value.overlaps
    assert (overlap.starts_at, overlap.existing, overlap.examiner) == (
        starts[1],
        existing,
        panel[1],
    )
    assert "9:45" in refused.value.messages[0]
    assert Slot.objects.count() == 1


def test_a_series_may_skip_the_overlapping_times_and_publish_the_rest(oral_exam, panel):
    slot_of(
        oral_exam,
        starts_at=in_days(4, hour=10),
        examiners=panel,
        lead_examiner=panel[0],
    )
    starts = [in_days(4, hour=9), in_days(4, hour=10, minute=15), in_days(4, hour=11)]
    report = services.slot_series_publish(
        oral_exam=oral_exam,
        starts=starts,
        examiners=panel,
        lead_examiner=panel[0],
        by=panel[0],
        duration_minutes=45,
        place="Room 2",
        skip_overlaps=True,
    )
    assert [s.starts_at for s in report.created] == [starts[0], starts[2]]
    assert [o.starts_at for o in report.skipped] == [starts[1]]


def test_a_withdrawn_slot_does_not_block_the_time(oral_exam, panel):
    slot_of(
        oral_exam,
        starts_at=in_days(4),
        examiners=panel,
        lead_examiner=panel[0],
        cancelled_at=NOW,
    )
    slot = services.slot_publish(
        oral_exam=oral_exam,
        starts_at=in_days(4),
        examiners=panel,
        lead_examiner=panel[0],
        by=panel[0],
        place="Room 2",
    )
    assert slot.duration_minutes == oral_exam.duration_minutes


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("one examiner", "examiners"),
        ("not an examiner", "examiners"),
        ("lead not on panel", "lead_examiner"),
        ("publisher not on panel", "examiners"),
        ("no place or link", "place"),
        ("in the past", "starts_at"),
    ],
)
def test_a_slot_with_a_bad_panel_or_detail_names_the_field(
    oral_exam, panel, case, field
):
    examiners, lead, by = list(panel), panel[0], panel[0]
    place, starts = "Room 2", in_days(4)
    outsider = UserFactory(role=roles.EXAMINER)
    if case == "one examiner":
        examiners = [panel[0]]
    elif case == "not an examiner":
        examiners = [panel[0], UserFactory(role=roles.TRAINER)]
    elif case == "lead not on panel":
        lead = outsider
    elif case == "publisher not on panel":
        by = outsider
    elif case == "no place or link":
        place = ""
    else:
        starts = in_days(-1)
    with pytest.raises(ValidationError) as refused:
        services.slot_publish(
            oral_exam=oral_exam,
            starts_at=starts,
            examiners=examiners,
            lead_examiner=lead,
            by=by,
            place=place,
        )
    assert field in refused.value.message_dict
    assert not Slot.objects.exists()


def test_an_administrator_publishes_for_a_panel_they_are_not_on(oral_exam, panel):
    admin = UserFactory(role=roles.ADMINISTRATOR)
    slot = services.slot_publish(
        oral_exam=oral_exam,
        starts_at=in_days(4),
        examiners=panel,
        lead_examiner=panel[1],
        by=admin,
        video_link="https://meet.example.org/kps",
    )
    assert slot.created_by == admin


# Withdrawing ------------------------------------------------------------------------


def test_the_panel_withdraws_a_slot_nobody_booked(oral_exam):
    slot = slot_of(oral_exam)
    services.slot_withdraw(slot=slot, by=slot.lead_examiner)
    slot.refresh_from_db()
    assert slot.cancelled_at == NOW


def test_a_booked_slot_is_withdrawn_only_by_an_administrator_who_tells_the_trainee(
    oral_exam, trainee, django_capture_on_commit_callbacks
):
    slot = slot_of(oral_exam)
    booking = services.booking_create(slot=slot, trainee=trainee)
    with pytest.raises(ValidationError, match="only an administrator"):
        services.slot_withdraw(slot=slot, by=slot.lead_examiner, note="Ill.")
    admin = UserFactory(role=roles.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        services.slot_withdraw(slot=slot, by=admin)
    assert list(refused.value.message_dict) == ["note"]
    slot.refresh_from_db()
    assert slot.cancelled_at is None
    with django_capture_on_commit_callbacks(execute=True):
        services.slot_withdraw(slot=slot, by=admin, note="The examiner is ill.")
    booking.refresh_from_db()
    assert (booking.status, booking.note) == (
        Booking.Status.CANCELLED,
        "The examiner is ill.",
    )
    to_trainee = next(m for m in mail.outbox if m.to == [trainee.email])
    assert to_trainee.subject.startswith("Cancelled:")
    assert "The examiner is ill." in to_trainee.body


def test_an_examiner_not_on_the_panel_cannot_withdraw(oral_exam):
    slot = slot_of(oral_exam)
    with pytest.raises(PermissionDenied):
        services.slot_withdraw(slot=slot, by=UserFactory(role=roles.EXAMINER))


# On the day --------------------------------------------------------------------------


def test_marking_attended_opens_the_sitting_with_the_rubric_frozen(
    oral_exam, booked, frozen_clock
):
    frozen_clock.move_to(booked.slot.starts_at)
    sitting = services.booking_mark_attended(
        booking=booked, by=booked.slot.lead_examiner
    )
    booked.refresh_from_db()
    assert booked.status == Booking.Status.ATTENDED
    assert sitting.booking == booked
    assert [c["title"] for c in sitting.criteria] == ["Criterion 1", "Criterion 2"]


def test_attendance_is_not_marked_before_the_day(booked):
    with pytest.raises(ValidationError, match="on the day"):
        services.booking_mark_attended(booking=booked, by=booked.slot.lead_examiner)
    booked.refresh_from_db()
    assert booked.status == Booking.Status.BOOKED


def test_a_no_show_uses_an_attempt_until_an_administrator_excuses_it(
    oral_exam, booked, trainee, frozen_clock
):
    frozen_clock.move_to(booked.slot.starts_at - datetime.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="once the slot starts"):
        services.booking_mark_no_show(booking=booked, by=booked.slot.lead_examiner)
    frozen_clock.move_to(booked.slot.starts_at + datetime.timedelta(minutes=15))
    services.booking_mark_no_show(booking=booked, by=booked.slot.lead_examiner)
    assert (
        selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee).attempts_used
        == 1
    )
    with pytest.raises(PermissionDenied):
        services.booking_excuse(
            booking=booked, by=booked.slot.lead_examiner, note="Flat tyre."
        )
    admin = UserFactory(role=roles.ADMINISTRATOR)
    with pytest.raises(ValidationError) as refused:
        services.booking_excuse(booking=booked, by=admin, note=" ")
    assert list(refused.value.message_dict) == ["note"]
    services.booking_excuse(booking=booked, by=admin, note="Flat tyre on the way.")
    assert (
        selectors.oral_eligibility(oral_exam=oral_exam, trainee=trainee).attempts_used
        == 0
    )


def test_an_examiner_off_the_panel_cannot_mark_attendance(booked, frozen_clock):
    frozen_clock.move_to(booked.slot.starts_at)
    with pytest.raises(PermissionDenied):
        services.booking_mark_attended(
            booking=booked, by=UserFactory(role=roles.EXAMINER)
        )
    assert not Sitting.objects.exists()
