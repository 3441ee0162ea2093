"""Trainers cannot give themselves a trainee's records (security review,
finding 2).

A trainer creates cohorts only of the courses an administrator assigned them
to, and names only assigned trainers to them. Adding a trainee by email
invites them: nothing is confirmed until the trainee accepts, and the
trainer is told the same thing whether or not the address has an account.
Administrators still give seats directly.
"""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.models import AuditEvent
from courses import services
from courses.forms import CohortForm
from courses.models import Cohort, CohortInvitation, CohortSeat, CourseTrainer
from courses.views.teaching import INVITATION_SENT
from tests.factories import alcohol_drug_course, kps_course, user_with_role

pytestmark = pytest.mark.django_db

SENT = str(INVITATION_SENT)


def _shape(sql: str) -> str:
    """A query with its values and savepoint names left out."""
    return re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", sql)


def invite(client, cohort, email):
    return client.post(
        reverse("courses:seat_add", args=[cohort.pk]), {"email": email}, follow=True
    )


def emailed_token(message) -> str:
    match = re.search(r"/learning/invitation/([\w-]+)/", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(world, client, django_capture_on_commit_callbacks):
    """The cohort's trainer invited a new trainee; the email went out."""
    trainee = user_with_role("Trainees")
    client.force_login(world["trainer"])
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world["cohort"], trainee.email.upper())
    client.logout()
    invitation = CohortInvitation.objects.get(email=trainee.email)
    [message] = mail.outbox
    return {
        "trainee": trainee,
        "invitation": invitation,
        "token": emailed_token(message),
    }


# Creating cohorts -------------------------------------------------------------------


def _cohort_data(course, trainers, **overrides):
    return {
        "course": course.pk,
        "name": "Bowling Green, June",
        "start_date": "2027-06-07",
        "end_date": "2027-06-11",
        "location": "Bowling Green, KY",
        "capacity": "12",
        "trainers": [t.pk for t in trainers],
        "accepting_requests": "on",
        **overrides,
    }


def test_a_trainer_creates_cohorts_only_of_courses_they_are_assigned_to(
    client, make_user
):
    assigned, other = kps_course(days=1, lessons_per_day=0), alcohol_drug_course()
    trainer = make_user("trainer")
    CourseTrainer.objects.create(course=assigned, trainer=trainer)
    assert list(CohortForm(user=trainer).fields["course"].queryset) == [assigned]
    client.force_login(trainer)

    refused = client.post(
        reverse("courses:cohort_create"), _cohort_data(other, [trainer])
    )
    assert refused.status_code == 200
    assert "valid choice" in " ".join(refused.context["form"].errors["course"])
    assert not Cohort.objects.exists()

    client.post(reverse("courses:cohort_create"), _cohort_data(assigned, [trainer]))
    assert Cohort.objects.get().course_id == assigned.pk


def test_a_trainer_assigned_to_nothing_is_told_why_no_course_is_offered(
    client, make_user
):
    kps_course(days=1, lessons_per_day=0)
    client.force_login(make_user("trainer"))
    html = client.get(reverse("courses:cohort_create")).content.decode()
    assert "an administrator assigns trainers to courses" in html


def test_a_trainer_names_only_trainers_assigned_to_the_course(client, make_user):
    course = kps_course(days=1, lessons_per_day=0)
    trainer, stranger = make_user("trainer"), make_user("trainer")
    CourseTrainer.objects.create(course=course, trainer=trainer)
    client.force_login(trainer)
    response = client.post(
        reverse("courses:cohort_create"), _cohort_data(course, [trainer, stranger])
    )
    errors = " ".join(response.context["form"].errors["trainers"])
    assert stranger.get_full_name() in errors and "not assigned" in errors
    assert not Cohort.objects.exists()


def test_a_trainer_cannot_add_a_stranger_to_a_cohort_they_run(world, client):
    cohort = world["cohort"]
    CourseTrainer.objects.create(course=cohort.course, trainer=world["trainer"])
    client.force_login(world["trainer"])
    data = _cohort_data(cohort.course, [world["trainer"], world["other_trainer"]])
    data["start_date"] = cohort.start_date.isoformat()
    data["end_date"] = cohort.end_date.isoformat()
    response = client.post(reverse("courses:cohort_edit", args=[cohort.pk]), data)
    assert "trainers" in response.context["form"].errors
    assert world["other_trainer"] not in cohort.trainers.all()


def test_an_administrator_creates_cohorts_of_any_course_with_any_trainer(
    client, make_user
):
    course = kps_course(days=1, lessons_per_day=0)
    admin, trainer = make_user("administrator"), make_user("trainer")
    client.force_login(admin)
    response = client.post(
        reverse("courses:cohort_create"), _cohort_data(course, [trainer])
    )
    assert response.status_code == 302
    assert list(Cohort.objects.get().trainers.all()) == [trainer]


