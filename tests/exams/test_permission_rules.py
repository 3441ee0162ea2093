"""Object rules on top of the exam permissions: graders grade the essays of
the courses they teach a cohort of (administrators, any), never their own;
a trainee reaches only their own attempts."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms import roles
from exams import permissions, services
from exams.models import AttemptQuestion, Response
from tests.factories import alcohol_drug_course, make_cohort

pytestmark = pytest.mark.django_db


def _sit_with_an_essay(exam, trainee) -> Response:
    """Sit the exam with one essay answered and submit: it waits for a
    grader."""
    attempt = services.attempt_start(exam=exam, trainee=trainee)
    essay = AttemptQuestion.objects.filter(
        attempt=attempt, content__type="essay"
    ).first()
    services.attempt_save_response(
        attempt=attempt,
        position=essay.position,
        answer={"text": "I would listen first."},
        revision=0,
    )
    services.attempt_submit(attempt=attempt)
    return Response.objects.get(attempt_question=essay)


@pytest.fixture
def essay(big_exam, enrolled_trainee) -> Response:
    return _sit_with_an_essay(big_exam, enrolled_trainee)


@pytest.fixture
def course_trainer(enrolled_trainee):
    """The trainer of the cohort the essay's trainee sits in (the KPS
    course, the exam's course)."""
    return enrolled_trainee.cohort_seats.get().cohort.trainers.get()


@pytest.fixture
def other_course_trainer(make_user):
    """A trainer who teaches only a cohort of the other course."""
    trainer = make_user("trainer")
    make_cohort(alcohol_drug_course(), trainers=[trainer])
    return trainer


def _queue(user):
    return permissions.responses_gradable_by(user, Response.objects.all())


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("trainee", False),
        ("trainer", False),  # teaches no cohort at all
        ("examiner", False),
        ("supervisor", False),
        ("administrator", True),
    ],
)
def test_who_grades_an_essay_by_role(make_user, essay, role, allowed):
    user = make_user(role)
    exam = essay.attempt_question.attempt.exam
    assert permissions.user_can_grade_exam(user, exam) is allowed
    assert permissions.user_can_grade_response(user, essay) is allowed
    assert (essay in _queue(user)) is allowed


def test_a_trainer_grades_the_essays_of_the_course_they_teach(course_trainer, essay):
    assert permissions.user_can_grade_exam(
        course_trainer, essay.attempt_question.attempt.exam
    )
    assert permissions.user_can_grade_response(course_trainer, essay)
    assert essay in _queue(course_trainer)


def test_a_trainer_of_another_course_may_not_grade_the_essay(
    client, other_course_trainer, essay
):
    trainer = other_course_trainer
    assert not permissions.user_can_grade_exam(
        trainer, essay.attempt_question.attempt.exam
    )
    assert not permissions.user_can_grade_response(trainer, essay)
    client.force_login(trainer)
    queue = client.get(reverse("exams:grading_queue"))
    assert queue.status_code == 200
    assert essay not in list(queue.context["page"])
    url = reverse("exams:grade_response", args=[essay.pk])
    # Another course's essay does not exist for them (404, not 403).
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "1", "comment": "Fine."}).status_code == 404
    essay.refresh_from_db()
    assert essay.score is None


def test_nobody_grades_their_own_attempt(make_user, big_exam, course_trainer):
    from tests.factories import seat

    # A trainer of the course who is also sitting its exam.
    person = make_user("trainer")
    person.groups.add(Group.objects.get(name=roles.TRAINEE))
    cohort = course_trainer.cohorts_taught.get()
    cohort.trainers.add(person)
    seat(cohort, person, course_trainer)
    own = _sit_with_an_essay(big_exam, person)
    assert permissions.user_can_grade_exam(person, big_exam)
    assert not permissions.user_can_grade_response(person, own)
    assert own not in _queue(person)
    superuser = make_user(is_superuser=True)
    assert permissions.user_can_grade_response(superuser, own)


def test_a_superuser_grades_any_essay(client, make_user, essay):
    superuser = make_user(is_superuser=True)
    assert permissions.user_can_grade_response(superuser, essay)
    client.force_login(superuser)
    response = client.post(
        reverse("exams:grade_response", args=[essay.pk]),
        {"score": "1", "comment": "Clear."},
    )
    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.score is not None


def test_only_its_trainee_sits_an_attempt(make_user, small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    assert permissions.user_can_sit_attempt(enrolled_trainee, attempt)
    assert not permissions.user_can_sit_attempt(make_user("trainee"), attempt)
    # Someone who can no longer take exams loses the attempt too.
    enrolled_trainee.groups.clear()
    from cms.models import User

    assert not permissions.user_can_sit_attempt(
        User.objects.get(pk=enrolled_trainee.pk), attempt
    )


def test_a_person_in_no_group_reaches_no_exam_page(
    client, make_user, small_exam, essay
):
    client.force_login(make_user())
    for url in (
        reverse("exams:exam_list"),
        reverse("exams:exam_detail", args=[small_exam.pk]),
        reverse("exams:item_analysis", args=[small_exam.pk]),
        reverse("exams:grading_queue"),
        reverse("exams:grade_response", args=[essay.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("exams:attempt_start", args=[small_exam.pk])).status_code
        == 403
    )
    assert not small_exam.attempts.exists()
    # Nor the admin, where the bank lives.
    response = client.get(reverse("exams_bank"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_accommodations_go_to_whoever_may_take_exams(client_as, make_user):
    from django.contrib.auth.models import Permission

    from exams.models import Accommodation

    client = client_as("administrator")
    # Granted the permission personally, without the Trainees group.
    person = make_user()
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="exams", codename="add_attempt")
    )
    trainee, trainer = make_user("trainee"), make_user("trainer")
    form = client.get(reverse("accommodation:add")).context["form"]
    choices = set(form.fields["trainee"].queryset)
    assert {person, trainee} <= choices
    assert trainer not in choices
    assert len(form.fields["trainee"].queryset) == len(choices)  # no duplicates
    response = client.post(
        reverse("accommodation:add"),
        {
            "trainee": person.pk,
            "time_multiplier": "1.5",
            "extra_minutes": "0",
            "extra_attempts": "0",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert Accommodation.objects.filter(trainee=person).exists()
