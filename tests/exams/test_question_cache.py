"""Drawn questions are kept whole in the cache between starts, and an edit is
drawn at once: the cached copy is compared with the question's
``updated_at``, and saving a question forgets it."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams import services
from exams.models import QUESTION_TYPES, Question
from exams.selectors.bank import question_cache_key

from .conftest import enroll

pytestmark = pytest.mark.django_db


def _type_tables():
    """The tables each question type keeps its own fields in."""
    return [f'"{model._meta.db_table}"' for model in QUESTION_TYPES]


def _start_queries(exam, trainee):
    with CaptureQueriesContext(connection) as captured:
        attempt = services.attempt_start(
            exam=exam, trainee=trainee, rng=random.Random(1)
        )
    return attempt, [query["sql"] for query in captured]


def _second_trainee(make_user, kps):
    return enroll(make_user("trainee"), kps, make_user=make_user)


def test_a_second_start_reads_no_question_type_table(
    big_exam, kps, enrolled_trainee, make_user
):
    first, queries = _start_queries(big_exam, enrolled_trainee)
    tables = _type_tables()
    assert any(table in sql for sql in queries for table in tables)

    second, queries = _start_queries(big_exam, _second_trainee(make_user, kps))

    read = [sql for sql in queries if any(f"FROM {t}" in sql for t in tables)]
    assert read == []
    # The same draw (one seed) froze the same questions the same way.
    assert [(q.question_id, q.content, q.key) for q in second.questions.all()] == [
        (q.question_id, q.content, q.key) for q in first.questions.all()
    ]


def test_an_edit_is_drawn_at_once_even_while_the_clock_stands_still(
    small_exam, kps, enrolled_trainee, make_user
):
    moment = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        for question in Question.objects.filter(status="active"):
            question.save()  # every updated_at is now this moment
        services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        for question in Question.objects.filter(status="active"):
            question.text = f"Edited: question {question.pk}"
            question.save()  # updated_at unchanged: the clock stands still

        attempt = services.attempt_start(
            exam=small_exam, trainee=_second_trainee(make_user, kps)
        )

    texts = [q.content["text"] for q in attempt.questions.all()]
    assert texts and all(text.startswith("Edited: ") for text in texts)


def test_a_copy_older_than_the_question_is_not_used(
    small_exam, kps, enrolled_trainee, make_user
):
    """Another server's cache (or this one's, before an edit saved by another
    server) may hold an old copy: its ``updated_at`` gives it away."""
    first = services.attempt_start(
        exam=small_exam, trainee=enrolled_trainee, rng=random.Random(1)
    )
    questions = [row.question for row in first.questions.select_related("question")]
    for question in questions:
        key = question_cache_key(question.pk)
        updated_at, copy = cache.get(key)
        copy.text = "An old version"
        cache.set(key, (updated_at - datetime.timedelta(seconds=1), copy))

    attempt = services.attempt_start(
        exam=small_exam, trainee=_second_trainee(make_user, kps), rng=random.Random(1)
    )

    texts = [q.content["text"] for q in attempt.questions.all()]
    assert texts == [q.text for q in questions]  # the same draw, fresh copies
    for question in questions:  # which replaced the old ones
        assert cache.get(question_cache_key(question.pk))[1].text == question.text


def test_deleting_a_question_forgets_its_copy(small_exam, enrolled_trainee):
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    question = Question.objects.exclude(
        pk__in=attempt.questions.values("question_id")
    ).first()
    key = question_cache_key(question.pk)
    cache.set(key, (question.updated_at, question))

    question.delete()

    assert cache.get(key) is None