def test_assigning_a_trainer_to_a_course_is_an_administrators_power_and_audited(
    client, make_user
):
    course = kps_course(days=1, lessons_per_day=0)
    trainer, admin = make_user("trainer"), make_user("administrator")
    client.force_login(trainer)
    response = client.post(
        reverse("coursetrainer:add"), {"course": course.pk, "trainer": trainer.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_home"
    )
    assert not CourseTrainer.objects.exists()
    client.force_login(admin)
    response = client.post(
        reverse("coursetrainer:add"), {"course": course.pk, "trainer": trainer.pk}
    )
    assert response.status_code == 302
    assert CourseTrainer.objects.filter(course=course, trainer=trainer).exists()
    event = AuditEvent.objects.get(action="course.trainer_assigned")
    assert (event.actor, event.target_object_id) == (admin, str(course.pk))


# Inviting -------------------------------------------------------------------------


def test_a_trainer_adding_a_trainee_invites_and_confirms_nothing(
    world, client, django_capture_on_commit_callbacks
):
    trainee = user_with_role("Trainees")
    client.force_login(world["trainer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world["cohort"], trainee.email)
    assert SENT in response.content.decode()
    assert not world["cohort"].seats.filter(trainee=trainee).exists()
    invitation = CohortInvitation.objects.get()
    assert (invitation.email, invitation.status) == (trainee.email, "pending")
    [message] = mail.outbox
    assert message.to == [trainee.email]
    assert world["cohort"].name in message.subject
    # The token is stored hashed, never as sent.
    assert emailed_token(message) not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    event = AuditEvent.objects.get(action="seat.invited")
    assert (event.actor, event.details) == (world["trainer"], {"email": trainee.email})


@pytest.mark.parametrize("known", [True, False])
def test_the_trainer_is_told_the_same_whether_or_not_the_address_has_an_account(
    world, client, known
):
    """Same page, and the request never looks the address up; the emailing
    task runs after the commit, in the worker (not run here)."""
    email = user_with_role("Trainees").email if known else "nobody-here@example.org"
    client.force_login(world["trainer"])
    url = reverse("courses:seat_add", args=[world["cohort"].pk])
    client.get(reverse("courses:cohort_detail", args=[world["cohort"].pk]))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"email": email})
    page = client.get(response["Location"]).content.decode()
    assert SENT in page
    assert "No account" not in page and "not a trainee" not in page
    shapes = [_shape(q["sql"]) for q in queries]
    assert not any("cms_user" in shape and "email" in shape for shape in shapes)
    assert CohortInvitation.objects.filter(email=email).count() == 1


def test_the_request_does_identical_queries_for_known_and_unknown_addresses(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world["trainer"])
    url = reverse("courses:seat_add", args=[world["cohort"].pk])
    shapes = []
    for email in (user_with_role("Trainees").email, "nobody-here@example.org"):
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as queries,
        ):
            client.post(url, {"email": email})
        shapes.append([_shape(q["sql"]) for q in queries])
    assert shapes[0] == shapes[1]


def test_no_email_goes_to_an_address_without_a_trainee_account(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world["trainer"])
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world["cohort"], "nobody-here@example.org")
        invite(client, world["cohort"], world["supervisor"].email)
    assert mail.outbox == []
    assert CohortInvitation.objects.count() == 2


def test_a_bad_address_is_named_and_nothing_is_sent(world, client):
    client.force_login(world["trainer"])
    response = invite(client, world["cohort"], "not an address")
    assert "Email address: Enter a valid email address." in response.content.decode()
    assert not CohortInvitation.objects.exists()


def test_a_trainer_of_another_cohort_cannot_invite(world, client):
    client.force_login(world["other_trainer"])
    response = client.post(
        reverse("courses:seat_add", args=[world["cohort"].pk]),
        {"email": world["other_trainee"].email},
    )
    assert response.status_code == 404
    assert not CohortInvitation.objects.exists()
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            cohort=world["cohort"], email="x@example.org", by=world["other_trainer"]
        )


def test_an_administrator_adds_a_trainee_directly(world, client):
    client.force_login(world["admin"])
    trainee = world["other_trainee"]
    response = invite(client, world["cohort"], trainee.email)
    assert "Trainee added to the cohort." in response.content.decode()
    seat = world["cohort"].seats.get(trainee=trainee)
    assert seat.status == CohortSeat.Status.CONFIRMED


def test_the_service_refuses_a_trainer_a_direct_seat(world):
    with pytest.raises(PermissionDenied):
        services.seat_add(
            cohort=world["cohort"],
            email=world["other_trainee"].email,
            by=world["trainer"],
        )
    assert not world["cohort"].seats.filter(trainee=world["other_trainee"]).exists()


# Answering -------------------------------------------------------------------------


