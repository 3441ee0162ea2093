"""Grading: totalling an attempt, a person grading an essay, regrading."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms import audit
from courses.services import certificates_check_later

from ..models import Attempt, AttemptQuestion, Question, Response
from ..permissions import attempts_regradable_by, user_can_grade_response

CENT = Decimal("0.01")


def finalize(attempt: Attempt, responses: list[Response] | None = None) -> None:
    """Total the scores; final once no response waits for a person.
    ``responses`` are all the attempt's responses, when already in hand."""
    if responses is None:
        responses = list(
            Response.objects.filter(attempt_question__attempt=attempt).only("score")
        )
    if any(r.score is None for r in responses):
        attempt.state = Attempt.State.NEEDS_GRADING
        attempt.score = attempt.percent = attempt.passed = None
    else:
        total = sum((r.score for r in responses), Decimal(0))
        attempt.score = total
        attempt.percent = (
            (total * 100 / attempt.max_score).quantize(CENT, ROUND_HALF_UP)
            if attempt.max_score
            else Decimal(0)
        )
        attempt.passed = attempt.percent >= attempt.pass_mark_percent
        attempt.state = Attempt.State.GRADED
    attempt.save(update_fields=["state", "score", "percent", "passed"])
    if attempt.passed:
        # A pass may complete a course; its certificate is checked after
        # the commit, in a task.
        certificates_check_later(trainee_id=attempt.trainee_id)


def grade_automatically(attempt: Attempt) -> list[Response]:
    responses = []
    for question in AttemptQuestion.objects.filter(attempt=attempt).select_related(
        "response"
    ):
        response = question.response
        fraction = question.question_class.grade_frozen(question.key, response.answer)
        if fraction is None and not question.question_class.is_answered(
            response.answer
        ):
            fraction = Decimal(0)  # an unanswered essay earns nothing; no queue
        response.fraction = fraction
        response.score = (
            (fraction * question.points).quantize(CENT, ROUND_HALF_UP)
            if fraction is not None
            else None
        )
        responses.append(response)
    Response.objects.bulk_update(responses, ["fraction", "score"])
    return responses


@transaction.atomic
def response_grade(*, response: Response, score: Decimal, comment: str, by) -> Response:
    """A person grades an essay; the attempt is final when nothing is left.

    Only an answer a person grades (an essay) of a submitted attempt, by
    someone who may grade the exam (``permissions.user_can_grade_response``),
    never their own; auto-graded scores change only through a regrade."""
    response = (
        Response.objects.select_for_update()
        .select_related(
            "attempt_question",
            "attempt_question__attempt",
            "attempt_question__attempt__exam",
        )
        .get(pk=response.pk)
    )
    question = response.attempt_question
    if question.attempt.trainee_id == by.pk:
        raise PermissionDenied(_("You cannot grade your own attempt."))
    if question.attempt.state == Attempt.State.IN_PROGRESS:
        raise ValidationError(_("The attempt is still in progress."))
    if not question.question_class.graded_by_person:
        raise ValidationError(
            _(
                "This question is graded automatically; its score changes only "
                "through a regrade after its answer key is corrected."
            )
        )
    if not user_can_grade_response(by, response):
        raise PermissionDenied(
            _("You may grade only the essays of courses you teach a cohort of.")
        )
    if score < 0 or score > question.points:
        raise ValidationError(
            {"score": _("Give a score from 0 to %(max)s.") % {"max": question.points}}
        )
    old_score = response.score
    response.score = score.quantize(CENT, ROUND_HALF_UP)
    response.fraction = (score / question.points).quantize(Decimal("0.0001"))
    response.comment = comment
    response.graded_by = by
    response.graded_at = timezone.now()
    response.save()
    finalize(question.attempt)
    audit.record(
        "exam.grade_changed",
        actor=by,
        target=question.attempt,
        response=response.pk,
        question=question.position,
        old_score=old_score,
        new_score=response.score,
        comment=comment,
    )
    return response


# Regrading after an answer key is corrected ---------------------------------


@dataclass
class RegradeReport:
    attempts_checked: int
    attempts_changed: int
    pass_fail_changed: int
    applied: bool


@transaction.atomic
def question_regrade(*, question: Question, apply: bool, by=None) -> RegradeReport:
    """Re-grade past attempts of a question with its current answer key.

    With ``apply=False`` (the dry run) nothing is written; the report says
    how many attempts and pass/fail results would change. A regrade by a
    person reaches only the attempts they may regrade
    (``attempts_regradable_by``); without ``by`` it reaches every attempt.
    """
    _content, new_key = question.freeze()
    rows = AttemptQuestion.objects.filter(
        question=question,
        attempt__state__in=[Attempt.State.GRADED, Attempt.State.NEEDS_GRADING],
    )
    if by is not None:
        rows = rows.filter(
            attempt__in=attempts_regradable_by(by, Attempt.objects.all()).values("pk")
        )
    rows = list(rows.select_related("response", "attempt"))
    changed_attempts = set()
    flips = 0
    per_attempt_delta: dict[int, Decimal] = {}
    updates = []
    for row in rows:
        key = {
            **row.key,
            **{k: v for k, v in new_key.items() if k != "general_feedback"},
        }
        fraction = row.question_class.grade_frozen(key, row.response.answer)
        if fraction is None:
            continue
        score = (fraction * row.points).quantize(CENT, ROUND_HALF_UP)
        if score != row.response.score:
            changed_attempts.add(row.attempt_id)
            per_attempt_delta[row.attempt_id] = per_attempt_delta.get(
                row.attempt_id, Decimal(0)
            ) + (score - (row.response.score or 0))
            updates.append((row, key, fraction, score))
    attempts = {row.attempt_id: row.attempt for row in rows}
    for attempt_id, delta in per_attempt_delta.items():
        attempt = attempts[attempt_id]
        if attempt.state != Attempt.State.GRADED or not attempt.max_score:
            continue
        percent = ((attempt.score + delta) * 100 / attempt.max_score).quantize(CENT)
        if (percent >= attempt.pass_mark_percent) != attempt.passed:
            flips += 1
    if apply:
        for row, key, fraction, score in updates:
            old_score = row.response.score
            row.key = key
            row.save(update_fields=["key"])
            row.response.fraction = fraction
            row.response.score = score
            row.response.save(update_fields=["fraction", "score"])
            audit.record(
                "exam.regraded",
                actor=by,
                target=row.attempt,
                question_id=question.pk,
                response=row.response.pk,
                old_score=old_score,
                new_score=score,
            )
        for attempt_id in changed_attempts:
            finalize(attempts[attempt_id])
    return RegradeReport(
        attempts_checked=len({row.attempt_id for row in rows}),
        attempts_changed=len(changed_attempts),
        pass_fail_changed=flips,
        applied=apply,
    )


# The question bank as data ---------------------------------------------------
