"""The exam's times in refusals follow the active language's formats."""

import datetime

import pytest
import time_machine
from django.utils import translation

from exams import services

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 30, 14, 0, tzinfo=datetime.UTC)
# 9 a.m. in Kentucky's Eastern time (TIME_ZONE), on December 1.
OPENS = datetime.datetime(2026, 12, 1, 14, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("en-us", "Dec. 1, 2026, 9 a.m."),
        ("de", "1. Dezember 2026 09:00"),
    ],
)
def test_an_exam_not_open_yet_says_when_it_opens(
    small_exam, enrolled_trainee, language, when
):
    small_exam.opens_at = OPENS
    small_exam.save()
    with time_machine.travel(NOW, tick=False), translation.override(language):
        reason = services.attempt_eligibility(
            exam=small_exam, trainee=enrolled_trainee
        ).reason
    assert reason == f"The exam opens on {when}; come back then."


def test_the_waiting_period_says_when_to_try_again(small_exam, enrolled_trainee):
    small_exam.wait_between_attempts_hours = 24
    small_exam.save()
    with time_machine.travel(NOW, tick=False):
        attempt = services.attempt_start(exam=small_exam, trainee=enrolled_trainee)
        services.attempt_submit(attempt=attempt)
        with translation.override("en-gb"):
            reason = services.attempt_eligibility(
                exam=small_exam, trainee=enrolled_trainee
            ).reason
    assert reason == "You can try again from 1 Dec 2026, 9 a.m. onward."
