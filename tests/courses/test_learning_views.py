"""The trainee's pages: enrolling, progress, the dashboard, hours, uploads."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from courses import services
from courses.models import (
    CohortSeat,
    CoursePage,
    Enrollment,
    HourEntry,
    LessonPage,
    ModulePage,
)
from tests.factories import (
    alcohol_drug_course,
    hour_category,
    kps_course,
    make_cohort,
    make_session,
    seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ad_course():
    """Four modules: classroom ethics (one lesson), online domestic violence
    and HIV (two lessons each, HIV third of the four) and classroom advocacy
    (one lesson): six lessons in all."""
    return alcohol_drug_course(
        modules=[
            "ethics-foundations",
            "domestic-violence",
            "hiv",
            "advocacy-self-and-peer",
        ]
    )


@pytest.fixture
def kps():
    return kps_course()


def test_enroll_from_the_course_page_then_continue(client, make_user, ad_course):
    trainee = make_user("trainee")
    client.force_login(trainee)
    html = client.get(ad_course.url).content.decode()
    assert reverse("courses:enroll", args=[ad_course.pk]) in html

    client.post(reverse("courses:enroll", args=[ad_course.pk]))
    assert Enrollment.objects.filter(trainee=trainee, course=ad_course).exists()
    first_lesson = (
        LessonPage.objects.live().descendant_of(ad_course).order_by("path")[0]
    )
    html = client.get(ad_course.url).content.decode()
    assert "Start: " + first_lesson.title in html

    client.post(reverse("courses:complete_lesson", args=[first_lesson.pk]))
    second = LessonPage.objects.live().descendant_of(ad_course).order_by("path")[1]
    html = client.get(ad_course.url).content.decode()
    assert "Continue: " + second.title in html
    assert "1 of 6" in html


def test_lesson_page_shows_position_and_mark_complete(client, make_user, ad_course):
    trainee = make_user("trainee")
    services.enrollment_create(trainee=trainee, course=ad_course)
    client.force_login(trainee)
    module = ModulePage.objects.child_of(ad_course).get(slug="hiv")
    lessons = list(LessonPage.objects.live().child_of(module))
    html = client.get(lessons[1].url).content.decode()
    assert "Lesson 2 of 2" in html
    assert "Module 3 of 4" in html
    assert "Mark complete" in html
    response = client.post(reverse("courses:complete_lesson", args=[lessons[1].pk]))
    assert response.status_code == 302
    html = client.get(lessons[1].url).content.decode()
    assert "Mark complete" not in html
    assert "You have marked this lesson complete" in html


def test_completing_a_module_shows_its_hours_on_the_dashboard(
    client, make_user, ad_course
):
    trainee = make_user("trainee")
    services.enrollment_create(trainee=trainee, course=ad_course)
    client.force_login(trainee)
    module = ModulePage.objects.child_of(ad_course).get(slug="hiv")
    for lesson in LessonPage.objects.live().child_of(module):
        response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2 hours of HIV" in m for m in messages)
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert 'aria-label="2 hours of HIV"' in html
    assert "2 of 2 hours" in html
    assert 'aria-valuenow="100"' in html


def test_full_cohort_says_so_and_offers_no_request(client, make_user, kps):
    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer], capacity=1, name="Spring cohort")
    seat(cohort, make_user("trainee"), trainer)
    client.force_login(make_user("trainee"))
    html = client.get(kps.url).content.decode()
    assert "Spring cohort" in html
    assert "Full" in html
    assert reverse("courses:request_seat", args=[cohort.pk]) not in html
    response = client.post(reverse("courses:request_seat", args=[cohort.pk]))
    assert response.status_code == 302
    assert not CohortSeat.objects.filter(status="requested").exists()


def test_request_a_seat_then_trainer_confirms(client, make_user, kps):
    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer], capacity=3)
    trainee = make_user("trainee")
    client.force_login(trainee)
    client.post(reverse("courses:request_seat", args=[cohort.pk]))
    seat_row = CohortSeat.objects.get(trainee=trainee)
    assert "Your seat: Requested" in client.get(kps.url).content.decode()

    client.force_login(trainer)
    client.post(
        reverse("courses:seat_decide", args=[cohort.pk, seat_row.pk, "confirm"])
    )
    seat_row.refresh_from_db()
    assert seat_row.status == CohortSeat.Status.CONFIRMED
    assert Enrollment.objects.filter(trainee=trainee, course=kps).exists()


def submit(client, **overrides):
    data = {
        "category": hour_category("suicide-prevention").pk,
        "hours": "6",
        "earned_on": "2026-03-01",
        "description": "Suicide assessment, treatment and management",
        "provider": "Kentucky Training Center",
        "evidence": SimpleUploadedFile("certificate.pdf", b"%PDF-1.5 signed"),
        "submission_id": "0b7c2d1e-8f4a-4c55-9f00-123456789abc",
    }
    data.update(overrides)
    return client.post(reverse("courses:submit_hours"), data)


def test_submitting_hours_from_elsewhere_is_pending(client, make_user, private_media):
    trainee = make_user("trainee")
    client.force_login(trainee)
    response = submit(client)
    assert response.status_code == 302
    entry = HourEntry.objects.get(trainee=trainee)
    assert entry.status == HourEntry.Status.PENDING
    assert entry.hours == Decimal("6")
    assert entry.evidence.name.endswith(".pdf")
    assert "certificate" not in entry.evidence.name  # the stored name is random
    submit(client)  # the same form posted again
    assert HourEntry.objects.filter(trainee=trainee).count() == 1
    html = client.get(reverse("courses:my_hours")).content.decode()
    assert "Pending" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"evidence": SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00program")},
            "evidence",
            "PDF, PNG or JPEG",
        ),
        (
            {"evidence": SimpleUploadedFile("setup.exe", b"MZ\x90\x00program")},
            "evidence",
            "PDF, PNG or JPEG",
        ),
        (
            {"evidence": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 2**20))},
            "evidence",
            "the limit is 5.0",
        ),
        ({"evidence": SimpleUploadedFile("empty.pdf", b"")}, "evidence", "empty"),
        ({"hours": "0"}, "hours", "greater than or equal to 0.25"),
        ({"hours": "six"}, "hours", "Enter a number"),
        ({"earned_on": "2999-01-01"}, "earned_on", "future"),
        ({"description": ""}, "description", "required"),
        ({"category": "999999"}, "category", "valid choice"),
    ],
)
def test_bad_submissions_name_the_field_and_store_nothing(
    client, make_user, private_media, overrides, field, message
):
    trainee = make_user("trainee")
    client.force_login(trainee)
    response = submit(client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not HourEntry.objects.filter(trainee=trainee).exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))


def test_png_and_jpeg_certificates_are_accepted(client, make_user, private_media):
    trainee = make_user("trainee")
    client.force_login(trainee)
    png = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    jpeg = SimpleUploadedFile("b.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 32)
    submit(client, evidence=png, submission_id="11111111-1111-4111-8111-111111111111")
    submit(client, evidence=jpeg, submission_id="22222222-2222-4222-8222-222222222222")
    names = sorted(
        e.evidence.name[-4:] for e in HourEntry.objects.filter(trainee=trainee)
    )
    assert names == [".jpg", ".png"]


def test_trainer_rejects_with_a_reason_the_trainee_sees(client, world):
    client.force_login(world["trainer"])
    entry = world["entry"]
    response = client.post(
        reverse("courses:entry_decide", args=[entry.pk, "reject"]), {"reason": ""}
    )
    assert response.status_code == 302
    assert HourEntry.objects.get(pk=entry.pk).status == "pending"
    client.post(
        reverse("courses:entry_decide", args=[entry.pk, "reject"]),
        {"reason": "The certificate does not show the hours."},
    )
    assert HourEntry.objects.get(pk=entry.pk).status == "rejected"
    client.force_login(world["trainee"])
    html = client.get(reverse("courses:my_hours")).content.decode()
    assert "The certificate does not show the hours." in html


def test_trainer_verifies_and_the_hours_count(client, world):
    client.force_login(world["trainer"])
    queue = client.get(reverse("courses:verification_queue")).content.decode()
    assert world["trainee"].legal_name in queue
    client.post(reverse("courses:entry_decide", args=[world["entry"].pk, "verify"]))
    client.force_login(world["trainee"])
    html = client.get(reverse("courses:my_hours")).content.decode()
    assert "Verified" in html


def add_entries(trainee, trainer, count):
    cohort = make_cohort(
        CoursePage.objects.get(slug="alcohol-drug-peer-support"),
        trainers=[trainer],
        capacity=100,
    )
    seat(cohort, trainee, trainer)
    module = ModulePage.objects.get(slug="ethics-foundations")
    for day in range(count):
        session = make_session(
            cohort, [module], date=cohort.start_date + datetime.timedelta(days=day)
        )
        services.attendance_record(
            session=session, trainee=trainee, status="present", minutes=60, by=trainer
        )


@pytest.mark.parametrize("name", ["courses:dashboard", "courses:my_hours"])
def test_query_count_does_not_grow_with_entries(
    client, make_user, name, ad_course, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    trainee = make_user("trainee")
    trainer = make_user("trainer")
    services.enrollment_create(trainee=trainee, course=ad_course)
    client.force_login(trainee)
    add_entries(trainee, trainer, 1)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    add_entries(trainee, trainer, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(many) == len(few)
    # The dashboard also measures every credential requirement, one query per
    # requirement type and fact (tests/courses/test_requirements.py).
    budget = {"courses:dashboard": 38, "courses:my_hours": 26}[name]
    with django_assert_max_num_queries(budget):
        client.get(reverse(name))


def test_administrator_downloads_a_ledger_laid_out_for_the_board(client, world):
    trainer, trainee = world["trainer"], world["trainee"]
    services.attendance_record(
        session=world["session"],
        trainee=trainee,
        status="present",
        minutes=360,
        by=trainer,
    )
    client.force_login(world["admin"])
    adpss = world["course"].credential
    response = client.get(
        reverse("courses:trainee_ledger", args=[trainee.pk]),
        {"credential": adpss.pk, "format": "xlsx"},
    )
    workbook = load_workbook(BytesIO(response.content))
    summary = [[c.value for c in row] for row in workbook["Verification of training"]]
    assert summary[1][:2] == ["Trainee (legal name)", trainee.legal_name]
    rows = {row[0]: row[1:4] for row in summary if row and row[0]}
    assert rows["Ethics"] == [16, 6, "No"]
    assert rows["Domestic violence"] == [3, 0, "No"]
    # KRS 210.366's six hours are one of the credential's minimums.
    assert rows["Suicide assessment, treatment and management"][:2] == [6, 0]
    entries = [[c.value for c in row] for row in workbook["Entries"]]
    assert entries[0][:3] == ["Topic", "Date", "Hours"]
    assert [entries[1][0], entries[1][2]] == ["Ethics", 6.0]
    assert any(row[5] == "Pending" for row in entries[1:])


def test_progress_grid_lists_trainees_by_module(client, world):
    services.attendance_record(
        session=world["session"],
        trainee=world["trainee"],
        status="present",
        minutes=360,
        by=world["trainer"],
    )
    client.force_login(world["trainer"])
    url = reverse("courses:cohort_progress", args=[world["cohort"].pk])
    html = client.get(url).content.decode()
    assert world["trainee"].legal_name in html
    workbook = load_workbook(BytesIO(client.get(url + "?format=xlsx").content))
    rows = [[c.value for c in row] for row in workbook.active]
    header = rows[1]
    trainee_row = next(r for r in rows if r[0] == world["trainee"].legal_name)
    ethics_hours = header.index("Ethics I: Foundations of peer ethics (hours)")
    assert trainee_row[ethics_hours] == 6.0
    assert trainee_row[header.index("Ethics (hours)")] == 6.0
