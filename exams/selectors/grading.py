"""Reads for graders: what waits for a person, what a regrade would touch."""

from __future__ import annotations

from ..models import Attempt, Response


def question_graded_attempt_count(*, question) -> int:
    """How many finished attempts drew this question (what a regrade checks)."""
    return (
        Attempt.objects.filter(
            questions__question=question,
            state__in=[Attempt.State.GRADED, Attempt.State.NEEDS_GRADING],
        )
        .distinct()
        .count()
    )


def responses_to_grade(*, user):
    """Essays waiting for a person, oldest submission first; never the
    grader's own."""
    return (
        Response.objects.filter(
            attempt_question__attempt__state=Attempt.State.NEEDS_GRADING,
            score__isnull=True,
        )
        .exclude(attempt_question__attempt__trainee=user)
        .select_related(
            "attempt_question",
            "attempt_question__attempt",
            "attempt_question__attempt__exam",
            "attempt_question__attempt__trainee",
        )
        .order_by("attempt_question__attempt__submitted_at", "pk")
    )
