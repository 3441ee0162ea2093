"""Creating cohorts and class days: good input saves, bad input names fields."""

import pytest
from django.urls import reverse

from courses.models import ClassSession, Cohort, ModulePage
from tests.factories import alcohol_drug_course, kps_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def kps():
    return kps_course(days=2, lessons_per_day=0)


def cohort_data(kps, trainer, **overrides):
    data = {
        "course": kps.pk,
        "name": "Bowling Green, June",
        "start_date": "2027-06-07",
        "end_date": "2027-06-11",
        "location": "Bowling Green, KY",
        "video_link": "",
        "capacity": "12",
        "trainers": [trainer.pk],
        "accepting_requests": "on",
    }
    data.update(overrides)
    return data


def test_trainer_creates_a_cohort_and_a_class_day(client, make_user, kps):
    from courses.models import CourseTrainer

    trainer = make_user("trainer")
    CourseTrainer.objects.create(course=kps, trainer=trainer)
    client.force_login(trainer)
    response = client.post(reverse("courses:cohort_create"), cohort_data(kps, trainer))
    cohort = Cohort.objects.get(name="Bowling Green, June")
    assert response["Location"] == reverse("courses:cohort_detail", args=[cohort.pk])
    assert list(cohort.trainers.all()) == [trainer]

    day_one = ModulePage.objects.child_of(kps).get(slug="day-1")
    response = client.post(
        reverse("courses:session_create", args=[cohort.pk]),
        {
            "date": "2027-06-07",
            "start_time": "09:00",
            "end_time": "15:30",
            "modules": [day_one.pk],
            "notes": "Bring lunch.",
        },
    )
    session = ClassSession.objects.get(cohort=cohort)
    assert session.duration_minutes == 390
    assert list(session.modules.all()) == [day_one]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2027-06-01"}, "end_date", "on or after the start date"),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "many"}, "capacity", "whole number"),
        ({"location": "", "video_link": ""}, "location", "place, a video link"),
        ({"video_link": "not a url"}, "video_link", "valid URL"),
        ({"name": ""}, "name", "required"),
        ({"trainers": []}, "trainers", "required"),
        ({"start_date": "31/31/2027"}, "start_date", "valid date"),
    ],
)
def test_bad_cohort_input_names_the_field_and_saves_nothing(
    client, make_user, kps, overrides, field, message
):
    from courses.models import CourseTrainer

    trainer = make_user("trainer")
    CourseTrainer.objects.create(course=kps, trainer=trainer)
    client.force_login(trainer)
    response = client.post(
        reverse("courses:cohort_create"), cohort_data(kps, trainer, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Cohort.objects.exists()


def test_capacity_cannot_drop_below_confirmed_seats(client, make_user, kps):
    from tests.factories import make_cohort, seat

    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer], capacity=3)
    for _ in range(2):
        seat(cohort, make_user("trainee"), trainer)
    client.force_login(trainer)
    data = cohort_data(
        kps,
        trainer,
        capacity="1",
        name=cohort.name,
        start_date=str(cohort.start_date),
        end_date=str(cohort.end_date),
    )
    response = client.post(reverse("courses:cohort_edit", args=[cohort.pk]), data)
    assert "cannot be lower" in " ".join(response.context["form"].errors["capacity"])
    cohort.refresh_from_db()
    assert cohort.capacity == 3


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "08:00"}, "end_time", "after the start time"),
        ({"date": "2030-01-01"}, "date", "within the cohort"),
        ({"modules": []}, "modules", "required"),
        ({"start_time": "nine"}, "start_time", "valid time"),
    ],
)
def test_bad_class_day_input_names_the_field(
    client, make_user, kps, overrides, field, message
):
    from tests.factories import make_cohort

    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer])
    client.force_login(trainer)
    data = {
        "date": str(cohort.start_date),
        "start_time": "09:00",
        "end_time": "15:00",
        "modules": [ModulePage.objects.child_of(kps).first().pk],
    }
    data.update(overrides)
    response = client.post(reverse("courses:session_create", args=[cohort.pk]), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ClassSession.objects.exists()


def test_class_day_modules_must_belong_to_the_cohorts_course(client, make_user, kps):
    from tests.factories import make_cohort

    trainer = make_user("trainer")
    cohort = make_cohort(kps, trainers=[trainer])
    other = ModulePage.objects.child_of(alcohol_drug_course()).get(slug="hiv")
    client.force_login(trainer)
    response = client.post(
        reverse("courses:session_create", args=[cohort.pk]),
        {
            "date": str(cohort.start_date),
            "start_time": "09:00",
            "end_time": "12:00",
            "modules": [other.pk],
        },
    )
    assert "valid choice" in " ".join(response.context["form"].errors["modules"])
    assert not ClassSession.objects.exists()


def test_seat_add_by_unknown_email_explains_to_an_administrator(client, make_user, kps):
    """Administrators add directly and are told why not; a trainer's
    invitation says nothing of accounts (test_invitations.py)."""
    from tests.factories import make_cohort

    trainer = make_user("administrator")
    cohort = make_cohort(kps, trainers=[make_user("trainer")])
    client.force_login(trainer)
    response = client.post(
        reverse("courses:seat_add", args=[cohort.pk]),
        {"email": "ghost@example.org"},
        follow=True,
    )
    assert "No account uses ghost@example.org" in response.content.decode()
    assert not cohort.seats.exists()
