"""Object rules on top of the course permissions: a trainer acts on the
cohorts they teach and the trainees seated in them, a trainee on their own
records, an administrator on everyone's."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.models import User
from courses import permissions, services
from courses.models import Cohort, CohortSeat, HourEntry
from tests.factories import hour_category, kps_course, make_cohort, seat

from .conftest import world_copies

pytestmark = pytest.mark.django_db

PEOPLE = [
    "trainee",
    "other_trainee",
    "trainer",
    "other_trainer",
    "admin",
    "examiner",
    "supervisor",
]


def _fresh(user):
    """The same person read again, so their permissions are read again."""
    return User.objects.get(pk=user.pk)


def _pending_entry(trainee, hours="2"):
    return services.external_hours_submit(
        trainee=trainee,
        category=hour_category("suicide-prevention"),
        hours=Decimal(hours),
        earned_on=datetime.date(2026, 2, 2),
        description="Gatekeeper training",
        provider="QPR Institute",
        evidence=SimpleUploadedFile("c.pdf", b"%PDF-1.7 certificate"),
        submission_id=uuid.uuid4(),
    )


@pytest.fixture
def world(world_records, db):
    """Every test here uses the world, so it is built once for the module."""
    return world_copies(world_records)


@pytest.fixture
def kps_cohort(world):
    """A cohort of the other course, taught by the other trainer, with the
    other trainee seated: the world's trainer teaches none of it."""
    cohort = make_cohort(kps_course(), trainers=[world["other_trainer"]])
    seat(cohort, world["other_trainee"], world["other_trainer"])
    return cohort


@pytest.mark.parametrize("person", PEOPLE)
def test_a_cohort_is_run_by_its_trainers_and_administrators(world, person):
    user, cohort = world[person], world["cohort"]
    allowed = person in {"trainer", "admin"}
    assert permissions.user_can_manage_cohort(user, cohort) is allowed
    managed = permissions.cohorts_managed_by(user, Cohort.objects.all())
    assert (cohort in managed) is allowed


def test_a_trainer_runs_only_the_cohorts_of_the_course_they_teach(
    client, world, kps_cohort
):
    trainer, other_trainer = world["trainer"], world["other_trainer"]
    assert not permissions.user_can_manage_cohort(trainer, kps_cohort)
    assert not permissions.user_can_manage_cohort(other_trainer, world["cohort"])
    assert list(permissions.cohorts_managed_by(trainer, Cohort.objects.all())) == [
        world["cohort"]
    ]
    client.force_login(trainer)
    home = client.get(reverse("courses:teaching")).content.decode()
    assert world["cohort"].name in home
    assert kps_cohort.name not in home
    for name in ("cohort_detail", "cohort_edit", "cohort_progress"):
        url = reverse(f"courses:{name}", args=[kps_cohort.pk])
        # Another course's cohort does not exist for them.
        assert client.get(url).status_code == 404, name


def test_being_named_a_trainer_is_not_enough_without_the_permission(world):
    trainer = world["trainer"]
    trainer.groups.clear()
    trainer = _fresh(trainer)
    assert not permissions.user_can_manage_cohort(trainer, world["cohort"])
    assert not permissions.user_can_view_ledger(trainer, world["trainee"])
    assert not permissions.user_can_decide_entry(trainer, world["entry"])


@pytest.mark.parametrize("person", PEOPLE)
def test_hours_are_seen_by_their_trainee_their_trainers_and_administrators(
    world, person
):
    allowed = person in {"trainee", "trainer", "admin"}
    user, trainee = world[person], world["trainee"]
    assert permissions.user_can_view_ledger(user, trainee) is allowed
    assert permissions.user_can_view_evidence(user, world["entry"]) is allowed


def test_every_trainee_sees_their_own_hours(world):
    other = world["other_trainee"]
    assert permissions.user_can_view_ledger(other, other)


def test_a_trainer_does_not_see_a_trainee_of_a_course_they_do_not_teach(
    client, world, kps_cohort
):
    entry = _pending_entry(world["other_trainee"])
    trainer = world["trainer"]
    assert not permissions.user_can_view_ledger(trainer, world["other_trainee"])
    assert not permissions.user_can_view_evidence(trainer, entry)
    assert not permissions.user_can_decide_entry(trainer, entry)
    # Their own trainer may.
    assert permissions.user_can_decide_entry(world["other_trainer"], entry)
    client.force_login(trainer)
    # Hours of a trainee they do not teach do not exist for them.
    assert client.get(reverse("courses:evidence", args=[entry.pk])).status_code == 404
    response = client.post(reverse("courses:entry_decide", args=[entry.pk, "verify"]))
    assert response.status_code == 404
    assert HourEntry.objects.get(pk=entry.pk).status == HourEntry.Status.PENDING


def test_a_declined_seat_does_not_make_a_trainee_taught(world):
    declined = CohortSeat.objects.create(
        cohort=world["cohort"],
        trainee=world["other_trainee"],
        status=CohortSeat.Status.DECLINED,
    )
    entry = _pending_entry(declined.trainee)
    assert not permissions.user_can_view_ledger(world["trainer"], declined.trainee)
    assert not permissions.user_can_decide_entry(world["trainer"], entry)