def test_the_trainee_accepts_from_the_emailed_link(client, world, invited):
    trainee = invited["trainee"]
    client.force_login(trainee)
    url = reverse("courses:invitation_link", args=[invited["token"]])
    page = client.get(url)
    assert page.status_code == 200
    assert world["cohort"].name in page.content.decode()
    client.post(url, {"action": "accept"})
    seat = world["cohort"].seats.get(trainee=trainee)
    assert seat.status == CohortSeat.Status.CONFIRMED
    invitation = CohortInvitation.objects.get(pk=invited["invitation"].pk)
    assert (invitation.status, invitation.trainee) == ("accepted", trainee)
    assert AuditEvent.objects.get(action="seat.invitation_accepted").actor == trainee


def test_the_link_works_once(client, world, invited):
    client.force_login(invited["trainee"])
    url = reverse("courses:invitation_link", args=[invited["token"]])
    client.post(url, {"action": "decline"})
    assert not world["cohort"].seats.filter(trainee=invited["trainee"]).exists()
    again = client.get(url)
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    client.post(url, {"action": "accept"})
    assert not world["cohort"].seats.filter(trainee=invited["trainee"]).exists()


def test_the_link_expires(client, world, invited, settings):
    client.force_login(invited["trainee"])
    url = reverse("courses:invitation_link", args=[invited["token"]])
    invitation = invited["invitation"]
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(
        days=settings.COHORT_INVITATION_DAYS
    )
    # Shorten it, rather than travel past the session's own lifetime.
    soon = timezone.now() + datetime.timedelta(hours=1)
    CohortInvitation.objects.filter(pk=invitation.pk).update(expires_at=soon)
    with time_machine.travel(soon, tick=False):
        page = client.get(url)
        assert page.status_code == 410
        assert "expired" in page.content.decode()
        client.post(url, {"action": "accept"})
        assert client.get(reverse("courses:invitations")).status_code == 200
    assert not world["cohort"].seats.filter(trainee=invited["trainee"]).exists()


def test_the_link_is_not_found_for_another_account(client, world, invited):
    client.force_login(world["other_trainee"])
    url = reverse("courses:invitation_link", args=[invited["token"]])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "accept"}).status_code == 404
    decide = reverse(
        "courses:invitation_decide", args=[invited["invitation"].pk, "accept"]
    )
    assert client.post(decide).status_code == 404
    assert not world["cohort"].seats.filter(trainee=world["other_trainee"]).exists()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(
            invitation=invited["invitation"], trainee=world["other_trainee"]
        )


def test_a_made_up_or_replaced_token_is_not_found(client, world, invited):
    client.force_login(invited["trainee"])
    assert (
        client.get(reverse("courses:invitation_link", args=["made-up"])).status_code
        == 404
    )


def test_the_dashboard_leads_to_the_invitations_page(client, world, invited):
    client.force_login(invited["trainee"])
    dashboard = client.get(reverse("courses:dashboard")).content.decode()
    assert reverse("courses:invitations") in dashboard
    page = client.get(reverse("courses:invitations")).content.decode()
    assert world["cohort"].name in page
    client.post(
        reverse("courses:invitation_decide", args=[invited["invitation"].pk, "accept"])
    )
    assert world["cohort"].seats.get(trainee=invited["trainee"]).status == "confirmed"
    assert (
        world["cohort"].name
        not in client.get(reverse("courses:invitations"))
        .content.decode()
        .split("<h1")[1]
    )


def test_a_full_cohort_keeps_the_invitation_open(client, world, invited):
    cohort = world["cohort"]
    cohort.capacity = cohort.seats.filter(status="confirmed").count()
    cohort.save()
    with pytest.raises(ValidationError, match="full"):
        services.invitation_accept(
            invitation=invited["invitation"], trainee=invited["trainee"]
        )
    assert CohortInvitation.objects.get(pk=invited["invitation"].pk).status == "pending"


def test_a_newer_invitation_replaces_the_pending_one(world):
    first = services.invitation_create(
        cohort=world["cohort"], email="a@example.org", by=world["trainer"]
    )
    second = services.invitation_create(
        cohort=world["cohort"], email="A@example.org", by=world["trainer"]
    )
    first.refresh_from_db()
    assert (first.status, second.status) == ("withdrawn", "pending")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("trainee", 200),
        ("other_trainee", 200),
        ("trainer", 403),
        ("admin", 403),
        ("examiner", 403),
        ("supervisor", 403),
    ],
)
def test_the_invitations_page_by_role(client, world, role, status):
    if role != "anonymous":
        client.force_login(world[role])
    assert client.get(reverse("courses:invitations")).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("other_trainee", 404),
        ("trainer", 403),
        ("admin", 403),
        ("examiner", 403),
    ],
)
def test_the_invitation_link_and_answer_by_role(client, world, invited, role, status):
    if role != "anonymous":
        client.force_login(world[role])
    link = reverse("courses:invitation_link", args=[invited["token"]])
    decide = reverse(
        "courses:invitation_decide", args=[invited["invitation"].pk, "accept"]
    )
    assert client.get(link).status_code == status
    assert client.post(decide).status_code == status
    assert CohortInvitation.objects.get(pk=invited["invitation"].pk).status == (
        "pending"
    )
