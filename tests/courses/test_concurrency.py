"""Races that only a real database can referee: run on PostgreSQL.

Each test starts two threads, each with its own database connection, lets
them reach the critical call together, and checks there is exactly one
winner.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from courses import services
from courses.models import (
    CohortSeat,
    HourEntry,
    LessonPage,
    ModulePage,
)
from tests.factories import alcohol_drug_course, kps_course, make_cohort

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(*calls):
    """Run the calls at the same moment in threads; return results or errors."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_trainers_confirming_the_last_seat_leaves_one_winner(
    on_postgres, make_user
):
    course = kps_course()
    trainer = make_user("trainer")
    cohort = make_cohort(course, trainers=[trainer], capacity=1)
    first = CohortSeat.objects.create(cohort=cohort, trainee=make_user("trainee"))
    second = CohortSeat.objects.create(cohort=cohort, trainee=make_user("trainee"))

    outcomes = race(
        lambda: services.seat_confirm(seat=first, by=trainer),
        lambda: services.seat_confirm(seat=second, by=trainer),
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, ValidationError)
    assert "full" in " ".join(error.messages)
    assert cohort.seats.filter(status=CohortSeat.Status.CONFIRMED).count() == 1


def test_two_trainees_requesting_and_being_added_never_overfill(on_postgres, make_user):
    course = kps_course()
    trainer = make_user("trainer")
    admin = make_user("administrator")  # gives seats directly; trainers invite
    cohort = make_cohort(course, trainers=[trainer], capacity=1)
    emails = [make_user("trainee").email for _ in range(3)]

    outcomes = race(
        *[
            (
                lambda email=email: services.seat_add(
                    cohort=cohort, email=email, by=admin
                )
            )
            for email in emails
        ]
    )

    assert [kind for kind, _ in outcomes].count("ok") == 1
    assert cohort.seats.filter(status=CohortSeat.Status.CONFIRMED).count() == 1


def test_completing_the_last_lesson_in_two_tabs_credits_the_module_once(
    on_postgres, make_user
):
    course = alcohol_drug_course(modules=["domestic-violence"])  # two lessons
    module = ModulePage.objects.child_of(course).get(slug="domestic-violence")
    trainee = make_user("trainee")
    services.enrollment_create(trainee=trainee, course=course)
    lessons = list(LessonPage.objects.live().child_of(module))
    for lesson in lessons[:-1]:
        services.lesson_complete(trainee=trainee, lesson=lesson)

    outcomes = race(
        lambda: services.lesson_complete(trainee=trainee, lesson=lessons[-1]),
        lambda: services.lesson_complete(trainee=trainee, lesson=lessons[-1]),
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    credited = [value[1] for _, value in outcomes if value[1] is not None]
    assert len(credited) <= 1
    entries = HourEntry.objects.filter(trainee=trainee, module=module)
    assert entries.count() == 1
    assert entries.get().hours == module.credit_hours


def test_two_tabs_recording_attendance_keep_the_ledger_consistent(
    on_postgres, make_user
):
    from decimal import Decimal

    from django.db.models import Sum

    from tests.factories import make_session, seat

    course = alcohol_drug_course(modules=["ethics-foundations"])
    trainer = make_user("trainer")
    trainee = make_user("trainee")
    cohort = make_cohort(course, trainers=[trainer])
    session = make_session(
        cohort, [ModulePage.objects.child_of(course).get(slug="ethics-foundations")]
    )
    seat(cohort, trainee, trainer)

    race(
        lambda: services.attendance_record(
            session=session,
            trainee=trainee,
            status="present",
            minutes=360,
            by=trainer,
        ),
        lambda: services.attendance_record(
            session=session, trainee=trainee, status="late", minutes=300, by=trainer
        ),
    )

    total = HourEntry.objects.filter(trainee=trainee).aggregate(t=Sum("hours"))["t"]
    assert total in (Decimal("6.00"), Decimal("5.00"))
    live = HourEntry.objects.filter(
        trainee=trainee, reverses__isnull=True, reversed_by__isnull=True
    )
    assert live.count() == 1
