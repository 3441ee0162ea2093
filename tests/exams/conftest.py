from decimal import Decimal

import pytest

from courses import services as course_services
from exams.models import (
    BlueprintRule,
    Question,
    QuestionCategory,
    WrittenExam,
)
from tests.factories import (
    QuestionCategoryFactory,
    kps_course,
    questions_in,
    right_answer,
    wrong_answer,
)
from tests.shared import fresh, module_has_transactional_tests, module_transaction

__all__ = ["answer_all_correctly", "right_answer", "wrong_answer"]


def build_kps():
    return kps_course(days=1, lessons_per_day=0)


@pytest.fixture(scope="module")
def kps_record(request, django_db_setup, django_db_blocker):
    """The course, built once per test module (see tests/shared.py), since
    exam tests never change it; None in a module whose tests commit (the
    exam races), which builds it in each test instead."""
    if module_has_transactional_tests(request):
        yield None
        return
    with module_transaction(request, django_db_blocker):
        yield build_kps()


@pytest.fixture
def kps(kps_record, db):
    """The course the exams belong to: one class day, no lessons."""
    return build_kps() if kps_record is None else fresh(kps_record)


@pytest.fixture
def category():
    """The KPS role: nine active auto-graded questions, six of them with
    choices (four single choice, two multiple response), two true/false and
    a short answer, so any four drawn include one with choices. The first
    four made are of four different types."""
    category = QuestionCategoryFactory(name="The KPS role")
    questions_in(
        category,
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "single_choice",
        "multiple_response",
        "true_false",
        "single_choice",
        "single_choice",
    )
    return category


@pytest.fixture
def question_bank(category):
    """A bank of every question type in three categories, 22 questions: the
    KPS role, and two categories holding the essays (worth 4 points each),
    matching and ordering questions among others."""
    ethics = QuestionCategoryFactory(name="Ethical responsibility")
    questions_in(
        ethics,
        "essay",
        "essay",
        "ordering",
        "single_choice",
        "true_false",
        "multiple_response",
    )
    recovery = QuestionCategoryFactory(name="Recovery and wellness support")
    questions_in(
        recovery,
        "essay",
        "matching",
        "ordering",
        "short_answer",
        "short_answer",
        "single_choice",
        "matching",
    )
    return [category, ethics, recovery]


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
def big_exam(kps, question_bank):
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


def enroll(trainee, course, *, make_user):
    """``trainee``, seated in a new cohort of ``course`` and confirmed by its
    trainer."""
    from courses.models import CohortSeat
    from tests.factories import make_cohort

    trainer = make_user("trainer")
    cohort = make_cohort(course, trainers=[trainer])
    seat = CohortSeat.objects.create(cohort=cohort, trainee=trainee)
    course_services.seat_confirm(seat=seat, by=trainer)
    return trainee


@pytest.fixture
def enrolled_trainee(make_user, kps):
    return enroll(make_user("trainee"), kps, make_user=make_user)


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
