"""Background tasks of the exams app (django-tasks).

The database backend queues them for ``manage.py db_worker``; tests run them
at once. Each task takes ids, not records, and reads what it needs when it
runs, so it is safe to queue and to run on any worker.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from .services import oral_booking


@task()
def booking_notice_send(booking_id: int, kind: str, sequence: int) -> int:
    """Email one change to a booking to its trainee and panel."""
    return oral_booking.booking_notice_send(
        booking_id=booking_id, kind=kind, sequence=sequence
    )


@task()
def booking_reminder_send(booking_id: int) -> bool:
    """The day-before reminder of one booking, sent at most once."""
    return oral_booking.booking_reminder_send(booking_id=booking_id)


@task()
def booking_reminders_send_due() -> int:
    """Every reminder that is due and not sent yet: the safety net for
    reminders a backend could not defer, run by
    ``manage.py send_oral_exam_reminders``."""
    return oral_booking.booking_reminders_send_due()


def booking_reminder_schedule(booking_id: int, due_at: datetime.datetime) -> None:
    """Queue a booking's reminder for when it is due: at once if it is due
    already, deferred where the backend can defer (the database backend),
    and otherwise left to ``booking_reminders_send_due``."""
    if due_at <= timezone.now():
        booking_reminder_send.enqueue(booking_id)
    elif booking_reminder_send.get_backend().supports_defer:
        booking_reminder_send.using(run_after=due_at).enqueue(booking_id)
