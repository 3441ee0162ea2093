"""Writes for written exams: starting, saving, submitting, grading.

Every answer is acknowledged only after its transaction commits. The attempt
row is locked for each save and for the submit, so a save and a submit never
interleave, and a save that arrives after the deadline or after submission is
refused rather than half-applied.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Enrollment, LessonPage, LessonProgress

from .models import (
    Accommodation,
    Attempt,
    AttemptQuestion,
    Question,
    QuestionCategory,
    Response,
    WrittenExam,
)

CENT = Decimal("0.01")


class StaleSave(Exception):
    """A save from a page older than the latest saved answer."""


class AttemptClosed(Exception):
    """A save or submit for an attempt that is no longer open."""


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str = ""
    attempts_used: int = 0
    attempts_allowed: int = 0
    in_progress: Attempt | None = None
    next_number: int = 1
    accommodation: Accommodation | None = None
    attempts: tuple[Attempt, ...] = ()  # the trainee's attempts so far, in order


def accommodation_for(trainee) -> Accommodation | None:
    return Accommodation.objects.filter(trainee=trainee).first()


def attempt_eligibility(*, exam: WrittenExam, trainee, now=None) -> Eligibility:
    """Whether the trainee may start an attempt now, and if not, why."""
    now = now or timezone.now()
    accommodation = accommodation_for(trainee)
    allowed = exam.attempts_allowed + (
        accommodation.extra_attempts if accommodation else 0
    )
    attempts = list(Attempt.objects.filter(exam=exam, trainee=trainee))
    used = len(attempts)
    in_progress = next(
        (a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None
    )
    next_number = max((a.number for a in attempts), default=0) + 1

    def decide(allowed_now, reason="", resume=None):
        return Eligibility(
            allowed_now,
            reason,
            used,
            allowed,
            resume,
            next_number,
            accommodation,
            tuple(attempts),
        )

    def refuse(reason):
        return decide(False, reason, in_progress)

    if in_progress is not None and not in_progress.is_expired:
        return decide(True, "", in_progress)
    if not exam.is_published:
        return refuse(_("This exam is not open yet."))
    if not Enrollment.objects.filter(
        trainee=trainee, course=exam.course_id, status=Enrollment.Status.ACTIVE
    ).exists():
        return refuse(_("Enroll in the course to take its exam."))
    if exam.opens_at and now < exam.opens_at:
        return refuse(
            _("The exam opens on %(when)s.")
            % {
                "when": timezone.localtime(exam.opens_at).strftime(
                    "%b %-d, %Y %-I:%M %p"
                )
            }
        )
    extra = accommodation.extra_time(exam.time_limit_minutes) if accommodation else None
    closes = exam.closes_at + extra if exam.closes_at and extra else exam.closes_at
    if closes and now >= closes:
        return refuse(_("The exam has closed."))
    if used >= allowed:
        return refuse(_("You have used all your attempts."))
    finished = [a.submitted_at for a in attempts if a.submitted_at]
    if finished and exam.wait_between_attempts_hours:
        ready = max(finished) + datetime.timedelta(
            hours=exam.wait_between_attempts_hours
        )
        if now < ready:
            return refuse(
                _("You can try again from %(when)s.")
                % {"when": timezone.localtime(ready).strftime("%b %-d, %Y %-I:%M %p")}
            )
    missing = _missing_prerequisites(exam=exam, trainee=trainee)
    if missing:
        return refuse(
            _("Complete these modules first: %(modules)s.")
            % {"modules": ", ".join(missing)}
        )
    return decide(True)


def _missing_prerequisites(*, exam: WrittenExam, trainee) -> list[str]:
    missing = []
    modules = list(exam.prerequisite_modules.all())
    if not modules:
        return missing
    lessons = (
        LessonPage.objects.live()
        .filter(path__regex=r"^(" + "|".join(m.path for m in modules) + ")")
        .values_list("pk", "path")
    )
    done = set(
        LessonProgress.objects.filter(trainee=trainee).values_list(
            "lesson_id", flat=True
        )
    )
    for module in modules:
        needed = {pk for pk, path in lessons if path.startswith(module.path)}
        if not needed or not needed <= done:
            missing.append(module.title)
    return missing


_UNREAD = object()


def deadline_for(*, exam: WrittenExam, trainee, started_at, accommodation=_UNREAD):
    """The earlier of start plus the time limit and the closing time; an
    accommodation extends both. Pass ``accommodation`` when it has been read
    already (``None`` for none)."""
    if accommodation is _UNREAD:
        accommodation = accommodation_for(trainee)
    candidates = []
    if exam.time_limit_minutes:
        minutes = (
            accommodation.extended_minutes(exam.time_limit_minutes)
            if accommodation
            else exam.time_limit_minutes
        )
        candidates.append(started_at + datetime.timedelta(minutes=minutes))
    if exam.closes_at:
        extra = (
            accommodation.extra_time(exam.time_limit_minutes)
            if accommodation
            else datetime.timedelta(0)
        )
        candidates.append(exam.closes_at + extra)
    return min(candidates) if candidates else None


def draw_questions(*, exam: WrittenExam, rng: random.Random) -> list[tuple]:
    """(question, points, category) for each blueprint rule, drawn from the
    active questions of the rule's category.

    Only the drawn questions are loaded whole, in one query per question
    type drawn, however large the bank.
    """
    picks = []
    for rule in exam.blueprint.select_related("category"):
        pool = list(
            Question.objects.non_polymorphic()
            .filter(category=rule.category, status=Question.Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", "polymorphic_ctype_id")
        )
        if len(pool) < rule.count:
            raise ValidationError(
                _(
                    "The bank has %(have)s active questions in %(category)s; the "
                    "exam needs %(need)s."
                )
                % {
                    "have": len(pool),
                    "category": rule.category.name,
                    "need": rule.count,
                }
            )
        picks.extend((pick, rule) for pick in rng.sample(pool, rule.count))
    by_type: dict[int, list[int]] = {}
    for (pk, content_type_id), _rule in picks:
        by_type.setdefault(content_type_id, []).append(pk)
    questions = {}
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        questions.update(model.objects.non_polymorphic().order_by().in_bulk(pks))
    drawn = [
        (questions[pk], rule.points or questions[pk].points, rule.category)
        for (pk, _type), rule in picks
    ]
    if exam.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


@transaction.atomic
def attempt_start(*, exam: WrittenExam, trainee, rng: random.Random | None = None):
    """Start (or resume) an attempt, freezing its questions.

    The trainee's enrollment row is locked first, so two starts at once are
    serialised: the second resumes the attempt the first created, and the
    last permitted attempt can only be started once.
    """
    Enrollment.objects.select_for_update().filter(
        trainee=trainee, course=exam.course_id
    ).first()
    attempts_close_expired(exam=exam, trainee=trainee)
    eligibility = attempt_eligibility(exam=exam, trainee=trainee)
    if eligibility.in_progress is not None:
        return eligibility.in_progress
    if not eligibility.allowed:
        raise PermissionDenied(eligibility.reason)
    rng = rng or random.Random()
    now = timezone.now()
    drawn = draw_questions(exam=exam, rng=rng)
    attempt = Attempt.objects.create(
        exam=exam,
        trainee=trainee,
        number=eligibility.next_number,
        started_at=now,
        deadline=deadline_for(
            exam=exam,
            trainee=trainee,
            started_at=now,
            accommodation=eligibility.accommodation,
        ),
        pass_mark_percent=exam.pass_mark_percent,
        max_score=sum((points for _q, points, _c in drawn), Decimal(0)),
    )
    rows = []
    for position, (question, points, category) in enumerate(drawn, start=1):
        content, key = question.freeze(shuffle=exam.shuffle_choices, rng=rng)
        rows.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question=question,
                category_name=category.name,
                points=points,
                content=content,
                key=key,
            )
        )
    rows = AttemptQuestion.objects.bulk_create(rows)
    if any(row.pk is None for row in rows):  # a database that returns no ids
        rows = AttemptQuestion.objects.filter(attempt=attempt)
    Response.objects.bulk_create(Response(attempt_question=row) for row in rows)
    return attempt


ANSWER_KEYS = {
    "single_choice": {"choice"},
    "multiple_response": {"choices"},
    "true_false": {"answer"},
    "short_answer": {"text"},
    "essay": {"text"},
    "matching": {"matches"},
    "ordering": {"order"},
}


def _validate_answer(content: dict, answer) -> dict | None:
    """Refuse answers that could not have come from the page (tampering)."""
    if answer is None:
        return None
    kind = content["type"]
    allowed = ANSWER_KEYS.get(kind, set())
    if not isinstance(answer, dict) or not set(answer) <= allowed:
        raise ValidationError(_("The answer is not in a form this question takes."))
    if kind in ("single_choice", "multiple_response"):
        ids = {choice["id"] for choice in content["choices"]}
        if kind == "single_choice":
            choice = answer.get("choice")
            if choice is not None and choice not in ids:
                raise ValidationError(_("That choice is not part of this question."))
            return {"choice": choice} if choice else None
        chosen = answer.get("choices") or []
        if not isinstance(chosen, list) or not set(chosen) <= ids:
            raise ValidationError(_("That choice is not part of this question."))
        return {"choices": sorted(set(chosen))}
    if kind == "true_false":
        value = answer.get("answer")
        if value not in (True, False, None):
            raise ValidationError(_("Answer true or false."))
        return {"answer": value} if value is not None else None
    if kind in ("short_answer", "essay"):
        text = answer.get("text") or ""
        limit = 500 if kind == "short_answer" else 20000
        if not isinstance(text, str) or len(text) > limit:
            raise ValidationError(
                _("The answer is longer than %(limit)s characters.") % {"limit": limit}
            )
        return {"text": text}
    if kind == "matching":
        matches = answer.get("matches") or {}
        prompts = {p["id"] for p in content["prompts"]}
        options = {o["id"] for o in content["options"]}
        if (
            not isinstance(matches, dict)
            or not set(matches) <= prompts
            or not {v for v in matches.values() if v} <= options
        ):
            raise ValidationError(_("That match is not part of this question."))
        return {"matches": {k: v for k, v in matches.items() if v}}
    if kind == "ordering":
        order = answer.get("order") or []
        items = [i["id"] for i in content["items"]]
        if not isinstance(order, list) or sorted(order) != sorted(items):
            raise ValidationError(_("Put every item in order exactly once."))
        return {"order": order}
    raise ValidationError(_("Unknown question type."))


@dataclass(frozen=True)
class SaveReceipt:
    position: int
    revision: int
    saved_at: object
    seconds_left: int | None
    answered: bool
    flagged: bool


@transaction.atomic
def attempt_save_response(
    *,
    attempt: Attempt | int,
    position: int,
    answer,
    revision: int | None,
    flagged: bool | None = None,
    trainee=None,
) -> SaveReceipt:
    """Save one answer durably, or refuse: after the deadline, after submit,
    or when ``revision`` shows the page is older than the saved answer.

    ``answer`` is the answer, or a function that takes the question's frozen
    content and returns it (a form names its fields after that content).
    With ``trainee``, an attempt that is not theirs is not found
    (``Attempt.DoesNotExist``), exactly like one that does not exist.

    The attempt row is locked first, as the submit locks it, and only then
    are the question and its saved answer read: saves to one attempt queue
    behind each other and behind a submit, and each reads what the one
    before it committed.
    """
    attempt_id = attempt.pk if isinstance(attempt, Attempt) else attempt
    # Only the columns a save reads: it runs for every answer given.
    attempts = (
        Attempt.objects.select_for_update()
        .filter(pk=attempt_id)
        .only("state", "deadline")
    )
    if trainee is not None:
        attempts = attempts.filter(trainee=trainee)
    attempt = attempts.get()  # Attempt.DoesNotExist when not found (or not theirs)
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise AttemptClosed(_("This attempt has been submitted; nothing was saved."))
    if attempt.is_expired:
        raise AttemptClosed(_("Time is up; answers after the deadline are not saved."))
    try:
        question = (
            AttemptQuestion.objects.select_related("response")
            .only(
                "content",  # never the key
                "flagged",
                "response__answer",
                "response__revision",
                "response__saved_at",
            )
            .get(attempt=attempt, position=position)
        )
    except AttemptQuestion.DoesNotExist:
        raise ValidationError(
            _("This attempt has no question %(n)s.") % {"n": position}
        ) from None
    response = question.response
    if revision is not None and revision != response.revision:
        raise StaleSave(
            _(
                "This answer was changed in another tab or window since this page "
                "loaded. Reload to see the latest answer."
            )
        )
    if callable(answer):
        answer = answer(question.content)
    cleaned = _validate_answer(question.content, answer)
    now = timezone.now()
    if cleaned != response.answer:
        response.answer = cleaned
        response.revision += 1
        response.saved_at = now
        response.save(update_fields=["answer", "revision", "saved_at"])
    if flagged is not None and flagged != question.flagged:
        question.flagged = flagged
        question.save(update_fields=["flagged"])
    return SaveReceipt(
        position=position,
        revision=response.revision,
        saved_at=response.saved_at,
        seconds_left=attempt.seconds_left(),
        answered=question.question_class.is_answered(response.answer),
        flagged=question.flagged,
    )


def _finalize(attempt: Attempt, responses: list[Response] | None = None) -> None:
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


def _grade_automatically(attempt: Attempt) -> list[Response]:
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
def attempt_submit(*, attempt: Attempt, by_deadline: bool = False) -> Attempt:
    """Close an attempt and grade what can be graded. Submitting twice grades
    once: a closed attempt is returned unchanged."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return attempt
    now = timezone.now()
    attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
    attempt.closed_by_deadline = by_deadline
    attempt.save(update_fields=["submitted_at", "closed_by_deadline"])
    _finalize(attempt, _grade_automatically(attempt))
    return attempt


