"""Every exam page does a fixed number of queries, however many questions an
exam has and however many trainees have sat it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services
from exams.models import Question, Response
from tests.factories import seat

from .conftest import answer_all_correctly

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # first visits fill per-process caches (site, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured)


def _sit(exam, trainee, grader=None):
    """Answer every question right and submit; with a grader, grade the
    essays too, or leave them in the grading queue."""
    attempt = services.attempt_start(exam=exam, trainee=trainee)
    answer_all_correctly(attempt)
    services.attempt_submit(attempt=attempt)
    if grader is not None:
        for response in Response.objects.filter(
            attempt_question__attempt=attempt, score__isnull=True
        ):
            services.response_grade(
                response=response, score=Decimal(1), comment="Clear.", by=grader
            )
    attempt.refresh_from_db()
    return attempt


# Reading the trainee's permissions (their own and their groups') is two
# queries on every page; the result page adds one for the score per exam
# domain.
TRAINEE_BUDGETS = {"exam_list": 10, "exam_detail": 15, "submit": 7, "result": 14}


@pytest.mark.parametrize("name", TRAINEE_BUDGETS)
def test_trainee_exam_pages_do_not_grow_with_the_questions(
    client, small_exam, big_exam, enrolled_trainee, make_user, name
):
    # The trainer of the trainee's cohort grades the essays.
    grader = enrolled_trainee.cohort_seats.get().cohort.trainers.get()
    client.force_login(enrolled_trainee)
    counts = []
    for exam in (small_exam, big_exam):
        exam.attempts_allowed = 1  # so the result shows every answer
        exam.save()
        if name == "submit":
            attempt = services.attempt_start(exam=exam, trainee=enrolled_trainee)
        else:
            attempt = _sit(exam, enrolled_trainee, grader)
        url = {
            "exam_list": reverse("exams:exam_list"),
            "exam_detail": reverse("exams:exam_detail", args=[exam.pk]),
            "submit": reverse("exams:attempt_submit", args=[attempt.pk]),
            "result": reverse("exams:attempt_result", args=[attempt.pk]),
        }[name]
        if name == "result":
            assert "(correct)" in client.get(url).content.decode()
        counts.append(_queries(client, url))
    assert big_exam.attempts.get().questions.count() > 3 * 4
    assert counts[0] == counts[1], counts
    assert counts[1] <= TRAINEE_BUDGETS[name], counts


STAFF_BUDGETS = {
    "item_analysis": 12,
    "grading_queue": 13,
    "reports": 12,
    "bank": 14,
    "regrade": 16,
    "preview": 13,
}


@pytest.mark.parametrize("name", STAFF_BUDGETS)
def test_staff_exam_pages_do_not_grow_with_the_attempts(
    client, big_exam, enrolled_trainee, make_user, name
):
    cohort = enrolled_trainee.cohort_seats.first().cohort
    trainer = cohort.trainers.first()
    essay = Question.objects.filter(polymorphic_ctype__model="essayquestion").first()
    question = Question.objects.filter(
        polymorphic_ctype__model="singlechoicequestion"
    ).first()
    url = {
        "item_analysis": reverse("exams:item_analysis", args=[big_exam.pk]),
        "grading_queue": reverse("exams:grading_queue"),
        "reports": reverse("exams_reports"),
        "bank": reverse("exams_bank"),
        "regrade": reverse("exams_question_regrade", args=[question.pk]),
        "preview": reverse("exams_question_preview", args=[essay.pk]),
    }[name]
    client.force_login(trainer)
    counts = []
    for sittings in (1, 3):
        while big_exam.attempts.count() < sittings:
            trainee = make_user("trainee")
            seat(cohort, trainee, trainer)
            # Graded sittings feed the reports; ungraded ones fill the queue.
            _sit(big_exam, trainee, None if name == "grading_queue" else trainer)
        counts.append(_queries(client, url))
    if name == "item_analysis":
        assert client.get(url).context["report"].attempts == 3
    if name == "grading_queue":
        assert client.get(url).context["page"].paginator.count >= 3
    assert counts[0] == counts[1], counts
    assert counts[1] <= STAFF_BUDGETS[name], counts


def test_the_grading_queue_pages_oldest_first(
    client, big_exam, enrolled_trainee, make_user, monkeypatch
):
    from exams.views import grading

    monkeypatch.setattr(grading, "GRADING_PAGE_SIZE", 2)
    cohort = enrolled_trainee.cohort_seats.first().cohort
    trainer = cohort.trainers.first()
    _sit(big_exam, enrolled_trainee)
    waiting = list(
        Response.objects.filter(score__isnull=True).order_by(
            "attempt_question__attempt__submitted_at", "pk"
        )
    )
    assert len(waiting) >= 3
    client.force_login(trainer)
    url = reverse("exams:grading_queue")
    first = client.get(url)
    html = first.content.decode()
    assert f"{len(waiting)} essays wait for a grader" in html
    assert f"Page 1 of {-(-len(waiting) // 2)}" in html
    assert [r.pk for r in first.context["page"]] == [r.pk for r in waiting[:2]]
    second = client.get(url, {"p": "2"})
    assert [r.pk for r in second.context["page"]] == [r.pk for r in waiting[2:4]]
    # A page number that is not one shows the first page, not an error.
    assert client.get(url, {"p": "many"}).context["page"].number == 1
