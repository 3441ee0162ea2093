"""The verification of training hours: certificates and verified trainings
from elsewhere against a credential's minimums, as a page, an Excel workbook
in the board's layout and a PDF signed off by the program."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from courses import selectors, services
from tests.factories import (
    CertificateFactory,
    ExternalHoursFactory,
    adpss_credential,
    certificate_world,
    hour_category,
    make_cohort,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record_world(db, private_media, make_user):
    credential = adpss_credential()
    trainee = make_user("trainee", legal_name="Riley Record")
    trainer = make_user("trainer")
    hour_category("ethics")
    hour_category("advocacy")
    certificate = CertificateFactory(trainee=trainee)
    CertificateFactory(
        trainee=trainee, status="revoked", revoked_at=certificate.issued_at
    )
    external = ExternalHoursFactory(trainee=trainee, hours=Decimal(6))
    services.entry_decide(entry=external, by=trainer, verify=True)
    ExternalHoursFactory(trainee=trainee, hours=Decimal(2))  # pending: not listed
    return {
        "credential": credential,
        "trainee": trainee,
        "trainer": trainer,
        "certificate": certificate,
        "external": external,
    }


def test_the_record_lists_certificates_and_verified_trainings_against_minimums(
    record_world,
):
    record = selectors.hour_verification_record(
        trainee=record_world["trainee"], credential=record_world["credential"]
    )
    assert [(row.kind, row.title) for row in record.rows] == [
        ("external", "Suicide assessment, treatment and management"),
        ("certificate", record_world["certificate"].course_title),
    ]
    by_slug = {topic.category.slug: topic for topic in record.topics}
    assert by_slug["ethics"].total == Decimal(16)
    assert by_slug["ethics"].shortfall == 0
    assert by_slug["advocacy"].total == Decimal(10)
    assert by_slug["suicide-prevention"].total == Decimal(6)
    assert by_slug["domestic-violence"].shortfall == Decimal(3)
    assert record.total == Decimal(32)
    assert record.total_minimum == Decimal(60)
    assert record.shortfall == Decimal(28)
    assert not record.is_met


def test_the_excel_record_has_the_boards_layout(client, record_world):
    client.force_login(record_world["trainee"])
    response = client.get(
        reverse("courses:my_hour_record"),
        {"credential": record_world["credential"].pk, "format": "xlsx"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1] == ["Trainee (legal name)", "Riley Record"] + [None] * (
        len(rows[1]) - 2
    )
    header = rows[5]
    assert header[:4] == ["Date", "Training", "Provider", "Certificate code"]
    ethics = header.index("Ethics")
    total = header.index("Total")
    certificate_row = next(
        r for r in rows if r[3] == record_world["certificate"].grouped_code
    )
    assert certificate_row[ethics] == 16
    labels = {row[0]: row for row in rows[-3:]}
    assert labels["Total"][total] == 32
    assert labels["Minimum"][ethics] == 16
    assert labels["Minimum"][total] == 60
    assert labels["Shortfall"][header.index("Domestic violence")] == 3
    assert labels["Shortfall"][total] == 28


def test_an_administrator_signs_off_and_is_emailed_the_pdf(client_as, record_world):
    client = client_as("administrator")
    url = reverse("courses:trainee_hour_record", args=[record_world["trainee"].pk])
    response = client.post(url, {"credential": record_world["credential"].pk})
    assert response.status_code == 302
    (message,) = mail.outbox
    _name, data, mime = message.attachments[0]
    assert mime == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Riley Record" in text
    assert "Signed off by" in text


@pytest.mark.parametrize("role", ["trainer", "trainee", "examiner", "supervisor"])
def test_only_administrators_sign_off(client_as, record_world, role):
    url = reverse("courses:trainee_hour_record", args=[record_world["trainee"].pk])
    response = client_as(role).post(url, {"credential": ""})
    assert response.status_code == 403
    assert mail.outbox == []


def test_the_trainee_cannot_sign_off_their_own(client, record_world):
    client.force_login(record_world["trainee"])
    response = client.post(reverse("courses:my_hour_record"), {"credential": ""})
    assert response.status_code == 403


def test_my_record_sends_visitors_to_sign_in(client):
    response = client.get(reverse("courses:my_hour_record"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("trainee", 200),
        ("trainer", 403),
        ("examiner", 403),
        ("supervisor", 403),
        ("administrator", 403),
    ],
)
def test_my_record_for_each_role(client_as, role, status):
    assert client_as(role).get(reverse("courses:my_hour_record")).status_code == (
        status
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("their_trainer", 200),
        ("administrator", 200),
        ("other_trainer", 403),
        ("other_trainee", 403),
        ("examiner", 403),
        ("supervisor", 403),
    ],
)
def test_a_trainees_record_for_each_role(client, make_user, record_world, who, status):
    trainee = record_world["trainee"]
    if who == "their_trainer":
        trainer = make_user("trainer")
        make_cohort(CertificateFactory().course, trainers=[trainer], trainees=[trainee])
        user = trainer
    else:
        user = make_user(who.replace("other_", ""))
    client.force_login(user)
    response = client.get(reverse("courses:trainee_hour_record", args=[trainee.pk]))
    assert response.status_code == status


def test_the_record_page_queries_do_not_grow_with_certificates(
    client, record_world, django_assert_max_num_queries
):
    client.force_login(record_world["trainee"])
    url = reverse("courses:my_hour_record")
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(5):
        CertificateFactory(trainee=record_world["trainee"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.context["record"].rows) == 7


def test_my_hours_marks_the_rows_a_certificate_covers(client, private_media):
    world = certificate_world()
    world.finish()
    services.certificate_issue(trainee=world.trainee, course=world.course)
    client.force_login(world.trainee)
    page = client.get(reverse("courses:my_hours")).content.decode()
    assert page.count("Certified: covered by a completion certificate") == 2
    assert datetime.date.today()
