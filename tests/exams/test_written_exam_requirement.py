"""A written exam passed, as a credential requirement the exams app adds."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from courses.selectors import credential_progress
from exams import services
from exams.models import Attempt, WrittenExam, WrittenExamPassedRequirement
from tests.factories import (
    CredentialFactory,
    WrittenExamFactory,
    WrittenExamPassedRequirementFactory,
)

from .conftest import answer_all_correctly

pytestmark = pytest.mark.django_db

DEC_3 = datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def credential():
    return CredentialFactory(slug="written-test", name="Written test only")


@pytest.fixture
def exam(kps):
    return WrittenExam.objects.create(
        course=kps,
        title="Mock written test",
        pass_mark_percent=Decimal(70),
        attempts_allowed=3,
        is_published=True,
    )


@pytest.fixture
def rule(credential, exam):
    return WrittenExamPassedRequirementFactory(credential=credential, exam=exam)


@pytest.fixture
def kps_rule(kps):
    """The KPS credential's written test rule, as the credential has it."""
    return WrittenExamPassedRequirementFactory(
        credential=kps.credential,
        exam=WrittenExamFactory(course=kps, title="KPS written test", blueprint=[]),
        source_citation="908 KAR 2:220: the written test must be passed",
    )


def attempt(exam, trainee, number, state, *, percent=None, passed=None, when=DEC_3):
    return Attempt.objects.create(
        exam=exam,
        trainee=trainee,
        number=number,
        state=state,
        started_at=when - datetime.timedelta(hours=1),
        submitted_at=None if state == Attempt.State.IN_PROGRESS else when,
        percent=percent,
        passed=passed,
        pass_mark_percent=exam.pass_mark_percent,
    )


def test_describes_itself_and_links_to_the_exam_when_not_attempted(
    rule, exam, make_user
):
    progress = rule.progress(make_user("trainee"))
    assert rule.describe() == "Pass Mock written test"
    assert (progress.met, progress.status, progress.fraction) == (
        False,
        "Not attempted yet",
        0.0,
    )
    assert progress.next_step == "Go to Mock written test"
    assert progress.next_url == reverse("exams:exam_detail", args=[exam.pk])


def test_an_attempt_in_progress_or_waiting_for_grading_is_not_a_pass(
    rule, exam, make_user
):
    trainee = make_user("trainee")
    attempt(exam, trainee, 1, Attempt.State.IN_PROGRESS)
    assert rule.progress(trainee).status == "Attempt in progress"
    Attempt.objects.filter(trainee=trainee).update(state=Attempt.State.NEEDS_GRADING)
    waiting = rule.progress(trainee)
    assert (waiting.met, waiting.status) == (False, "Submitted; waiting for grading")


def test_failed_attempts_show_the_best_score_against_the_pass_mark(
    rule, exam, make_user
):
    trainee = make_user("trainee")
    attempt(exam, trainee, 1, "graded", percent=Decimal("48.00"), passed=False)
    attempt(exam, trainee, 2, "graded", percent=Decimal("62.50"), passed=False)
    progress = rule.progress(trainee)
    assert (progress.met, progress.status) == (False, "Best so far 62.5%; 70% needed")
    assert progress.fraction == pytest.approx(62.5 / 70)
    assert progress.next_url == reverse("exams:exam_detail", args=[exam.pk])
    assert not rule.is_met(trainee)


def test_a_graded_pass_meets_it_with_the_date_it_was_passed(rule, exam, make_user):
    trainee = make_user("trainee")
    attempt(
        exam,
        trainee,
        1,
        "graded",
        percent=Decimal(50),
        passed=False,
        when=DEC_3 - datetime.timedelta(days=30),
    )
    attempt(exam, trainee, 2, "graded", percent=Decimal(80), passed=True)
    attempt(
        exam,
        trainee,
        3,
        "graded",
        percent=Decimal(90),
        passed=True,
        when=DEC_3 + datetime.timedelta(days=5),
    )
    progress = rule.progress(trainee)
    assert (progress.met, progress.status, progress.fraction) == (
        True,
        "Written test passed on Dec. 3, 2026",
        1.0,
    )
    assert rule.is_met(trainee)


def test_another_trainees_pass_does_not_count(rule, exam, make_user):
    attempt(exam, make_user("trainee"), 1, "graded", percent=Decimal(90), passed=True)
    assert not rule.is_met(make_user("trainee"))


