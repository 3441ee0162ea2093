"""An oral exam passed, as a credential requirement the exams app adds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.selectors import credential_progress
from exams.models import Booking, OralExam, OralExamPassedRequirement, Slot
from tests.factories import (
    CredentialFactory,
    OralExamPassedRequirementFactory,
    SittingFactory,
    oral_exam_scored_with,
    sitting_scored,
    user_with_role,
)

pytestmark = pytest.mark.django_db

DEC_3 = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)
DEC_10 = datetime.datetime(2026, 12, 10, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def exam():
    return oral_exam_scored_with(title="Mock oral test")


@pytest.fixture
def rule(exam):
    return OralExamPassedRequirementFactory(
        credential=CredentialFactory(slug="oral-only"), oral_exam=exam
    )


def book(exam, trainee, when, status=Booking.Status.BOOKED, examiner=None):
    """A booking of a new slot of ``exam`` at ``when``."""
    examiner = examiner or user_with_role("Examiners")
    slot = Slot.objects.create(
        oral_exam=exam,
        starts_at=when,
        duration_minutes=45,
        place="Frankfort",
        lead_examiner=examiner,
        created_by=examiner,
    )
    slot.examiners.set([examiner])
    return Booking.objects.create(
        slot=slot,
        oral_exam=exam,
        trainee=trainee,
        status=status,
        booked_at=when - datetime.timedelta(days=7),
        changed_at=when - datetime.timedelta(days=7),
        changed_by=trainee,
    )


def test_not_yet_booked_points_to_the_oral_exams_booking_page(rule, make_user):
    progress = rule.progress(make_user("trainee"))
    assert rule.describe() == "Pass Mock oral test"
    assert (progress.met, progress.status, progress.fraction) == (
        False,
        "Not yet booked",
        0.0,
    )
    assert progress.next_step == "Book a time for Mock oral test"
    assert progress.next_url == reverse("exams:oral_exam", args=[rule.oral_exam_id])


def test_a_booking_to_come_says_when(rule, exam, make_user):
    trainee = make_user("trainee")
    book(exam, trainee, DEC_3, Booking.Status.CANCELLED)
    book(exam, trainee, DEC_10)
    progress = rule.progress(trainee)
    assert (progress.met, progress.status) == (False, "Booked for Dec. 10, 2026")


def test_a_missed_booking_says_so(rule, exam, make_user):
    trainee = make_user("trainee")
    book(exam, trainee, DEC_3, Booking.Status.NO_SHOW)
    assert rule.progress(trainee).status == "Did not attend on Dec. 3, 2026"


def test_a_sitting_being_scored_is_waiting_for_the_result(rule, exam):
    sitting = SittingFactory(oral_exam=exam, starts_at=DEC_3)
    progress = rule.progress(sitting.booking.trainee)
    assert (progress.met, progress.status) == (
        False,
        "Sat on Dec. 3, 2026; waiting for the result",
    )


def test_a_released_pass_meets_it_with_the_date_it_was_sat(rule, exam):
    sitting = sitting_scored(
        SittingFactory(oral_exam=exam, starts_at=DEC_3), [3, 3, 3], [3, 3, 3]
    )
    progress = rule.progress(sitting.booking.trainee)
    assert (progress.met, progress.status, progress.fraction) == (
        True,
        "Oral test passed on Dec. 3, 2026",
        1.0,
    )
    assert rule.is_met(sitting.booking.trainee)


def test_a_pass_not_released_yet_tells_nothing(make_user):
    exam = oral_exam_scored_with(release=OralExam.Release.BY_ADMINISTRATOR)
    rule = OralExamPassedRequirementFactory(oral_exam=exam)
    sitting = sitting_scored(
        SittingFactory(oral_exam=exam, starts_at=DEC_3), [4, 4, 4], [4, 4, 4]
    )
    assert sitting.passed is True
    progress = rule.progress(sitting.booking.trainee)
    assert (progress.met, progress.status) == (
        False,
        "Sat on Dec. 3, 2026; waiting for the result",
    )


def test_a_released_failure_shows_the_date_and_how_close_it_was(rule, exam):
    # 3 + 2*2 + 3 = 10 of 16 = 62.5%, against a pass mark of 70%.
    sitting = sitting_scored(
        SittingFactory(oral_exam=exam, starts_at=DEC_3), [3, 2, 3], [3, 2, 3]
    )
    progress = rule.progress(sitting.booking.trainee)
    assert (progress.met, progress.status) == (False, "Not passed on Dec. 3, 2026")
    assert progress.fraction == pytest.approx(62.5 / 70)
    assert progress.next_url == reverse("exams:oral_exam", args=[rule.oral_exam_id])


def test_a_new_booking_after_a_failure_is_what_it_says(rule, exam):
    sitting = sitting_scored(
        SittingFactory(oral_exam=exam, starts_at=DEC_3), [2, 2, 2], [2, 2, 2]
    )
    book(exam, sitting.booking.trainee, DEC_10)
    assert rule.progress(sitting.booking.trainee).status == "Booked for Dec. 10, 2026"


def test_another_trainees_pass_does_not_count(rule, exam, make_user):
    sitting_scored(SittingFactory(oral_exam=exam), [4, 4, 4], [4, 4, 4])
    assert not rule.is_met(make_user("trainee"))


def test_an_exam_not_open_yet_offers_no_link(rule, exam, make_user):
    exam.is_published = False
    exam.save()
    rule = OralExamPassedRequirement.objects.get(pk=rule.pk)
    progress = rule.progress(make_user("trainee"))
    assert progress.next_step == "Mock oral test is not open for booking yet."
    assert progress.next_url is None


def test_deleting_the_exam_keeps_the_rule_and_it_is_never_met(
    client_as, rule, exam, make_user
):
    response = client_as("administrator").post(
        reverse("oralexam:delete", args=[exam.pk])
    )
    assert response.status_code == 302
    rule = OralExamPassedRequirement.objects.get(pk=rule.pk)
    assert rule.oral_exam is None
    assert rule.describe() == "Pass an oral exam that was deleted"
    progress = rule.progress(make_user("trainee"))
    assert (progress.met, progress.status) == (
        False,
        "The oral exam of this requirement was deleted",
    )


def test_many_oral_exam_rules_read_bookings_once(make_user, django_assert_num_queries):
    credential = CredentialFactory()
    exams = [oral_exam_scored_with() for _ in range(4)]
    for order, exam in enumerate(exams):
        OralExamPassedRequirementFactory(
            credential=credential, oral_exam=exam, sort_order=order
        )
    sitting = sitting_scored(
        SittingFactory(oral_exam=exams[1], starts_at=DEC_3), [3, 3, 3], [3, 3, 3]
    )
    book(exams[2], sitting.booking.trainee, DEC_10)

    # The rules (base rows and their one subclass), the exams, the bookings
    # with their slots and sittings.
    with django_assert_num_queries(4):
        (item,) = credential_progress(
            trainee=sitting.booking.trainee, credentials=[credential]
        )

    assert [row.progress.status for row in item.requirements] == [
        "Not yet booked",
        "Oral test passed on Dec. 3, 2026",
        "Booked for Dec. 10, 2026",
        "Not yet booked",
    ]


def test_the_dashboard_costs_no_more_with_oral_exam_rules(client, make_user):
    """The oral rules' queries are fixed (the subclass rows, the exams, the
    bookings) and the dashboard stays within the budget the courses app's
    dashboard test pins (tests/courses/test_requirements.py)."""
    credential = CredentialFactory()
    first = oral_exam_scored_with()
    OralExamPassedRequirementFactory(credential=credential, oral_exam=first)
    sitting = sitting_scored(
        SittingFactory(oral_exam=first, starts_at=DEC_3), [3, 3, 3], [3, 3, 3]
    )
    trainee = sitting.booking.trainee
    client.force_login(trainee)
    url = reverse("courses:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    assert "Oral test passed on Dec. 3, 2026" in html

    for _ in range(3):
        exam = oral_exam_scored_with()
        OralExamPassedRequirementFactory(credential=credential, oral_exam=exam)
        book(exam, trainee, DEC_10)
    with CaptureQueriesContext(connection) as four:
        html = client.get(url).content.decode()
    assert html.count('<p class="meta">Booked for Dec. 10, 2026') == 3

    assert len(four) == len(one)
    assert len(four) <= 38


# The admin -----------------------------------------------------------------------


def post_data(credential, exam, **changes) -> dict:
    return {
        "credential": credential.pk,
        "oral_exam": exam.pk,
        "source_citation": "908 KAR 2:220",
        "effective_date": "2026-01-01",
        "sort_order": "35",
        **changes,
    }


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        ("administrator", True, True),
        ("trainer", True, False),
        ("trainee", False, False),
        ("examiner", False, False),
        ("supervisor", False, False),
        (None, False, False),
    ],
)
def test_oral_exam_rules_in_the_admin_by_role(
    client_as, rule, exam, role, reads, writes
):
    client = client_as(role)
    before = OralExamPassedRequirement.objects.count()

    index = client.get(reverse("oralexampassedrequirement:index"))
    assert (index.status_code == 200) is reads
    if reads:
        assert rule.source_citation in index.content.decode()
    for url in (
        reverse("oralexampassedrequirement:add"),
        reverse("oralexampassedrequirement:edit", args=[rule.pk]),
    ):
        assert (client.get(url).status_code == 200) is writes, url

    client.post(
        reverse("oralexampassedrequirement:add"), post_data(rule.credential, exam)
    )
    client.post(
        reverse("oralexampassedrequirement:edit", args=[rule.pk]),
        post_data(rule.credential, exam, source_citation="Changed"),
    )

    rule.refresh_from_db()
    assert (OralExamPassedRequirement.objects.count() == before + 1) is writes
    assert (rule.source_citation == "Changed") is writes


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"oral_exam": ""}, "oral_exam", "This field is required"),
        ({"oral_exam": "999999"}, "oral_exam", "Select a valid choice"),
        ({"effective_date": "soon"}, "effective_date", "Enter a valid date"),
    ],
)
def test_a_bad_oral_exam_rule_names_its_field_and_saves_nothing(
    client_as, rule, exam, changes, field, message
):
    before = OralExamPassedRequirement.objects.count()
    response = client_as("administrator").post(
        reverse("oralexampassedrequirement:add"),
        {**post_data(rule.credential, exam), **changes},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert OralExamPassedRequirement.objects.count() == before
