"""The application fee: recorded by an administrator (audited), and the
checklist item it meets."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cms import roles
from cms.models import AuditEvent
from courses.models import FeePayment, FeeRequirement
from courses.services import fees as services
from tests.factories import adpss_credential, kps_credential, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(
        datetime.datetime(2026, 3, 15, 12, tzinfo=datetime.UTC), tick=False
    ):
        yield


def rule() -> FeeRequirement:
    return FeeRequirement.objects.create(
        credential=adpss_credential(),
        source_citation="201 KAR 35:050",
        effective_date=datetime.date(2026, 1, 1),
    )


def record(trainee, credential, by=None):
    return services.fee_record(
        trainee=trainee,
        credential=credential,
        amount=Decimal("50.00"),
        paid_on=datetime.date(2026, 3, 2),
        reference="R-1001",
        by=by or user_with_role(roles.ADMINISTRATOR),
    )


def test_the_fee_item_is_missing_until_an_administrator_records_it():
    requirement = rule()
    trainee = user_with_role(roles.TRAINEE)
    progress = requirement.progress(trainee)
    assert not progress.met
    assert progress.status == "Not recorded"
    assert "administrator records" in progress.next_step
    record(trainee, kps_credential())
    assert not requirement.progress(trainee).met
    record(user_with_role(roles.TRAINEE), adpss_credential())
    assert not requirement.progress(trainee).met
    record(trainee, adpss_credential())
    progress = requirement.progress(trainee)
    assert progress.met
    assert progress.status == "Paid on March 2, 2026"


def test_recording_is_audited_and_refused_to_others():
    trainee = user_with_role(roles.TRAINEE)
    payment = record(trainee, adpss_credential())
    event = AuditEvent.objects.get(action="application.fee_recorded")
    assert event.target_object_id == str(payment.pk)
    assert event.details["amount"] == "50.00"
    assert event.details["reference"] == "R-1001"
    with pytest.raises(PermissionDenied):
        record(trainee, adpss_credential(), by=user_with_role(roles.TRAINER))


@pytest.mark.parametrize("role", ["trainee", "trainer", "examiner", "supervisor"])
def test_only_administrators_reach_application_fees(client_as, role):
    trainee = user_with_role(roles.TRAINEE)
    client = client_as(role)
    assert client.get(reverse("courses:fees")).status_code == 403
    response = client.post(
        reverse("courses:fees"),
        {
            "trainee_email": trainee.email,
            "credential": adpss_credential().pk,
            "amount": "50",
            "paid_on": "2026-03-02",
            "reference": "R-1",
        },
    )
    assert response.status_code == 403
    assert not FeePayment.objects.exists()


def test_an_administrator_records_a_fee(client_as, django_assert_max_num_queries):
    trainee = user_with_role(roles.TRAINEE)
    client = client_as("administrator")
    data = {
        "trainee_email": trainee.email.upper(),
        "credential": adpss_credential().pk,
        "amount": "50.00",
        "paid_on": "2026-03-02",
        "reference": "R-1001",
    }
    assert client.post(reverse("courses:fees"), data).status_code == 302
    payment = FeePayment.objects.get()
    assert payment.trainee == trainee
    assert payment.amount == Decimal("50.00")
    for _ in range(3):
        record(user_with_role(roles.TRAINEE), adpss_credential())
    with django_assert_max_num_queries(14):
        page = client.get(reverse("courses:fees"))
    assert "R-1001" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("trainee_email", "nobody@example.org", "No trainee has this email address."),
        ("amount", "0", "Ensure this value is greater than or equal to 0.01."),
        ("amount", "abc", "Enter a number."),
        ("paid_on", "2026-04-01", "The date cannot be in the future."),
        ("reference", "", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_recorded(
    client_as, field, value, message
):
    trainee = user_with_role(roles.TRAINEE)
    data = {
        "trainee_email": trainee.email,
        "credential": adpss_credential().pk,
        "amount": "50",
        "paid_on": "2026-03-02",
        "reference": "R-1",
        field: value,
    }
    response = client_as("administrator").post(reverse("courses:fees"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FeePayment.objects.exists()


def test_a_staff_member_is_not_a_trainee_to_record_a_fee_for(client_as):
    trainer = user_with_role(roles.TRAINER)
    data = {
        "trainee_email": trainer.email,
        "credential": adpss_credential().pk,
        "amount": "50",
        "paid_on": "2026-03-02",
        "reference": "R-1",
    }
    response = client_as("administrator").post(reverse("courses:fees"), data)
    assert "No trainee has this email address." in response.content.decode()
