"""The exam records in the admin: written exams, categories, accommodations."""

import pytest
from django.urls import reverse

from courses.models import CoursePage, ModulePage
from exams.models import Accommodation, WrittenExam
from tests.factories import alcohol_drug_course

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


def test_a_written_exam_with_a_bad_field_names_it_and_saves_nothing(
    client_as, category
):
    client = client_as("trainer")
    before = WrittenExam.objects.count()
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


def _exam_post(category, count, *, published, second_category=None):
    course = CoursePage.objects.get(slug="kps")
    data = {
        "course": course.pk,
        "title": "Mock test",
        "pass_mark_percent": "70",
        "attempts_allowed": "1",
        "wait_between_attempts_hours": "0",
        "review": "score_only",
        "blueprint-INITIAL_FORMS": "0",
        "blueprint-MIN_NUM_FORMS": "0",
        "blueprint-MAX_NUM_FORMS": "1000",
    }
    if published:
        data["is_published"] = "on"
    rules = [(category, count)]
    if second_category is not None:
        rules.append((second_category, 1))
    data["blueprint-TOTAL_FORMS"] = str(len(rules))
    for index, (rule_category, rule_count) in enumerate(rules):
        data.update(
            {
                f"blueprint-{index}-category": rule_category.pk,
                f"blueprint-{index}-count": str(rule_count),
                f"blueprint-{index}-points": "",
                f"blueprint-{index}-ORDER": str(index + 1),
                f"blueprint-{index}-id": "",
                f"blueprint-{index}-DELETE": "",
            }
        )
    return data


def _rule_errors(response) -> list:
    return [form.errors for form in response.context["form"].formsets["blueprint"]]


def test_an_open_exam_cannot_ask_a_category_for_more_questions_than_it_has(
    client_as, kps, category
):
    client = client_as("trainer")
    active = category.questions.filter(status="active").count()
    before = WrittenExam.objects.count()

    response = client.post(
        reverse("writtenexam:add"), _exam_post(category, active + 1, published=True)
    )
    assert response.status_code == 200
    message = " ".join(_rule_errors(response)[0]["count"])
    assert f"{category.name} has {active} active questions" in message
    assert WrittenExam.objects.count() == before

    # The same blueprint as a draft waits for its questions; so does the
    # right number in an open exam.
    for count, published in ((active + 1, False), (active, True)):
        response = client.post(
            reverse("writtenexam:add"), _exam_post(category, count, published=published)
        )
        assert response.status_code == 302
    assert WrittenExam.objects.count() == before + 2


def test_a_category_gets_one_blueprint_rule(client_as, kps, category):
    client = client_as("trainer")
    before = WrittenExam.objects.count()
    response = client.post(
        reverse("writtenexam:add"),
        _exam_post(category, 1, published=False, second_category=category),
    )
    assert response.status_code == 200
    assert "duplicate" in " ".join(_rule_errors(response)[1]["__all__"])
    assert WrittenExam.objects.count() == before


def test_prerequisites_are_modules_of_the_exams_own_course(client_as, kps, category):
    client = client_as("trainer")
    other_course = alcohol_drug_course()
    foreign = ModulePage.objects.descendant_of(other_course).first()
    own = ModulePage.objects.descendant_of(kps).first()
    before = WrittenExam.objects.count()
    data = _exam_post(category, 1, published=False)

    response = client.post(
        reverse("writtenexam:add"), {**data, "prerequisite_modules": [foreign.pk]}
    )
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["prerequisite_modules"])
    assert foreign.title in message
    assert WrittenExam.objects.count() == before

    response = client.post(
        reverse("writtenexam:add"), {**data, "prerequisite_modules": [own.pk]}
    )
    assert response.status_code == 302
    assert list(WrittenExam.objects.latest("pk").prerequisite_modules.all()) == [own]


def test_a_trainer_sees_only_the_accommodations_of_trainees_they_teach(
    client, make_user, kps
):
    from courses.models import CohortSeat
    from tests.factories import AccommodationFactory, make_cohort

    trainer = make_user("trainer")
    taught, untaught = make_user("trainee"), make_user("trainee")
    cohort = make_cohort(kps, trainers=[trainer])
    CohortSeat.objects.create(cohort=cohort, trainee=taught)
    other_cohort = make_cohort(kps, trainers=[make_user("trainer")])
    CohortSeat.objects.create(cohort=other_cohort, trainee=untaught)
    AccommodationFactory(trainee=taught, note="taught-note")
    AccommodationFactory(trainee=untaught, note="untaught-note")

    client.force_login(trainer)
    page = client.get(reverse("accommodation:index")).content.decode()
    assert str(taught) in page
    assert str(untaught) not in page

    client.force_login(make_user("administrator"))
    page = client.get(reverse("accommodation:index")).content.decode()
    assert str(taught) in page
    assert str(untaught) in page
