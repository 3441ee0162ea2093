"""Oral-exam booking races on PostgreSQL, with real threads and connections."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from exams import services
from exams.models import Booking
from tests.courses.test_concurrency import race
from tests.factories import OralExamFactory, SlotFactory, in_days, oral_ready_trainee

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_twenty_trainees_booking_the_last_place_leave_exactly_one_winner(on_postgres):
    exam = OralExamFactory()
    slot = SlotFactory(oral_exam=exam, starts_at=in_days(5), capacity=2)
    first = oral_ready_trainee(exam)
    services.booking_create(slot=slot, trainee=first)  # one place left
    trainees = [oral_ready_trainee(exam) for _ in range(20)]

    outcomes = race(
        *[(lambda t=t: services.booking_create(slot=slot, trainee=t)) for t in trainees]
    )

    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error"] * 19 + ["ok"]
    for kind, value in outcomes:
        if kind == "error":
            assert isinstance(value, ValidationError)
            assert value.message_dict == {
                "slot": ["This slot has just been taken: it is full. Choose another."]
            }
    assert slot.bookings.filter(status=Booking.Status.BOOKED).count() == 2


def test_twenty_trainees_posting_the_last_place_get_one_booking_and_a_message(
    on_postgres,
):
    exam = OralExamFactory()
    slot = SlotFactory(oral_exam=exam, starts_at=in_days(5))
    clients = []
    for _ in range(20):
        client = Client()
        client.force_login(oral_ready_trainee(exam))
        clients.append(client)

    outcomes = race(
        *[
            (lambda c=c: c.post(f"/exams/oral/{exam.pk}/slots/", {"slot": slot.pk}))
            for c in clients
        ]
    )

    statuses = sorted(value.status_code for _kind, value in outcomes)
    assert statuses == [302] + [400] * 19
    for _kind, response in outcomes:
        if response.status_code == 400:
            assert "Slot: This slot has just been taken: it is full." in (
                response.content.decode()
            )
    assert slot.bookings.count() == 1


def test_one_trainee_booking_two_slots_at_once_holds_one_booking(on_postgres):
    exam = OralExamFactory()
    slots = [SlotFactory(oral_exam=exam, starts_at=in_days(d)) for d in (4, 5)]
    trainee = oral_ready_trainee(exam)

    outcomes = race(
        *[(lambda s=s: services.booking_create(slot=s, trainee=trainee)) for s in slots]
    )

    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
    error = next(value for kind, value in outcomes if kind == "error")
    assert "already have a booking" in error.messages[0]
    assert Booking.objects.filter(trainee=trainee, status="booked").count() == 1
