"""Reads for attempts. The trainee-facing ones never return an answer key."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from courses.models import Enrollment

from ..models import Accommodation, Attempt, AttemptQuestion, WrittenExam


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
    def chosen(self) -> set:
        answer = self.answer or {}
        if "choice" in answer:
            return {answer["choice"]}
        return set(answer.get("choices") or [])

    @property
    def ranks(self) -> dict:
        order = (self.answer or {}).get("order") or [
            i["id"] for i in self.content.get("items", [])
        ]
        return {item_id: index + 1 for index, item_id in enumerate(order)}

    @property
    def items_with_rank(self) -> list[tuple[dict, int]]:
        ranks = self.ranks
        return [
            (item, ranks.get(item["id"], 0)) for item in self.content.get("items", [])
        ]

    @property
    def prompts_with_match(self) -> list[tuple[dict, str]]:
        matches = (self.answer or {}).get("matches") or {}
        return [(p, matches.get(p["id"], "")) for p in self.content.get("prompts", [])]


def attempt_questions(*, attempt: Attempt) -> list[AttemptQuestionView]:
    rows = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("response")
        .only(
            "position",
            "content",
            "points",
            "flagged",
            "response__answer",
            "response__revision",
        )
        .order_by("position")
    )
    views = []
    for row in rows:
        answer = row.response.answer
        views.append(
            AttemptQuestionView(
                position=row.position,
                content=row.content,
                points=row.points,
                answer=answer,
                revision=row.response.revision,
                answered=row.question_class.is_answered(answer),
                flagged=row.flagged,
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