def attempt_close_if_expired(*, attempt: Attempt) -> Attempt:
    """The attempt, closed with its saved answers if its deadline has passed.
    Costs no query while the attempt is open."""
    if attempt.state == Attempt.State.IN_PROGRESS and attempt.is_expired:
        return attempt_submit(attempt=attempt, by_deadline=True)
    return attempt


def attempts_close_expired(*, exam=None, trainee=None, now=None) -> int:
    """Close every attempt past its deadline with the answers saved so far,
    whether or not the trainee is still connected. Returns how many."""
    now = now or timezone.now()
    expired = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lte=now)
    if exam is not None:
        expired = expired.filter(exam=exam)
    if trainee is not None:
        expired = expired.filter(trainee=trainee)
    count = 0
    for attempt in expired:
        attempt_submit(attempt=attempt, by_deadline=True)
        count += 1
    return count


@transaction.atomic
def response_grade(*, response: Response, score: Decimal, comment: str, by) -> Response:
    """A person grades an essay; the attempt is final when nothing is left."""
    response = (
        Response.objects.select_for_update()
        .select_related("attempt_question", "attempt_question__attempt")
        .get(pk=response.pk)
    )
    question = response.attempt_question
    if question.attempt.trainee_id == by.pk:
        raise PermissionDenied(_("You cannot grade your own attempt."))
    if question.attempt.state == Attempt.State.IN_PROGRESS:
        raise ValidationError(_("The attempt is still in progress."))
    if score < 0 or score > question.points:
        raise ValidationError(
            {"score": _("Give a score from 0 to %(max)s.") % {"max": question.points}}
        )
    response.score = score.quantize(CENT, ROUND_HALF_UP)
    response.fraction = (score / question.points).quantize(Decimal("0.0001"))
    response.comment = comment
    response.graded_by = by
    response.graded_at = timezone.now()
    response.save()
    _finalize(question.attempt)
    return response


