"""Reads for exams. The trainee-facing ones never return an answer key."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from courses.models import Enrollment

from .models import Accommodation, Attempt, AttemptQuestion, Response, WrittenExam


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
        allowed = exam.attempts_allowed + (
            accommodation.extra_attempts if accommodation else 0
        )
        used = Attempt.objects.filter(exam=exam, trainee_id=attempt.trainee_id)
        return used.count() >= allowed
    if now < exam.closes_at:
        return False
    enrolled = Enrollment.objects.filter(
        course_id=exam.course_id, status=Enrollment.Status.ACTIVE
    ).values("trainee_id")
    longest = max(
        (
            accommodation.extra_time(exam.time_limit_minutes)
            for accommodation in Accommodation.objects.filter(trainee_id__in=enrolled)
        ),
        default=None,
    )
    return longest is None or now >= exam.closes_at + longest


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


@dataclass
class ItemRow:
    question_id: int | None
    label: str
    category: str
    type_code: str
    stats: object
    frequencies: list[tuple[str, int, bool]]  # choice text, count, is correct


@dataclass
class ItemAnalysis:
    attempts: int
    items: list[ItemRow]
    test: object


def exam_item_analysis(*, exam: WrittenExam) -> ItemAnalysis:
    """Facility, discrimination, choice frequencies and reliability over the
    exam's graded attempts, in three queries whatever the size.

    Blueprints draw questions at random, so no two attempts need share a
    question. Item statistics therefore follow each bank question over the
    attempts that drew it, measured against the rest of each of those
    attempts; test statistics (reliability, distribution) treat each
    position in the attempt as an item, as Moodle does for random slots.
    """
    from .analysis import choice_frequencies, item_statistics, test_statistics

    attempts = list(
        Attempt.objects.filter(exam=exam, state=Attempt.State.GRADED).order_by("pk")
    )
    rows = list(
        AttemptQuestion.objects.filter(attempt__in=attempts)
        .select_related("response")
        .order_by("attempt_id", "position")
    )
    totals = {attempt.pk: float(attempt.score or 0) for attempt in attempts}
    maxima = {attempt.pk: float(attempt.max_score) for attempt in attempts}
    by_position: dict[int, dict[int, float]] = {}
    position_points: dict[int, float] = {}
    columns: dict[int | None, dict] = {}
    for row in rows:
        score = float(row.response.score or 0)
        by_position.setdefault(row.position, {})[row.attempt_id] = score
        position_points[row.position] = max(
            position_points.get(row.position, 0.0), float(row.points)
        )
        column = columns.setdefault(
            row.question_id,
            {
                "label": row.content["text"][:120],
                "category": row.category_name,
                "type": row.content["type"],
                "points": float(row.points),
                "pairs": [],
                "answers": [],
                "choices": {},
                "correct": set(),
            },
        )
        column["pairs"].append(
            (
                [score, totals[row.attempt_id] - score],
                maxima[row.attempt_id] - float(row.points),
            )
        )
        _collect_choices(column, row)
    items = []
    ordered = sorted(
        columns.items(), key=lambda item: (item[1]["category"], item[0] or 0)
    )
    for question_id, column in ordered:
        rest_max = max((rest for _pair, rest in column["pairs"]), default=0.0)
        (item_stats, _rest) = item_statistics(
            scores=[pair for pair, _rest in column["pairs"]],
            max_points=[column["points"], rest_max or 1.0],
        )
        frequencies = []
        if column["choices"]:
            counts = choice_frequencies(
                answers=column["answers"], choices=list(column["choices"])
            )
            frequencies = [
                (text, counts.get(choice_id, 0), choice_id in column["correct"])
                for choice_id, text in column["choices"].items()
            ]
            frequencies.append(("(no answer)", counts.get("", 0), False))
        items.append(
            ItemRow(
                question_id=question_id,
                label=column["label"],
                category=column["category"],
                type_code=column["type"],
                stats=item_stats,
                frequencies=frequencies,
            )
        )
    positions = sorted(by_position)
    matrix = [
        [by_position[position].get(attempt.pk) for position in positions]
        for attempt in attempts
    ]
    return ItemAnalysis(
        attempts=len(attempts),
        items=items,
        test=test_statistics(
            scores=matrix, max_points=[position_points[p] for p in positions]
        ),
    )


def _collect_choices(column: dict, row: AttemptQuestion) -> None:
    """Which choice each attempt picked, for choice-frequency tables."""
    answer = row.response.answer or {}
    if row.content["type"] == "single_choice":
        column["answers"].append(answer.get("choice"))
        for choice in row.content["choices"]:
            column["choices"][choice["id"]] = choice["text"]
        column["correct"].update(row.key["correct"])
    elif row.content["type"] == "true_false":
        value = answer.get("answer")
        column["answers"].append(None if value is None else str(value).lower())
        column["choices"].update({"true": "True", "false": "False"})
        column["correct"].add("true" if row.key["answer"] else "false")