@pytest.mark.parametrize("person", PEOPLE)
def test_pending_hours_are_decided_by_their_trainers_and_administrators(world, person):
    user, entry = world[person], world["entry"]
    allowed = person in {"trainer", "admin"}
    assert permissions.user_can_decide_entry(user, entry) is allowed
    # The queue offers exactly the entries the check allows.
    pending = HourEntry.objects.filter(status=HourEntry.Status.PENDING)
    queue = permissions.hour_entries_decidable_by(user, pending)
    assert (entry in queue) is allowed


def test_nobody_decides_their_own_hours_or_decided_ones(world):
    admin = world["admin"]
    own = _pending_entry(admin)
    assert not permissions.user_can_decide_entry(admin, own)
    pending = HourEntry.objects.filter(status=HourEntry.Status.PENDING)
    assert own not in permissions.hour_entries_decidable_by(admin, pending)
    entry = world["entry"]
    services.entry_decide(entry=entry, by=admin, verify=True, reason="")
    entry.refresh_from_db()
    assert not permissions.user_can_decide_entry(admin, entry)
    assert not permissions.user_can_decide_entry(world["trainer"], entry)


def test_the_trainee_list_is_the_people_who_may_study(client, world, make_user):
    gone = make_user("trainee", is_active=False, legal_name="Dana Gone")
    client.force_login(world["admin"])
    listed = list(client.get(reverse("courses:trainee_list")).context["trainees"].all())
    # Deactivated trainees' hours still count, so they can still be found.
    assert {world["trainee"], world["other_trainee"], gone} <= set(listed)
    for person in ("trainer", "admin", "examiner", "supervisor"):
        assert world[person] not in listed
    assert make_user(is_superuser=True) not in listed


def test_a_cohorts_trainers_are_chosen_from_the_people_who_may_run_cohorts(
    world, make_user
):
    from courses.forms import CohortForm

    make_user(is_superuser=True)
    choices = set(CohortForm(user=world["admin"]).fields["trainers"].queryset)
    assert {world["trainer"], world["other_trainer"], world["admin"]} <= choices
    for person in ("trainee", "other_trainee", "examiner", "supervisor"):
        assert world[person] not in choices
    assert not any(user.is_superuser for user in choices)
    assert make_user() not in choices


def test_a_seat_goes_only_to_someone_who_may_study(client, world):
    client.force_login(world["admin"])  # trainers invite: test_invitations.py
    supervisor = world["supervisor"]
    response = client.post(
        reverse("courses:seat_add", args=[world["cohort"].pk]),
        {"email": supervisor.email},
        follow=True,
    )
    assert f"{supervisor.email} is not a trainee" in response.content.decode()
    assert not world["cohort"].seats.filter(trainee=supervisor).exists()


def _every_page(world):
    cohort, session, entry = world["cohort"], world["session"], world["entry"]
    return [
        reverse("courses:dashboard"),
        reverse("courses:my_hours"),
        reverse("courses:submit_hours"),
        reverse("courses:evidence", args=[entry.pk]),
        reverse("courses:teaching"),
        reverse("courses:cohort_create"),
        reverse("courses:cohort_detail", args=[cohort.pk]),
        reverse("courses:cohort_edit", args=[cohort.pk]),
        reverse("courses:cohort_progress", args=[cohort.pk]),
        reverse("courses:session_create", args=[cohort.pk]),
        reverse("courses:session_detail", args=[session.pk]),
        reverse("courses:sign_in_sheet", args=[session.pk]),
        reverse("courses:verification_queue"),
        reverse("courses:trainee_list"),
        reverse("courses:trainee_ledger", args=[world["trainee"].pk]),
    ]


def test_a_person_in_no_group_reaches_no_learning_or_teaching_page(
    client, world, make_user
):
    client.force_login(make_user())
    for url in _every_page(world):
        # A certificate is a record, not a page: it is not found (404).
        expected = 404 if "/evidence/" in url else 403
        assert client.get(url).status_code == expected, url
    response = client.post(reverse("courses:enroll", args=[world["course"].pk]))
    assert response.status_code == 403


def test_a_superuser_reaches_every_teaching_page_of_any_cohort(
    client, world, make_user
):
    client.force_login(make_user(is_superuser=True))
    for url in _every_page(world):
        if "/evidence/" in url:
            continue  # streamed; checked below
        assert client.get(url).status_code == 200, url
    evidence = client.get(reverse("courses:evidence", args=[world["entry"].pk]))
    assert evidence.status_code == 200


def test_teaching_home_offers_only_what_the_person_may_do(client, world, make_user):
    from django.contrib.auth.models import Group, Permission

    runs_only = Group.objects.create(name="Cohort runners")
    runs_only.permissions.add(
        Permission.objects.get(
            content_type__app_label="courses", codename="change_cohort"
        )
    )
    person = make_user()
    person.groups.add(runs_only)
    client.force_login(person)
    html = client.get(reverse("courses:teaching")).content.decode()
    assert reverse("courses:cohort_create") not in html
    assert reverse("courses:verification_queue") not in html
    client.force_login(world["trainer"])
    html = client.get(reverse("courses:teaching")).content.decode()
    assert reverse("courses:cohort_create") in html
    assert reverse("courses:verification_queue") in html
