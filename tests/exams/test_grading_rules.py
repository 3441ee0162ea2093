"""Who may change a trainee's score by hand (security review, finding 1).

A grader changes only the score of an essay (a question a person grades) of
a submitted attempt, at an exam of a course they teach a cohort of, or of
any course with ``grade_any_response``; never their own. Auto-graded scores
change only through a regrade. An attempt still in progress is invisible to
graders: its answers are not shown, its page does not exist for them.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cms.models import AuditEvent
from exams import permissions, services
from exams.models import Attempt, AttemptQuestion, Response
from tests.factories import alcohol_drug_course, make_cohort

pytestmark = pytest.mark.django_db


def _answer_essay(attempt) -> Response:
    essay = AttemptQuestion.objects.filter(
        attempt=attempt, content__type="essay"
    ).first()
    services.attempt_save_response(
        attempt=attempt,
        position=essay.position,
        answer={"text": "My private first thoughts."},
        revision=0,
    )
    return Response.objects.get(attempt_question=essay)


@pytest.fixture
def attempt(big_exam, enrolled_trainee):
    """A submitted attempt with an essay waiting for a grader."""
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    _answer_essay(attempt)
    services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.NEEDS_GRADING
    return attempt


@pytest.fixture
def essay(attempt) -> Response:
    return Response.objects.get(
        attempt_question__attempt=attempt,
        attempt_question__content__type="essay",
        score__isnull=True,
    )


@pytest.fixture
def auto_graded(attempt) -> Response:
    return (
        Response.objects.filter(attempt_question__attempt=attempt)
        .exclude(attempt_question__content__type="essay")
        .select_related("attempt_question")
        .first()
    )


@pytest.fixture
def course_trainer(enrolled_trainee):
    return enrolled_trainee.cohort_seats.get().cohort.trainers.get()


@pytest.fixture
def other_trainer(make_user):
    """Teaches a cohort of another course only."""
    trainer = make_user("trainer")
    make_cohort(alcohol_drug_course(), trainers=[trainer])
    return trainer


def _snapshot(attempt):
    attempt.refresh_from_db()
    return (
        attempt.state,
        attempt.score,
        list(
            Response.objects.filter(attempt_question__attempt=attempt)
            .order_by("pk")
            .values_list("score", "comment", "graded_by")
        ),
    )


# The service ---------------------------------------------------------------------


def test_a_trainer_who_does_not_teach_the_course_cannot_grade_through_the_service(
    attempt, essay, other_trainer
):
    before = _snapshot(attempt)
    with pytest.raises(PermissionDenied):
        services.response_grade(
            response=essay, score=Decimal(0), comment="", by=other_trainer
        )
    assert _snapshot(attempt) == before


@pytest.mark.parametrize("grader", ["course_trainer", "administrator"])
def test_nobody_changes_an_auto_graded_score_by_hand(
    request, make_user, attempt, auto_graded, grader
):
    user = (
        request.getfixturevalue("course_trainer")
        if grader == "course_trainer"
        else make_user("administrator")
    )
    before = _snapshot(attempt)
    with pytest.raises(ValidationError, match="regrade"):
        services.response_grade(
            response=auto_graded, score=Decimal(0), comment="", by=user
        )
    assert _snapshot(attempt) == before
    assert not permissions.user_can_grade_response(user, auto_graded)


def test_an_essay_of_an_attempt_in_progress_cannot_be_graded(
    big_exam, enrolled_trainee, make_user
):
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    essay = _answer_essay(attempt)
    admin = make_user("administrator")
    assert not permissions.user_can_grade_response(admin, essay)
    with pytest.raises(ValidationError, match="in progress"):
        services.response_grade(response=essay, score=Decimal(1), comment="", by=admin)


def test_the_course_trainer_grades_the_essay_and_it_is_audited(
    attempt, essay, course_trainer
):
    services.response_grade(
        response=essay, score=Decimal(2), comment="Good.", by=course_trainer
    )
    event = AuditEvent.objects.get(action="exam.grade_changed")
    assert event.actor == course_trainer
    assert (event.details["old_score"], event.details["new_score"]) == (None, "2.00")


# The pages ------------------------------------------------------------------------


def test_a_trainer_who_does_not_teach_the_course_finds_no_grading_page(
    client, essay, other_trainer
):
    client.force_login(other_trainer)
    url = reverse("exams:grade_response", args=[essay.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "0", "comment": ""}).status_code == 404
    essay.refresh_from_db()
    assert essay.score is None


@pytest.mark.parametrize("grader", ["course_trainer", "administrator"])
def test_an_auto_graded_response_has_no_grading_page(
    request, client, make_user, attempt, auto_graded, grader
):
    user = (
        request.getfixturevalue("course_trainer")
        if grader == "course_trainer"
        else make_user("administrator")
    )
    before = _snapshot(attempt)
    client.force_login(user)
    url = reverse("exams:grade_response", args=[auto_graded.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "0", "comment": "Zeroed."}).status_code == 404
    assert _snapshot(attempt) == before


@pytest.mark.parametrize("grader", ["course_trainer", "administrator"])
def test_graders_never_see_an_attempt_in_progress(
    request, client, make_user, big_exam, enrolled_trainee, grader
):
    user = (
        request.getfixturevalue("course_trainer")
        if grader == "course_trainer"
        else make_user("administrator")
    )
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    essay = _answer_essay(attempt)
    client.force_login(user)
    queue = client.get(reverse("exams:grading_queue"))
    assert queue.status_code == 200
    assert "My private first thoughts." not in queue.content.decode()
    url = reverse("exams:grade_response", args=[essay.pk])
    page = client.get(url)
    assert page.status_code == 404
    assert "My private first thoughts." not in page.content.decode()
    assert client.post(url, {"score": "1", "comment": ""}).status_code == 404
    assert not permissions.responses_gradable_by(
        user, Response.objects.filter(pk=essay.pk)
    ).exists()


def test_the_queue_holds_only_essays_of_submitted_attempts_of_taught_courses(
    attempt, essay, auto_graded, course_trainer, other_trainer, make_user
):
    everything = Response.objects.all()
    essays = set(
        Response.objects.filter(
            attempt_question__attempt=attempt, attempt_question__content__type="essay"
        )
    )
    assert essay in essays and auto_graded not in essays
    admin = make_user("administrator")
    for grader in (course_trainer, admin):
        assert set(permissions.responses_gradable_by(grader, everything)) == essays
    assert not permissions.responses_gradable_by(other_trainer, everything).exists()


def test_the_course_trainer_grades_an_essay_through_the_page(
    client, attempt, essay, course_trainer
):
    client.force_login(course_trainer)
    url = reverse("exams:grade_response", args=[essay.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "3", "comment": "Clear."})
    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.score == Decimal("3.00")
    event = AuditEvent.objects.get(action="exam.grade_changed")
    assert (event.actor, event.target_object_id) == (course_trainer, str(attempt.pk))
    assert event.details["new_score"] == "3.00"
