"""Every exam page does a fixed number of queries, however many questions an
exam has and however many trainees have sat it."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services
from exams.models import Question, Response
from tests.factories import seat

from .conftest import answer_all_correctly, right_answer, wrong_answer

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
    assert big_exam.blueprint.count() > small_exam.blueprint.count()
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


def test_a_save_is_one_locking_read_and_one_write(client, small_exam, enrolled_trainee):
    """The autosave is the busiest request of an exam: the session, the user,
    one read that locks the attempt and the answer, and the write."""
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    row = attempt.questions.get(position=1)
    client.force_login(enrolled_trainee)
    url = reverse("exams:attempt_save", args=[attempt.pk])
    answers = [wrong_answer(row.content, row.key), right_answer(row.content, row.key)]
    for revision, answer in enumerate(answers):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                url,
                {"position": 1, "answer": answer, "revision": revision},
                content_type="application/json",
            )
        assert response.json()["revision"] == revision + 1
        statements = [
            query["sql"]
            for query in captured.captured_queries
            if "SAVEPOINT" not in query["sql"]
        ]
        assert len(statements) == 4, statements
        assert (
            statements[2].endswith('FOR UPDATE OF "exams_attempt", "exams_response"')
            or connection.vendor != "postgresql"
        )
        assert statements[3].startswith('UPDATE "exams_response"')


def test_starting_an_attempt_does_not_grow_with_the_questions(
    small_exam, big_exam, enrolled_trainee
):
    """Freezing the questions is one insert of the questions and one of their
    empty answers (on PostgreSQL, one statement doing both), however many
    questions the exam draws; the draw reads the pools of all its blueprint
    rules at once and, with nothing cached, the drawn questions once per
    question type."""
    extra = []
    for exam in (small_exam, big_exam):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            attempt = services.attempt_start(exam=exam, trainee=enrolled_trainee)
        types = {
            content["type"]
            for content in attempt.questions.values_list("content", flat=True)
        }
        extra.append(len(captured) - len(types))
        assert (
            Response.objects.filter(
                attempt_question__attempt=attempt, revision=0, answer__isnull=True
            ).count()
            == attempt.questions.count()
        )
        inserts = [q["sql"] for q in captured.captured_queries if "INSERT" in q["sql"]]
        # the attempt, its questions, their answers
        assert len(inserts) == (2 if connection.vendor == "postgresql" else 3), inserts
        services.attempt_submit(attempt=attempt)
    assert big_exam.attempts.get().questions.count() > 3 * 4
    assert big_exam.blueprint.count() > small_exam.blueprint.count()
    assert extra[0] == extra[1], extra