def test_an_exam_not_open_yet_offers_no_link(rule, exam, make_user):
    exam.is_published = False
    exam.save()
    rule = WrittenExamPassedRequirement.objects.get(pk=rule.pk)
    progress = rule.progress(make_user("trainee"))
    assert progress.next_step == "Mock written test is not open yet."
    assert progress.next_url is None


def test_deleting_the_exam_keeps_the_rule_and_it_is_never_met(
    client_as, rule, exam, make_user
):
    trainee = make_user("trainee")

    response = client_as("administrator").post(
        reverse("writtenexam:delete", args=[exam.pk])
    )

    assert response.status_code == 302
    assert not WrittenExam.objects.filter(pk=exam.pk).exists()
    rule = WrittenExamPassedRequirement.objects.get(pk=rule.pk)
    assert rule.exam is None
    assert rule.describe() == "Pass a written exam that was deleted"
    progress = rule.progress(trainee)
    assert (progress.met, progress.status) == (
        False,
        "The exam of this requirement was deleted",
    )


def test_passing_through_the_exam_engine_meets_it(
    small_exam, enrolled_trainee, credential
):
    WrittenExamPassedRequirementFactory(credential=credential, exam=small_exam)
    with time_machine.travel(DEC_3, tick=False):
        started = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        answer_all_correctly(started)
        services.attempt_submit(attempt=started)

    (item,) = credential_progress(trainee=enrolled_trainee, credentials=[credential])

    (row,) = item.requirements
    assert row.description == "Pass Small exam"
    assert row.progress.status == "Written test passed on Dec. 3, 2026"
    assert item.is_met


def test_many_exam_rules_read_attempts_once(
    credential, kps, make_user, django_assert_num_queries
):
    trainee = make_user("trainee")
    exams = [
        WrittenExam.objects.create(
            course=kps, title=f"Exam {n}", pass_mark_percent=Decimal(70)
        )
        for n in range(4)
    ]
    for order, exam in enumerate(exams):
        WrittenExamPassedRequirementFactory(
            credential=credential, exam=exam, sort_order=order
        )
    attempt(exams[1], trainee, 1, "graded", percent=Decimal(75), passed=True)

    # The rules (base rows and their one subclass), the exams, the attempts.
    with django_assert_num_queries(4):
        (item,) = credential_progress(trainee=trainee, credentials=[credential])

    assert [row.progress.met for row in item.requirements] == [
        False,
        True,
        False,
        False,
    ]


# The admin -----------------------------------------------------------------


def post_data(credential, exam, **changes) -> dict:
    return {
        "credential": credential.pk,
        "exam": exam.pk,
        "source_citation": "908 KAR 2:220",
        "effective_date": "2026-01-01",
        "sort_order": "30",
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
def test_written_exam_rules_in_the_admin_by_role(
    client_as, credential, exam, kps_rule, role, reads, writes
):
    client = client_as(role)
    before = WrittenExamPassedRequirement.objects.count()

    index = client.get(reverse("writtenexampassedrequirement:index"))
    assert (index.status_code == 200) is reads
    if reads:
        assert kps_rule.source_citation in index.content.decode()
    else:
        assert index.status_code == 302
    for url in (
        reverse("writtenexampassedrequirement:add"),
        reverse("writtenexampassedrequirement:edit", args=[kps_rule.pk]),
    ):
        assert (client.get(url).status_code == 200) is writes, url

    client.post(
        reverse("writtenexampassedrequirement:add"), post_data(credential, exam)
    )
    client.post(
        reverse("writtenexampassedrequirement:edit", args=[kps_rule.pk]),
        post_data(kps_rule.credential, kps_rule.exam, source_citation="Changed"),
    )

    kps_rule.refresh_from_db()
    assert (WrittenExamPassedRequirement.objects.count() == before + 1) is writes
    assert (kps_rule.source_citation == "Changed") is writes


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"exam": ""}, "exam", "This field is required"),
        ({"exam": "999999"}, "exam", "Select a valid choice"),
        ({"effective_date": "soon"}, "effective_date", "Enter a valid date"),
    ],
)
def test_a_bad_written_exam_rule_names_its_field_and_saves_nothing(
    client_as, credential, exam, changes, field, message
):
    before = WrittenExamPassedRequirement.objects.count()
    response = client_as("administrator").post(
        reverse("writtenexampassedrequirement:add"),
        {**post_data(credential, exam), **changes},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert WrittenExamPassedRequirement.objects.count() == before
