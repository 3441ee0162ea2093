"""Item analysis of an exam's graded attempts, on the page and in Excel."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from exams import services
from tests.factories import seat

from .conftest import answer_all_correctly

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded_attempts(small_exam, make_user, enrolled_trainee):
    small_exam.shuffle_questions = False
    small_exam.save()
    cohort = enrolled_trainee.cohort_seats.first().cohort
    trainer = cohort.trainers.first()
    trainees = [enrolled_trainee]
    for _ in range(5):
        trainee = make_user("trainee")
        seat(cohort, trainee, trainer)
        trainees.append(trainee)
    # Exactly four questions in the pool, so every attempt draws the same ones.
    from exams.models import Question

    category = small_exam.blueprint.get().category
    active = Question.objects.filter(category=category, status="active")
    keep = list(active.order_by("pk").values_list("pk", flat=True)[:4])
    active.exclude(pk__in=keep).update(status="retired")
    # Trainee n answers the n questions with the lowest ids correctly, so the
    # stronger trainees get the harder questions right too.
    for number, trainee in enumerate(trainees):
        attempt = services.attempt_start(exam=small_exam, trainee=trainee)
        answer_all_correctly(
            attempt, rows=attempt.questions.order_by("question_id")[:number]
        )
        services.attempt_submit(attempt=attempt)
    return small_exam


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("trainer", 200),
        ("administrator", 200),
        ("trainee", 403),
        ("examiner", 403),
        ("supervisor", 403),
    ],
)
def test_item_analysis_access(client_as, graded_attempts, role, status):
    response = client_as(role).get(
        reverse("exams:item_analysis", args=[graded_attempts.pk])
    )
    assert response.status_code == status


def test_item_analysis_figures_and_workbook(client_as, graded_attempts):
    client = client_as("trainer")
    url = reverse("exams:item_analysis", args=[graded_attempts.pk])
    page = client.get(url)
    report = page.context["report"]
    assert report.attempts == 6
    # Scores 0, 25, 50, 75, 100 and 100 percent, described for screen readers.
    assert (
        "Attempts per score band: 0 to 10%: 1, 10 to 20%: 0, 20 to 30%: 1, "
        "30 to 40%: 0, 40 to 50%: 0, 50 to 60%: 1, 60 to 70%: 0, 70 to 80%: 1, "
        "80 to 90%: 0, 90 to 100%: 2"
    ) in page.content.decode()
    facilities = sorted(item.stats.facility for item in report.items)
    # Questions answered right by 5, 4, 3 and 2 of the 6 attempts... in some
    # order; at least the easiest and hardest differ.
    assert facilities[0] < facilities[-1]
    assert report.test.reliability is not None
    assert sum(report.test.distribution) == 6
    assert all(
        item.stats.discrimination is None or item.stats.discrimination > 0
        for item in report.items
    )
    workbook = load_workbook(BytesIO(client.get(url + "?format=xlsx").content))
    assert workbook.sheetnames == ["Summary", "Items", "Choices"]
    summary = {
        row[0].value: row[1].value
        for row in workbook["Summary"].iter_rows()
        if row[0].value
    }
    assert summary["Graded attempts"] == 6
    assert workbook["Items"].max_row == 1 + len(report.items)
