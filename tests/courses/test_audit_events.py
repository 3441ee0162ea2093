"""Seat decisions, hour verification and reversals, attendance corrections
and sign-in sheets each leave one audit event naming who and what."""

from decimal import Decimal

import pytest

from cms.models import AuditEvent
from courses import services
from courses.models import CohortSeat, HourEntry
from courses.spreadsheets_attendance import SheetRow
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def last_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def only_event(since, action):
    found = list(AuditEvent.objects.filter(pk__gt=since, action=action))
    assert len(found) == 1, list(
        AuditEvent.objects.filter(pk__gt=since).values_list("action", flat=True)
    )
    return found[0]


def test_confirming_and_declining_seats_is_recorded(world):
    trainer, cohort = world["trainer"], world["cohort"]
    asking = [user_with_role("Trainees"), user_with_role("Trainees")]
    seats = [services.seat_request(trainee=t, cohort=cohort) for t in asking]
    since = last_pk()
    services.seat_confirm(seat=seats[0], by=trainer)
    services.seat_decline(seat=seats[1], by=trainer)
    confirmed = only_event(since, "seat.confirmed")
    assert (confirmed.actor, confirmed.target_object_id) == (trainer, str(seats[0].pk))
    assert confirmed.details["trainee"] == asking[0].pk
    declined = only_event(since, "seat.declined")
    assert (declined.actor, declined.target_object_id) == (trainer, str(seats[1].pk))
    assert CohortSeat.objects.get(pk=seats[1].pk).status == CohortSeat.Status.DECLINED


@pytest.mark.parametrize("verify", [True, False])
def test_verifying_or_rejecting_hours_is_recorded(world, verify):
    entry, trainer = world["entry"], world["trainer"]
    since = last_pk()
    services.entry_decide(
        entry=entry, by=trainer, verify=verify, reason="" if verify else "Unreadable."
    )
    event = only_event(since, "hours.verified" if verify else "hours.rejected")
    assert (event.actor, event.target_object_id) == (trainer, str(entry.pk))
    assert Decimal(event.details["hours"]) == Decimal("6")
    assert event.reason == ("" if verify else "Unreadable.")


def test_correcting_attendance_records_the_mark_before_and_after_and_the_reversals(
    world,
):
    session, trainee, trainer = world["session"], world["trainee"], world["trainer"]
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    since = last_pk()
    services.attendance_record(
        session=session, trainee=trainee, status="late", minutes=300, by=trainer
    )
    event = only_event(since, "attendance.corrected")
    assert event.actor == trainer
    assert event.details["old"] == {"status": "present", "minutes": 360}
    assert event.details["new"] == {"status": "late", "minutes": 300}
    reversed_ = AuditEvent.objects.filter(pk__gt=since, action="hours.reversed")
    credited = HourEntry.objects.filter(
        attendance__trainee=trainee, reverses__isnull=True, hours__gt=0
    ).first()
    assert [e.target_object_id for e in reversed_] == [str(credited.pk)]
    assert reversed_[0].reason == "Attendance corrected"


def test_an_unchanged_mark_records_nothing(world):
    session, trainee, trainer = world["session"], world["trainee"], world["trainer"]
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    since = last_pk()
    services.attendance_record(
        session=session, trainee=trainee, status="present", minutes=360, by=trainer
    )
    assert not AuditEvent.objects.filter(pk__gt=since).exists()


def test_applying_a_sign_in_sheet_is_recorded_once(world):
    session, trainee, trainer = world["session"], world["trainee"], world["trainer"]
    rows = [SheetRow(7, trainee.pk, "present", 360)]
    since = last_pk()
    services.attendance_upload_apply(
        session=session, data=b"workbook bytes", rows=rows, by=trainer
    )
    services.attendance_upload_apply(
        session=session, data=b"workbook bytes", rows=rows, by=trainer
    )
    event = only_event(since, "attendance.sheet_uploaded")
    assert (event.actor, event.target_object_id) == (trainer, str(session.pk))
    assert event.details["rows"] == 1
