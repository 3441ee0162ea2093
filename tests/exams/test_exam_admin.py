"""The exam records in the admin: written exams, categories, accommodations."""

import pytest
from django.urls import reverse

from exams.models import Accommodation, QuestionCategory, WrittenExam

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "builds_exams", "sets_accommodations"),
    [
        ("trainer", True, False),
        ("administrator", True, True),
        ("trainee", False, False),
        ("examiner", False, False),
        ("supervisor", False, False),
    ],
)
def test_exam_records_by_role(
    client_as, make_user, role, builds_exams, sets_accommodations
):
    client = client_as(role)
    for name in ("writtenexam", "questioncategory"):
        for action in ("index", "add"):
            response = client.get(reverse(f"{name}:{action}"))
            assert (response.status_code == 200) is builds_exams, (name, action)

    # Trainers see accommodations (to know who has extra time); only
    # administrators grant them.
    index = client.get(reverse("accommodation:index"))
    assert (index.status_code == 200) is (builds_exams or sets_accommodations)
    trainee = make_user("trainee")
    added = client.post(
        reverse("accommodation:add"),
        {
            "trainee": trainee.pk,
            "time_multiplier": "1.5",
            "extra_minutes": "0",
            "extra_attempts": "1",
            "note": "",
        },
    )
    assert added.status_code == 302
    assert Accommodation.objects.filter(trainee=trainee).exists() is (
        sets_accommodations
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_multiplier", "0.5", "greater than or equal to 1"),
        ("time_multiplier", "6", "less than or equal to 5"),
        ("extra_minutes", "-10", "greater than or equal to 0"),
        ("extra_attempts", "many", "Enter a whole number"),
        ("trainee", "", "This field is required"),
    ],
)
def test_an_accommodation_with_a_bad_field_names_it_and_saves_nothing(
    client_as, make_user, field, value, message
):
    client = client_as("administrator")
    data = {
        "trainee": make_user("trainee").pk,
        "time_multiplier": "1.5",
        "extra_minutes": "0",
        "extra_attempts": "0",
        "note": "",
        field: value,
    }
    response = client.post(reverse("accommodation:add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Accommodation.objects.exists()


def test_accommodations_are_only_for_trainees(client_as, make_user):
    client = client_as("administrator")
    trainer = make_user("trainer")
    form_page = client.get(reverse("accommodation:add")).content.decode()
    assert f'value="{trainer.pk}"' not in form_page
    response = client.post(
        reverse("accommodation:add"),
        {
            "trainee": trainer.pk,
            "time_multiplier": "2",
            "extra_minutes": "0",
            "extra_attempts": "0",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "trainee" in response.context["form"].errors
    assert not Accommodation.objects.exists()


def test_a_written_exam_with_a_bad_field_names_it_and_saves_nothing(client_as):
    client = client_as("trainer")
    before = WrittenExam.objects.count()
    category = QuestionCategory.objects.first()
    response = client.post(
        reverse("writtenexam:add"),
        {
            "course": "",
            "title": "Mock test",
            "pass_mark_percent": "140",
            "attempts_allowed": "1",
            "wait_between_attempts_hours": "0",
            "review": "score_only",
            "blueprint-TOTAL_FORMS": "1",
            "blueprint-INITIAL_FORMS": "0",
            "blueprint-MIN_NUM_FORMS": "0",
            "blueprint-MAX_NUM_FORMS": "1000",
            "blueprint-0-category": category.pk,
            "blueprint-0-count": "5",
            "blueprint-0-points": "",
            "blueprint-0-ORDER": "1",
            "blueprint-0-id": "",
            "blueprint-0-DELETE": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "course" in errors and "pass_mark_percent" in errors
    assert WrittenExam.objects.count() == before
