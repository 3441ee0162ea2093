"""Calendar invitations, emails and reminders of oral-exam bookings, through
the task backend."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cms import roles
from exams import services
from exams.models import Booking
from tests.factories import (
    OralExamFactory,
    SlotFactory,
    UserFactory,
    in_days,
    oral_ready_trainee,
)

EASTERN = zoneinfo.ZoneInfo("America/New_York")
NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=EASTERN)


def invitation(message) -> icalendar.Calendar:
    (attachment,) = message.attachments
    assert attachment.mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(attachment.content)


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def slot(db, clock):
    exam = OralExamFactory(title="KPS oral test")
    return SlotFactory(
        oral_exam=exam,
        starts_at=datetime.datetime(2026, 12, 8, 10, 30, tzinfo=EASTERN),
        place="275 E. Main Street, Frankfort",
        video_link="https://meet.example.org/kps-oral",
    )


@pytest.fixture
def trainee(slot):
    return oral_ready_trainee(slot.oral_exam)


@pytest.mark.django_db
def test_nothing_is_sent_until_the_booking_commits(
    slot, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.booking_create(slot=slot, trainee=trainee)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_booking_emails_the_trainee_and_the_panel_an_invitation(
    slot, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=slot, trainee=trainee)
    to_trainee, to_panel = mail.outbox
    assert to_trainee.to == [trainee.email]
    assert sorted(to_panel.to) == sorted(e.email for e in slot.examiners.all())
    assert to_trainee.subject == (
        "Booked: KPS oral test on Dec. 8, 2026, 10:30 a.m. (Eastern time)"
    )
    assert "https://meet.example.org/kps-oral" in to_trainee.body
    assert trainee.legal_name in to_panel.body

    calendar = invitation(to_trainee)
    event = the_event(calendar)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{booking.uid}@oral-exams.peer-specialist-training"
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start == datetime.datetime(2026, 12, 8, 10, 30, tzinfo=EASTERN)
    assert str(start.tzinfo) == "America/New_York"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTEND") - start == datetime.timedelta(minutes=30)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/New_York"
    attendees = {str(a).removeprefix("mailto:") for a in event.get("ATTENDEE")}
    assert attendees == {trainee.email} | {e.email for e in slot.examiners.all()}
    assert invitation(to_panel).to_ical() == calendar.to_ical()


@pytest.mark.django_db
def test_a_cancellation_sends_the_same_uid_with_the_next_sequence(
    slot, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=slot, trainee=trainee)
    booked = the_event(invitation(mail.outbox[0]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking, by=trainee)
    calendar = invitation(mail.outbox[0])
    event = the_event(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == str(booked["UID"])
    assert event["SEQUENCE"] == 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert mail.outbox[0].subject.startswith("Cancelled:")


@pytest.mark.django_db
def test_a_move_cancels_the_old_invitation_and_sends_the_new_one(
    slot, trainee, django_capture_on_commit_callbacks
):
    later = SlotFactory(oral_exam=slot.oral_exam, starts_at=in_days(7, hour=14))
    booking = services.booking_create(slot=slot, trainee=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.booking_move(booking=booking, slot=later, by=trainee)
    to_trainee = [m for m in mail.outbox if m.to == [trainee.email]]
    methods = {invitation(m)["METHOD"]: the_event(invitation(m)) for m in to_trainee}
    assert set(methods) == {"CANCEL", "REQUEST"}
    assert str(methods["CANCEL"]["UID"]).startswith(str(booking.uid))
    assert str(methods["REQUEST"]["UID"]).startswith(str(new.uid))
    assert methods["REQUEST"].decoded("DTSTART") == later.starts_at
    # Each panel hears about its own slot only.
    old_panel = {e.email for e in slot.examiners.all()}
    new_panel = {e.email for e in later.examiners.all()}
    panel_mail = [m for m in mail.outbox if m.to != [trainee.email]]
    assert {(frozenset(m.to), invitation(m)["METHOD"]) for m in panel_mail} == {
        (frozenset(old_panel), "CANCEL"),
        (frozenset(new_panel), "REQUEST"),
    }


@pytest.mark.django_db
def test_add_to_calendar_downloads_the_same_invitation(
    client, slot, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(slot=slot, trainee=trainee)
    emailed = the_event(invitation(mail.outbox[0]))
    client.force_login(trainee)
    response = client.get(f"/exams/oral/bookings/{booking.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    downloaded = icalendar.Calendar.from_ical(response.content)
    assert downloaded["METHOD"] == "REQUEST"
    event = the_event(downloaded)
    for name in ("UID", "SEQUENCE", "DTSTART", "DTEND", "LOCATION", "URL"):
        assert event.decoded(name) == emailed.decoded(name), name


# Reminders ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reminder_goes_out_24_hours_before_and_only_once(slot, trainee, clock):
    booking = services.booking_create(slot=slot, trainee=trainee)
    mail.outbox.clear()
    clock.move_to(slot.starts_at - datetime.timedelta(hours=24, minutes=1))
    assert services.booking_reminders_send_due() == 0
    assert mail.outbox == []
    clock.move_to(slot.starts_at - datetime.timedelta(hours=24))
    assert services.booking_reminders_send_due() == 1
    assert [sorted(m.to) for m in mail.outbox] == [
        [trainee.email],
        sorted(e.email for e in slot.examiners.all()),
    ]
    assert mail.outbox[0].subject.startswith("Reminder:")
    assert invitation(mail.outbox[0])["METHOD"] == "REQUEST"
    # A second worker, or the hourly sweep, finds it claimed.
    clock.move_to(slot.starts_at - datetime.timedelta(hours=2))
    assert services.booking_reminders_send_due() == 0
    assert services.booking_reminder_send(booking_id=booking.pk) is False
    assert len(mail.outbox) == 2
    booking.refresh_from_db()
    assert booking.reminder_sent_at == slot.starts_at - datetime.timedelta(hours=24)


@pytest.mark.django_db
def test_a_cancelled_booking_gets_no_reminder(slot, trainee, clock):
    booking = services.booking_create(slot=slot, trainee=trainee)
    services.booking_cancel(booking=booking, by=trainee)
    clock.move_to(slot.starts_at - datetime.timedelta(hours=3))
    mail.outbox.clear()
    assert services.booking_reminders_send_due() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_reminder_command_runs_the_sweep_through_the_task_backend(
    slot, trainee, clock
):
    services.booking_create(slot=slot, trainee=trainee)
    mail.outbox.clear()
    clock.move_to(slot.starts_at - datetime.timedelta(hours=20))
    call_command("send_oral_exam_reminders", verbosity=0)
    call_command("send_oral_exam_reminders", verbosity=0)
    assert len(mail.outbox) == 2  # the trainee and the panel, once
    assert all(m.subject.startswith("Reminder:") for m in mail.outbox)


@pytest.mark.django_db
def test_a_booking_made_within_a_day_is_reminded_at_once(
    slot, trainee, clock, django_capture_on_commit_callbacks
):
    admin = UserFactory(role=roles.ADMINISTRATOR)
    soon = SlotFactory(
        oral_exam=slot.oral_exam, starts_at=NOW + datetime.timedelta(hours=5)
    )
    booking = services.booking_create(slot=slot, trainee=trainee)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_move(booking=booking, slot=soon, by=admin, note="Moved up.")
    subjects = sorted(m.subject.split(":")[0] for m in mail.outbox)
    assert subjects.count("Reminder") == 2  # trainee and panel


# The database backend, as in production -------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_backend_the_worker_sends_mail_and_defers_the_reminder(
    settings,
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default"],
        }
    }
    with time_machine.travel(NOW, tick=False) as clock:
        exam = OralExamFactory()
        slot = SlotFactory(oral_exam=exam, starts_at=in_days(5))
        trainee = oral_ready_trainee(exam)
        booking = services.booking_create(slot=slot, trainee=trainee)

        # The request only queued work.
        assert mail.outbox == []
        queued = {
            r.task_path: r
            for r in DBTaskResult.objects.filter(task_path__startswith="exams.")
        }
        assert set(queued) == {
            "exams.tasks.booking_notice_send",
            "exams.tasks.booking_reminder_send",
        }
        reminder = queued["exams.tasks.booking_reminder_send"]
        assert reminder.run_after == slot.starts_at - datetime.timedelta(hours=24)

        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
        )
        assert [m.subject.split(":")[0] for m in mail.outbox] == ["Booked", "Booked"]

        clock.move_to(slot.starts_at - datetime.timedelta(hours=23))
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
        )
        assert [m.subject.split(":")[0] for m in mail.outbox][2:] == [
            "Reminder",
            "Reminder",
        ]
        booking.refresh_from_db()
        assert booking.reminder_sent_at is not None
        assert Booking.objects.filter(reminder_sent_at__isnull=True).count() == 0
