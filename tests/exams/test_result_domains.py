"""The result page's score per exam domain: what a trainee who did not pass
should study, shown with the score and never giving away an answer."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from exams import selectors, services
from exams.models import BlueprintRule, WrittenExam
from tests.exams.conftest import right_answer, wrong_answer

pytestmark = pytest.mark.django_db

FEEDBACK = "Feedback that only the review may show."


def _bank(count: int) -> None:
    questions = []
    for domain in ("Self-advocacy", "Peer ethics"):
        for n in range(count):
            questions.append(
                {
                    "type": "single_choice",
                    "category": domain,
                    "status": "active",
                    "text": f"{domain} question {n}",
                    "points": "2",
                    "general_feedback": FEEDBACK,
                    "choices": [
                        {"text": f"Right {domain} {n}", "correct": True},
                        {
                            "text": f"Half {domain} {n}",
                            "correct": False,
                            "weight": "50",
                            "feedback": FEEDBACK,
                        },
                        {"text": f"Wrong {domain} {n}", "correct": False},
                    ],
                }
            )
    services.questions_import(questions=questions)


def _exam(kps, review, count=3, **options):
    _bank(count)
    exam = WrittenExam.objects.create(
        course=kps,
        title="Domains",
        pass_mark_percent=Decimal(80),
        attempts_allowed=1,
        review=review,
        is_published=True,
        shuffle_questions=False,
        **options,
    )
    from exams.models import QuestionCategory

    for order, name in enumerate(("Self-advocacy", "Peer ethics")):
        BlueprintRule.objects.create(
            exam=exam,
            category=QuestionCategory.objects.get(name=name),
            count=count,
            sort_order=order,
        )
    return exam


def _sit(exam, trainee):
    """All right in Self-advocacy; in Peer ethics one right, one half right, the rest
    wrong."""
    attempt = services.attempt_start(exam=exam, trainee=trainee)
    ethics = 0
    for row in attempt.questions.order_by("position"):
        if row.category_name == "Self-advocacy":
            answer = right_answer(row.content, row.key)
        else:
            ethics += 1
            if ethics == 1:
                answer = right_answer(row.content, row.key)
            elif ethics == 2:
                half = next(c for c in row.key["weights"])
                answer = {"choice": half}
            else:
                answer = wrong_answer(row.content, row.key)
        services.attempt_save_response(
            attempt=attempt, position=row.position, answer=answer, revision=None
        )
    return services.attempt_submit(attempt=attempt)


def _result(client, trainee, attempt) -> str:
    client.force_login(trainee)
    response = client.get(reverse("exams:attempt_result", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _assert_no_answers(html: str) -> None:
    for secret in ("(correct)", "Right Self-advocacy", "Half Peer", FEEDBACK, "credit"):
        assert secret not in html, secret


def test_score_only_shows_each_domain_and_no_answer(client, kps, enrolled_trainee):
    exam = _exam(kps, WrittenExam.Review.SCORE_ONLY)
    attempt = _sit(exam, enrolled_trainee)
    assert not attempt.passed
    html = _result(client, enrolled_trainee, attempt)
    assert "Score by exam domain" in html
    assert '<th scope="row">Self-advocacy</th><td>6 of 6</td><td>100%</td>' in html
    assert ('<th scope="row">Peer ethics</th><td>3 of 6</td><td>50%</td>') in html
    _assert_no_answers(html)


def test_before_the_review_allows_answers_only_scores_show(
    client, kps, enrolled_trainee
):
    closes = timezone.now() + datetime.timedelta(days=2)
    exam = _exam(kps, WrittenExam.Review.AFTER_CLOSE, closes_at=closes)
    attempt = _sit(exam, enrolled_trainee)
    html = _result(client, enrolled_trainee, attempt)
    assert "<td>3 of 6</td><td>50%</td>" in html
    _assert_no_answers(html)
    with time_machine.travel(closes + datetime.timedelta(minutes=1)):
        html = _result(client, enrolled_trainee, attempt)
    assert "<td>3 of 6</td><td>50%</td>" in html
    assert "(correct)" in html and FEEDBACK in html
    assert "(50% credit)" in html


def test_no_domain_scores_while_a_person_still_grades(client, kps, enrolled_trainee):
    exam = _exam(kps, WrittenExam.Review.SCORE_ONLY)
    services.questions_import(
        questions=[
            {
                "type": "essay",
                "category": "Self-advocacy",
                "status": "active",
                "text": "Describe self-advocacy.",
            }
        ]
    )
    exam.blueprint.filter(category__name="Self-advocacy").update(count=4)
    attempt = _sit(exam, enrolled_trainee)
    assert attempt.state == attempt.State.NEEDS_GRADING
    html = _result(client, enrolled_trainee, attempt)
    assert "Score by exam domain" not in html


@pytest.mark.parametrize("count", [1, 6])
def test_domain_scores_take_one_query_however_many_questions(
    kps, enrolled_trainee, django_assert_num_queries, count
):
    attempt = _sit(
        _exam(kps, WrittenExam.Review.SCORE_ONLY, count=count), enrolled_trainee
    )
    with django_assert_num_queries(1):
        scores = selectors.attempt_domain_scores(attempt=attempt)
    assert [(s.category, s.possible) for s in scores] == [
        ("Peer ethics", Decimal(2 * count)),
        ("Self-advocacy", Decimal(2 * count)),
    ]
    assert (scores[1].earned, scores[1].percent) == (Decimal(2 * count), 100)