# Regrading after an answer key is corrected ---------------------------------


@dataclass
class RegradeReport:
    attempts_checked: int
    attempts_changed: int
    pass_fail_changed: int
    applied: bool


@transaction.atomic
def question_regrade(*, question: Question, apply: bool) -> RegradeReport:
    """Re-grade past attempts of a question with its current answer key.

    With ``apply=False`` (the dry run) nothing is written; the report says
    how many attempts and pass/fail results would change.
    """
    _content, new_key = question.freeze()
    rows = list(
        AttemptQuestion.objects.filter(
            question=question,
            attempt__state__in=[Attempt.State.GRADED, Attempt.State.NEEDS_GRADING],
        ).select_related("response", "attempt")
    )
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
            row.key = key
            row.save(update_fields=["key"])
            row.response.fraction = fraction
            row.response.score = score
            row.response.save(update_fields=["fraction", "score"])
        for attempt_id in changed_attempts:
            _finalize(attempts[attempt_id])
    return RegradeReport(
        attempts_checked=len({row.attempt_id for row in rows}),
        attempts_changed=len(changed_attempts),
        pass_fail_changed=flips,
        applied=apply,
    )


# The question bank as data ---------------------------------------------------


@dataclass
class ImportReport:
    created: int
    updated: int


@transaction.atomic
def questions_import(*, questions: list[dict]) -> ImportReport:
    """Create or update questions from import dicts, all or nothing.

    A question with a key replaces the question with that key (its type may
    not change); one without a key is always new. Callers validate the rows
    first and report every problem; this still refuses anything inconsistent.
    """
    created = updated = 0
    categories = {c.name: c for c in QuestionCategory.objects.all()}
    for data in questions:
        category = categories.get(data["category"])
        if category is None:
            category = QuestionCategory.objects.create(name=data["category"])
            categories[category.name] = category
        cls = Question.class_for(data["type"])
        existing = (
            Question.objects.filter(key=data["key"]).first()
            if data.get("key")
            else None
        )
        if existing is not None and type(existing) is not cls:
            raise ValidationError(
                _("Question '%(key)s' is a %(old)s question; it cannot become %(new)s.")
                % {"key": data["key"], "old": existing.type_code, "new": data["type"]}
            )
        question = existing or cls()
        question.key = data.get("key") or None
        question.category = category
        question.title = data.get("title", "")
        question.text = data["text"]
        question.points = Decimal(str(data.get("points", "1")))
        question.general_feedback = data.get("general_feedback", "")
        question.status = data.get("status", Question.Status.ACTIVE)
        question.set_answers(data)
        question.full_clean()
        question.save()
        if existing is None:
            created += 1
        else:
            updated += 1
    return ImportReport(created=created, updated=updated)
