from decimal import Decimal

import pytest

from courses import services as course_services
from courses.models import CoursePage
from exams.models import (
    BlueprintRule,
    Question,
    QuestionCategory,
    WrittenExam,
    question_type,
)


@pytest.fixture
def kps():
    return CoursePage.objects.get(slug="kps")


@pytest.fixture
def category():
    return QuestionCategory.objects.get(name="The KPS role")


@pytest.fixture
def small_exam(kps, category):
    """A 4-question exam from one category, timed, open now."""
    exam = WrittenExam.objects.create(
        course=kps,
        title="Small exam",
        time_limit_minutes=30,
        pass_mark_percent=Decimal("50"),
        attempts_allowed=2,
        review=WrittenExam.Review.AFTER_CLOSE,
        is_published=True,
        shuffle_questions=False,
        shuffle_choices=False,
    )
    BlueprintRule.objects.create(exam=exam, category=category, count=4)
    # Only auto-graded questions, so results are final at once.
    Question.objects.filter(
        category=category, polymorphic_ctype__model="essayquestion"
    ).update(status="retired")
    return exam


@pytest.fixture
def big_exam(kps):
    """Every question in the bank, essays included, one rule per category."""
    exam = WrittenExam.objects.create(
        course=kps,
        title="All questions",
        pass_mark_percent=Decimal(70),
        time_limit_minutes=60,
        is_published=True,
        review=WrittenExam.Review.AFTER_CLOSE,
    )
    for category in QuestionCategory.objects.all():
        BlueprintRule.objects.create(
            exam=exam, category=category, count=category.questions.count()
        )
    return exam


@pytest.fixture
def enrolled_trainee(make_user, kps):
    from courses.models import CohortSeat
    from tests.factories import make_cohort

    trainee = make_user("trainee")
    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer])
    seat = CohortSeat.objects.create(cohort=cohort, trainee=trainee)
    course_services.seat_confirm(seat=seat, by=trainer)
    return trainee


def answer_all_correctly(attempt, rows=None):
    """Save the right answer to each of the attempt's questions (or to the
    given rows of it)."""
    from exams import services

    for row in attempt.questions.all() if rows is None else rows:
        services.attempt_save_response(
            attempt=attempt,
            position=row.position,
            answer=right_answer(row.content, row.key),
            revision=None,
        )


def right_answer(question_content: dict, key: dict) -> dict | None:
    return question_type(question_content["type"]).right_answer(question_content, key)


def wrong_answer(question_content: dict, key: dict) -> dict:
    """A given answer that differs from the right one (never empty)."""
    return question_type(question_content["type"]).wrong_answer(question_content, key)
