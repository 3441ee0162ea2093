"""Secrecy, ownership and query budgets for the exam pages."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrollment
from exams import services
from exams.models import (
    Accommodation,
    AttemptQuestion,
    WrittenExam,
)

from .conftest import enroll

pytestmark = pytest.mark.django_db


def secrets_of(attempt):
    """Strings that would give an answer away if they reached the trainee."""
    secrets = set()
    for row in AttemptQuestion.objects.filter(attempt=attempt):
        key = row.key
        for text in (
            key.get("feedback", {}).values()
            if isinstance(key.get("feedback"), dict)
            else []
        ):
            if text and len(text) > 12:
                secrets.add(text)
        if key.get("general_feedback") and len(key["general_feedback"]) > 12:
            secrets.add(key["general_feedback"])
        for accepted in key.get("accepted", []):
            if len(accepted) > 3:
                secrets.add(f'value="{accepted}"')
        if key.get("guidance"):
            secrets.add(key["guidance"])
        if "correct" in key:
            secrets.add('"correct"')
    return secrets


def test_attempt_pages_and_saves_never_carry_the_answer_key(
    client, big_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    secrets = secrets_of(attempt)
    assert secrets
    pages = [
        client.get(reverse("exams:attempt", args=[attempt.pk]) + f"?q={n}")
        for n in range(1, attempt.questions.count() + 1)
    ]
    pages.append(client.get(reverse("exams:attempt_submit", args=[attempt.pk])))
    pages.append(
        client.post(
            reverse("exams:attempt_save", args=[attempt.pk]),
            data=json.dumps({"position": 1, "answer": None, "revision": 0}),
            content_type="application/json",
        )
    )
    for response in pages:
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, secret


def test_score_only_review_never_shows_answers_even_after_close(
    client, big_exam, enrolled_trainee
):
    big_exam.review = WrittenExam.Review.SCORE_ONLY
    big_exam.save()
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    secrets = secrets_of(attempt)
    services.attempt_submit(attempt=attempt)
    AttemptQuestion.objects.filter(attempt=attempt).update()
    client.force_login(enrolled_trainee)
    body = client.get(reverse("exams:attempt_result", args=[attempt.pk])).content
    for secret in secrets - {'"correct"'}:
        assert secret not in body.decode()


def test_after_close_review_shows_answers_only_once_the_exam_closes(
    client, small_exam, enrolled_trainee
):
    import time_machine

    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    small_exam.closes_at = start + datetime.timedelta(days=2)
    small_exam.save()
    with time_machine.travel(start, tick=False):
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        services.attempt_submit(attempt=attempt)
    url = reverse("exams:attempt_result", args=[attempt.pk])
    # The trainee signs in each time they come back: a sign-in does not last
    # for days.
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        client.force_login(enrolled_trainee)
        before = client.get(url).content.decode()
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):
        client.force_login(enrolled_trainee)
        after = client.get(url).content.decode()
    assert "once the exam has closed for everyone" in before
    assert "(correct)" not in before
    assert "(correct)" in after


def test_answers_wait_for_the_longest_accommodation_of_the_class(
    client, small_exam, enrolled_trainee, make_user, kps, time_machine
):
    """A classmate with extra time may still be sitting the exam after the
    published closing time; nobody sees answers until their time is up."""
    start = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    small_exam.closes_at = start + datetime.timedelta(days=2)
    small_exam.save()
    classmate = make_user("trainee")
    Enrollment.objects.create(trainee=classmate, course=kps)
    Accommodation.objects.create(trainee=classmate, extra_minutes=60)
    stranger = make_user("trainee")  # not in the course: their time is irrelevant
    Accommodation.objects.create(trainee=stranger, extra_minutes=600)
    time_machine.move_to(start, tick=False)
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    services.attempt_submit(attempt=attempt)
    client.force_login(enrolled_trainee)
    url = reverse("exams:attempt_result", args=[attempt.pk])

    time_machine.move_to(small_exam.closes_at + datetime.timedelta(minutes=59))
    client.force_login(enrolled_trainee)  # days later: signed in again
    assert "(correct)" not in client.get(url).content.decode()
    time_machine.move_to(small_exam.closes_at + datetime.timedelta(minutes=60))
    assert "(correct)" in client.get(url).content.decode()


def test_without_a_closing_time_answers_wait_for_the_last_attempt(
    client, small_exam, enrolled_trainee
):
    assert small_exam.closes_at is None and small_exam.attempts_allowed == 2
    first = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    services.attempt_submit(attempt=first)
    client.force_login(enrolled_trainee)
    first_url = reverse("exams:attempt_result", args=[first.pk])
    body = client.get(first_url).content.decode()
    assert "(correct)" not in body
    assert "once you have used all your attempts" in body

    second = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    services.attempt_submit(attempt=second)
    assert "(correct)" in client.get(first_url).content.decode()
    second_url = reverse("exams:attempt_result", args=[second.pk])
    assert "(correct)" in client.get(second_url).content.decode()


def test_an_extra_attempt_keeps_answers_hidden_until_it_is_used(
    client, small_exam, enrolled_trainee
):
    Accommodation.objects.create(trainee=enrolled_trainee, extra_attempts=1)
    client.force_login(enrolled_trainee)
    attempts = []
    for _ in range(2):
        attempts.append(
            services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        )
        services.attempt_submit(attempt=attempts[-1])
    url = reverse("exams:attempt_result", args=[attempts[0].pk])
    assert "(correct)" not in client.get(url).content.decode()
    third = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    services.attempt_submit(attempt=third)
    assert "(correct)" in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["trainee", "trainer", "administrator", "examiner"])
def test_attempts_are_reachable_only_by_their_owner(
    client, make_user, small_exam, enrolled_trainee, role
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(make_user(role))
    urls = [
        reverse("exams:attempt", args=[attempt.pk]),
        reverse("exams:attempt_submit", args=[attempt.pk]),
        reverse("exams:attempt_result", args=[attempt.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code in (403, 404)
    response = client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        data=json.dumps({"position": 1, "answer": None, "revision": 0}),
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert client.post(urls[1]).status_code in (403, 404)
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"


def test_anonymous_visitors_are_sent_to_sign_in(client, small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    for url in (
        reverse("exams:exam_list"),
        reverse("exams:exam_detail", args=[small_exam.pk]),
        reverse("exams:attempt", args=[attempt.pk]),
        reverse("exams:grading_queue"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        json.dumps({"answer": None}).encode(),
        json.dumps({"position": "one"}).encode(),
        json.dumps({"position": 99, "answer": None}).encode(),
        json.dumps({"position": 2**31, "answer": None}).encode(),
        json.dumps({"position": -(2**70), "answer": None}).encode(),
        json.dumps({"position": 1, "answer": {"choice": "forged-id"}}).encode(),
        json.dumps({"position": 1, "answer": {"choices": ["forged-id"]}}).encode(),
        json.dumps({"position": 1, "answer": {"text": "x" * 30000}}).encode(),
        json.dumps({"position": 1, "answer": ["not", "a", "dict"]}).encode(),
        json.dumps({"position": 1, "answer": None, "flagged": "yes"}).encode(),
    ],
)
def test_tampered_saves_get_a_clear_400(client, small_exam, enrolled_trainee, payload):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    client.force_login(enrolled_trainee)
    response = client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        data=payload,
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 400
    assert body["ok"] is False and body["error"]
    assert all(
        row.response.revision == 0
        for row in AttemptQuestion.objects.filter(attempt=attempt).select_related(
            "response"
        )
    )


def _queries(client, method, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def test_starting_an_attempt_costs_one_query_per_question_type(
    client, big_exam, enrolled_trainee, make_user, kps, django_assert_max_num_queries
):
    second_trainee = enroll(make_user("trainee"), kps, make_user=make_user)
    client.force_login(enrolled_trainee)
    rules = big_exam.blueprint.count()
    assert rules > 1
    # The pools of every rule are read at once: no query per rule.
    with django_assert_max_num_queries(16 + 7):  # 7 question types
        response = client.post(reverse("exams:attempt_start", args=[big_exam.pk]))
    assert response.status_code == 302
    assert big_exam.attempts.get().questions.count() > 20
    # The next trainee's start finds the drawn questions in the cache.
    client.force_login(second_trainee)
    with django_assert_max_num_queries(16):
        response = client.post(reverse("exams:attempt_start", args=[big_exam.pk]))
    assert response.status_code == 302
    assert big_exam.attempts.get(trainee=second_trainee).questions.count() > 20


def test_attempt_page_and_save_queries_do_not_grow_with_questions(
    client,
    kps,
    small_exam,
    big_exam,
    make_user,
    enrolled_trainee,
    django_assert_max_num_queries,
):
    client.force_login(enrolled_trainee)
    small = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    big = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    assert big.questions.count() > 3 * small.questions.count()
    counts = {}
    for attempt in (small, big):
        page = reverse("exams:attempt", args=[attempt.pk])
        client.get(page)
        save_url = reverse("exams:attempt_save", args=[attempt.pk])
        counts[attempt.pk] = (
            _queries(client, "get", page),
            _queries(
                client,
                "post",
                save_url,
                content_type="application/json",
                data=json.dumps({"position": 1, "answer": None, "revision": None}),
            ),
        )
    assert counts[small.pk] == counts[big.pk]
    with django_assert_max_num_queries(6):  # the site's name is cached
        client.get(reverse("exams:attempt", args=[big.pk]))
    with django_assert_max_num_queries(6):
        client.post(
            reverse("exams:attempt_save", args=[big.pk]),
            content_type="application/json",
            data=json.dumps({"position": 2, "answer": None, "revision": None}),
        )


@pytest.mark.parametrize(
    ("role", "takes_exams", "grades"),
    [
        ("trainee", True, False),
        ("trainer", False, True),
        ("administrator", False, True),
        ("examiner", False, False),
        ("supervisor", False, False),
    ],
)
def test_exam_and_grading_pages_by_role(
    client, make_user, small_exam, big_exam, enrolled_trainee, role, takes_exams, grades
):
    """Trainees take exams; trainers of the course and administrators grade
    essays; the other roles reach neither, and a refused post changes
    nothing. (A trainer of another course: test_permission_rules.py.)"""
    attempt = services.attempt_start(exam=big_exam, trainee=enrolled_trainee)
    essay = AttemptQuestion.objects.filter(
        attempt=attempt, content__type="essay"
    ).first()
    services.attempt_save_response(
        attempt=attempt,
        position=essay.position,
        answer={"text": "I would listen first."},
        revision=0,
    )
    services.attempt_submit(attempt=attempt)  # the essay waits for a grader
    user = make_user(role)
    if role == "trainee":
        Enrollment.objects.create(trainee=user, course=small_exam.course)
    if role == "trainer":
        enrolled_trainee.cohort_seats.get().cohort.trainers.add(user)
    client.force_login(user)

    for url in (
        reverse("exams:exam_list"),
        reverse("exams:exam_detail", args=[small_exam.pk]),
    ):
        assert client.get(url).status_code == (200 if takes_exams else 403), url
    start = client.post(reverse("exams:attempt_start", args=[small_exam.pk]))
    assert start.status_code == (302 if takes_exams else 403)
    assert small_exam.attempts.filter(trainee=user).exists() is takes_exams

    for url in (
        reverse("exams:grading_queue"),
        reverse("exams:grade_response", args=[essay.response.pk]),
    ):
        assert client.get(url).status_code == (200 if grades else 403), url
    graded = client.post(
        reverse("exams:grade_response", args=[essay.response.pk]),
        {"score": "1", "comment": "Kind and clear."},
    )
    assert graded.status_code == (302 if grades else 403)
    essay.response.refresh_from_db()
    assert (essay.response.score is not None) is grades
