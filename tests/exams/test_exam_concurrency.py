"""Exam races on PostgreSQL: two tabs, two submits, two starts."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from exams import services
from exams.models import Attempt, AttemptQuestion, Response
from tests.courses.test_concurrency import race

from .conftest import answer_all_correctly, right_answer, wrong_answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_tabs_saving_one_answer_leave_one_consistent_answer(
    on_postgres, small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    row = AttemptQuestion.objects.get(attempt=attempt, position=1)
    right = right_answer(row.content, row.key)
    # Two different answers: neither save is a no-op that leaves revision 0.
    wrong = wrong_answer(row.content, row.key)
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(enrolled_trainee)

    def save_from(tab, answer):
        return tab.post(
            f"/exams/attempts/{attempt.pk}/save/",
            data=json.dumps({"position": 1, "answer": answer, "revision": 0}),
            content_type="application/json",
        )

    outcomes = race(
        lambda: save_from(tabs[0], right),
        lambda: save_from(tabs[1], wrong),
    )

    statuses = sorted(value.status_code for kind, value in outcomes)
    assert statuses == [200, 409]
    winner = next(value for kind, value in outcomes if value.status_code == 200)
    winning_answer = right if outcomes[0][1] is winner else wrong
    response = Response.objects.get(attempt_question=row)
    assert response.revision == 1
    assert (
        services.attempts._validate_answer(row.content, winning_answer)
        == response.answer
    )
    assert winner.json()["revision"] == 1
    loser = next(value for kind, value in outcomes if value.status_code == 409)
    assert loser.json()["code"] == "stale"


def test_two_submits_at_once_grade_once(on_postgres, small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    answer_all_correctly(attempt)

    outcomes = race(
        lambda: services.attempt_submit(attempt=attempt),
        lambda: services.attempt_submit(attempt=attempt),
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED
    assert attempt.percent == Decimal("100.00")
    submitted = {value.submitted_at for _kind, value in outcomes}
    assert submitted == {attempt.submitted_at}


def test_a_save_racing_the_submit_is_either_in_the_grade_or_refused(
    on_postgres, small_exam, enrolled_trainee
):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    row = attempt.questions.get(position=1)
    answer = right_answer(row.content, row.key)

    outcomes = race(
        lambda: services.attempt_save_response(
            attempt=attempt, position=1, answer=answer, revision=0
        ),
        lambda: services.attempt_submit(attempt=attempt),
    )

    save_kind, save_value = outcomes[0]
    attempt.refresh_from_db()
    response = Response.objects.get(attempt_question=row)
    if save_kind == "ok":
        assert response.score == row.points  # saved before the submit, graded
    else:
        assert isinstance(save_value, services.AttemptClosed)
        assert response.answer is None


def test_two_starts_with_one_attempt_left_start_one_attempt(
    on_postgres, small_exam, enrolled_trainee
):
    small_exam.attempts_allowed = 1
    small_exam.save()

    outcomes = race(
        lambda: services.attempt_start(exam=small_exam, trainee=enrolled_trainee),
        lambda: services.attempt_start(exam=small_exam, trainee=enrolled_trainee),
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert outcomes[0][1].pk == outcomes[1][1].pk
    assert Attempt.objects.filter(trainee=enrolled_trainee).count() == 1
