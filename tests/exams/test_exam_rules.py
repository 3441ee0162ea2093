"""The rules an accommodation changes, and the blueprint check, each defined
once: the exam page, the deadline, the review and the editor all agree."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exams import services
from exams.models import Accommodation, BlueprintRule, Question, WrittenExam
from exams.selectors import blueprint_shortfalls

CLOSES = datetime.datetime(2026, 6, 1, 17, 0, tzinfo=datetime.UTC)


def _exam(**fields):
    defaults = {
        "attempts_allowed": 2,
        "time_limit_minutes": 60,
        "closes_at": CLOSES,
        "pass_mark_percent": Decimal(70),
    }
    return WrittenExam(**{**defaults, **fields})


def test_without_an_accommodation_the_exam_rules_stand():
    exam = _exam()
    assert exam.attempts_allowed_for(None) == 2
    assert exam.time_limit_for(None) == 60
    assert exam.closes_at_for(None) == CLOSES


def test_an_accommodation_adds_attempts_time_and_moves_the_closing_time():
    exam = _exam()
    accommodation = Accommodation(
        extra_attempts=1, time_multiplier=Decimal("1.5"), extra_minutes=10
    )
    assert exam.attempts_allowed_for(accommodation) == 3
    assert exam.time_limit_for(accommodation) == 100  # 60 * 1.5 + 10
    # The closing time moves by all the time added, so a late start is not
    # cut short.
    assert exam.closes_at_for(accommodation) == CLOSES + datetime.timedelta(minutes=40)


def test_an_untimed_exam_moves_its_closing_time_by_the_extra_minutes_only():
    exam = _exam(time_limit_minutes=None)
    accommodation = Accommodation(time_multiplier=Decimal(2), extra_minutes=15)
    assert exam.time_limit_for(accommodation) is None
    assert exam.closes_at_for(accommodation) == CLOSES + datetime.timedelta(minutes=15)
    assert _exam(closes_at=None).closes_at_for(accommodation) is None


@pytest.mark.django_db
def test_the_deadline_and_eligibility_use_the_same_extended_rules(
    small_exam, enrolled_trainee
):
    closes = timezone.now() + datetime.timedelta(minutes=10)
    small_exam.closes_at = closes
    small_exam.attempts_allowed = 1
    small_exam.save()
    accommodation = Accommodation.objects.create(
        trainee=enrolled_trainee, extra_minutes=20, extra_attempts=1
    )
    attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    # 30 + 20 minutes of time limit, but the closing time, moved by the same
    # 20 minutes, comes first.
    assert attempt.deadline == small_exam.closes_at_for(accommodation)
    services.attempt_submit(attempt=attempt)
    eligibility = services.attempt_eligibility(
        exam=small_exam, trainee=enrolled_trainee
    )
    assert eligibility.attempts_allowed == small_exam.attempts_allowed_for(
        accommodation
    )
    assert eligibility.allowed


@pytest.mark.django_db
def test_starting_an_exam_whose_category_ran_short_names_the_shortfall(
    small_exam, enrolled_trainee, category
):
    rule = BlueprintRule.objects.get(exam=small_exam)
    active = Question.objects.filter(category=category, status="active")
    keep = active.count() - 1
    rule.count = active.count()
    rule.save()
    Question.objects.filter(pk=active.first().pk).update(status="retired")

    [shortfall] = blueprint_shortfalls(rules=[(category, rule.count)])
    assert (shortfall.have, shortfall.need) == (keep, keep + 1)
    with pytest.raises((ValidationError, PermissionDenied)) as raised:
        services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
    assert str(shortfall) in " ".join(raised.value.messages)
    assert not small_exam.attempts.exists()


@pytest.mark.django_db
def test_a_rule_the_bank_can_fill_has_no_shortfall(category):
    active = Question.objects.filter(category=category, status="active").count()
    assert blueprint_shortfalls(rules=[(category, active)]) == []
    assert blueprint_shortfalls(rules=[]) == []
