"""Saving a numerical answer: a number is read leniently; anything else gets
a message naming what was typed, and changes nothing."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from exams import services
from exams.models import BlueprintRule, QuestionCategory, Response, WrittenExam

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(kps, enrolled_trainee):
    services.questions_import(
        questions=[
            {
                "type": "numerical",
                "category": "Hours",
                "status": "active",
                "text": "How many hours of direct supervision are needed?",
                "answers": [{"value": "25", "tolerance": "0", "weight": "100"}],
            }
        ]
    )
    exam = WrittenExam.objects.create(
        course=kps,
        title="Hours",
        pass_mark_percent=Decimal(50),
        is_published=True,
    )
    BlueprintRule.objects.create(
        exam=exam, category=QuestionCategory.objects.get(name="Hours"), count=1
    )
    return services.attempt_start(exam=exam, trainee=enrolled_trainee)


def _saved(attempt) -> Response:
    return Response.objects.get(attempt_question__attempt=attempt)


def _json_save(client, attempt, answer):
    return client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        data=json.dumps({"position": 1, "answer": answer}),
        content_type="application/json",
    )


def test_a_number_is_saved_with_its_value(client, attempt, enrolled_trainee):
    client.force_login(enrolled_trainee)
    response = _json_save(client, attempt, {"text": " 25 "})
    assert response.status_code == 200 and response.json()["answered"] is True
    assert _saved(attempt).answer == {"text": "25", "value": "25"}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"text": "2,5"}, "“2,5” is not a number here: use a point for decimals"),
        ({"text": "twenty-five"}, "“twenty-five” is not a number."),
        ({"value": "25"}, "The answer is not in a form this question takes."),
        ({"text": ["25"]}, "The answer is not in a form this question takes."),
    ],
)
def test_what_is_not_a_number_is_refused_and_changes_nothing(
    client, attempt, enrolled_trainee, answer, message
):
    client.force_login(enrolled_trainee)
    _json_save(client, attempt, {"text": "25"})
    response = _json_save(client, attempt, answer)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert message in response.json()["error"]
    saved = _saved(attempt)
    assert (saved.answer, saved.revision) == ({"text": "25", "value": "25"}, 1)


def test_without_javascript_the_form_says_why_and_keeps_the_last_answer(
    client, attempt, enrolled_trainee
):
    client.force_login(enrolled_trainee)
    url = reverse("exams:attempt", args=[attempt.pk])
    client.post(url, {"position": 1, "revision": 0, "text": "1,025", "go": "next"})
    assert _saved(attempt).answer == {"text": "1,025", "value": "1025"}
    response = client.post(
        url, {"position": 1, "revision": 1, "text": "1.0.25", "go": "next"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=1")
    page = client.get(response["Location"]).content.decode()
    assert "“1.0.25” is not a number." in page
    assert 'value="1,025"' in page
    saved = _saved(attempt)
    assert (saved.answer, saved.revision) == ({"text": "1,025", "value": "1025"}, 1)
