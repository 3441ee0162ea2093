"""Reads for attempts. The trainee-facing ones never return an answer key."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, F, Q, Sum, When
from django.db.models.fields.json import KT

from courses.models import Enrollment

from ..models import (
    Accommodation,
    Attempt,
    AttemptQuestion,
    WrittenExam,
    question_type,
)


@dataclass
class AttemptQuestionView:
    """What the attempt page may show: content, the saved answer, flags.

    Built from ``AttemptQuestion.content`` only; the key stays in the
    database row, which templates never receive.
    """

    position: int
    content: dict
    points: Decimal
    answer: dict | None
    revision: int
    answered: bool
    flagged: bool

    @property
    def question_class(self):
        return question_type(self.content["type"])

    @property
    def answer_template(self) -> str:
        return self.question_class.answer_template

    @property
    def widget(self) -> dict:
        """What the type's answer template needs: the chosen options, the
        ranks given, the matches made."""
        return self.question_class.answer_widget(self.content, self.answer)


def attempt_questions(
    *, attempt: Attempt, content_at: int | None = None
) -> list[AttemptQuestionView]:
    """The attempt's questions in order, with their saved answers.

    With ``content_at``, only the question at that position carries its
    whole content; the others' holds only their type. The attempt page
    shows one question, and its panel needs only whether each is answered:
    reading and decoding every question's content, on every move between
    questions of every trainee in an exam, was wasted.
    """
    content = AttemptQuestion._meta.get_field("content")
    if content_at is None:
        shown = F("content")
    else:
        shown = Case(
            When(position=content_at, then=F("content")),
            default=None,
            output_field=content.__class__(),
        )
    rows = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .annotate(shown=shown, kind=KT("content__type"))
        .order_by("position")
        .values_list(
            "position",
            "points",
            "flagged",
            "response__answer",
            "response__revision",
            "shown",
            "kind",
        )
    )
    views = []
    for position, points, flagged, answer, revision, shown, kind in rows:
        views.append(
            AttemptQuestionView(
                position=position,
                content=shown if shown is not None else {"type": kind},
                points=points,
                answer=answer,
                revision=revision,
                answered=question_type(kind).is_answered(answer),
                flagged=flagged,
            )
        )
    return views


def review_allows_answers(*, attempt: Attempt, now) -> bool:
    """Correct answers are shown only if the exam says so, and only once the
    trainee's answers can no longer help anyone still sitting it.

    With a closing time: once it has passed for everyone, that is, moved on
    by the longest accommodation of anyone enrolled in the course, since an
    accommodation extends the closing time too. Without one the exam never
    closes, so answers are shown once this trainee has used every attempt
    they are allowed.
    """
    exam = attempt.exam
    if exam.review != WrittenExam.Review.AFTER_CLOSE:
        return False
    if attempt.state != Attempt.State.GRADED:
        return False
    if exam.closes_at is None:
        accommodation = Accommodation.objects.filter(
            trainee_id=attempt.trainee_id
        ).first()
        used = Attempt.objects.filter(exam=exam, trainee_id=attempt.trainee_id)
        return used.count() >= exam.attempts_allowed_for(accommodation)
    if now < exam.closes_at:
        return False
    enrolled = Enrollment.objects.filter(
        course_id=exam.course_id, status=Enrollment.Status.ACTIVE
    ).values("trainee_id")
    closes_for_everyone = max(
        (
            exam.closes_at_for(accommodation)
            for accommodation in Accommodation.objects.filter(trainee_id__in=enrolled)
        ),
        default=exam.closes_at,
    )
    return now >= closes_for_everyone


def attempt_review(*, attempt: Attempt) -> list[dict]:
    """Each question with the trainee's answer, the right answer and feedback.
    Only for pages where ``review_allows_answers`` is true."""
    review = []
    for row in AttemptQuestion.objects.filter(attempt=attempt).select_related(
        "response"
    ):
        review.append(
            {
                "position": row.position,
                "content": row.content,
                "key": row.key,
                "answer": row.response.answer or {},
                "score": row.response.score,
                "points": row.points,
                "comment": row.response.comment,
            }
        )
    return review


@dataclass(frozen=True)
class DomainScore:
    """Points earned of points possible in one exam domain (category)."""

    category: str
    earned: Decimal
    possible: Decimal

    @property
    def percent(self) -> Decimal:
        if not self.possible:
            return Decimal(0)
        return (self.earned * 100 / self.possible).quantize(Decimal("0.01"))


def attempt_domain_scores(*, attempt: Attempt) -> list[DomainScore]:
    """The attempt's score per exam domain, in one query, so a trainee who
    did not pass sees what to study. Scores only: no answer, key or
    feedback, so any page that may show the score may show these."""
    rows = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .values("category_name")
        .annotate(possible=Sum("points"), earned=Sum("response__score"))
        .order_by("category_name")
    )
    return [
        DomainScore(
            category=row["category_name"],
            earned=row["earned"] or Decimal(0),
            possible=row["possible"] or Decimal(0),
        )
        for row in rows
    ]


def attempt_running_for(user, now: datetime.datetime) -> bool:
    """Whether the person has a written-exam attempt running now: their
    session is then not ended for idleness or age (cms.sessions). An untimed
    attempt counts only within a session lifetime of its start, so an
    abandoned one does not keep a sign-in alive for ever."""
    if not user.is_authenticated:
        return False
    return (
        Attempt.objects.filter(
            trainee=user,
            state=Attempt.State.IN_PROGRESS,
            started_at__gte=now - settings.SESSION_ABSOLUTE_LIFETIME,
        )
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .exists()
    )
