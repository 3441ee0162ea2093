"""Every learning and teaching page, for every role that may and may not use it."""

import pytest
from django.urls import reverse

from .conftest import world_copies

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world_records, db):
    """Every test here uses the world, so it is built once for the module."""
    return world_copies(world_records)


ALL = [
    "trainee",
    "other_trainee",
    "trainer",
    "other_trainer",
    "admin",
    "examiner",
    "supervisor",
    "anonymous",
]


def pages(world):
    cohort, session, entry = world["cohort"], world["session"], world["entry"]
    trainee = world["trainee"]
    return {
        "dashboard": (reverse("courses:dashboard"), {"trainee", "other_trainee"}),
        "my_hours": (reverse("courses:my_hours"), {"trainee", "other_trainee"}),
        "submit_hours": (reverse("courses:submit_hours"), {"trainee", "other_trainee"}),
        "invitations": (reverse("courses:invitations"), {"trainee", "other_trainee"}),
        "evidence": (
            reverse("courses:evidence", args=[entry.pk]),
            {"trainee", "trainer", "admin"},
        ),
        "teaching": (
            reverse("courses:teaching"),
            {"trainer", "other_trainer", "admin"},
        ),
        "cohort_create": (
            reverse("courses:cohort_create"),
            {"trainer", "other_trainer", "admin"},
        ),
        "cohort_detail": (
            reverse("courses:cohort_detail", args=[cohort.pk]),
            {"trainer", "admin"},
        ),
        "cohort_edit": (
            reverse("courses:cohort_edit", args=[cohort.pk]),
            {"trainer", "admin"},
        ),
        "cohort_progress": (
            reverse("courses:cohort_progress", args=[cohort.pk]),
            {"trainer", "admin"},
        ),
        "cohort_progress_xlsx": (
            reverse("courses:cohort_progress", args=[cohort.pk]) + "?format=xlsx",
            {"trainer", "admin"},
        ),
        "session_create": (
            reverse("courses:session_create", args=[cohort.pk]),
            {"trainer", "admin"},
        ),
        "session_detail": (
            reverse("courses:session_detail", args=[session.pk]),
            {"trainer", "admin"},
        ),
        "sign_in_sheet": (
            reverse("courses:sign_in_sheet", args=[session.pk]),
            {"trainer", "admin"},
        ),
        "verification_queue": (
            reverse("courses:verification_queue"),
            {"trainer", "other_trainer", "admin"},
        ),
        "trainee_list": (reverse("courses:trainee_list"), {"admin"}),
        "trainee_ledger": (
            reverse("courses:trainee_ledger", args=[trainee.pk]),
            {"admin"},
        ),
        "trainee_ledger_xlsx": (
            reverse("courses:trainee_ledger", args=[trainee.pk]) + "?format=xlsx",
            {"admin"},
        ),
    }


# Who may use the kind of page but not this record: a trainer of another
# cohort, anyone but the trainee and their trainers for a certificate.
_OTHER_COHORT = {"other_trainer"}
NOT_THEIRS = {
    "evidence": {"other_trainee", "other_trainer", "examiner", "supervisor"},
    "cohort_detail": _OTHER_COHORT,
    "cohort_edit": _OTHER_COHORT,
    "cohort_progress": _OTHER_COHORT,
    "cohort_progress_xlsx": _OTHER_COHORT,
    "session_create": _OTHER_COHORT,
    "session_detail": _OTHER_COHORT,
    "sign_in_sheet": _OTHER_COHORT,
}

PAGE_NAMES = [
    "dashboard",
    "my_hours",
    "submit_hours",
    "invitations",
    "evidence",
    "teaching",
    "cohort_create",
    "cohort_detail",
    "cohort_edit",
    "cohort_progress",
    "cohort_progress_xlsx",
    "session_create",
    "session_detail",
    "sign_in_sheet",
    "verification_queue",
    "trainee_list",
    "trainee_ledger",
    "trainee_ledger_xlsx",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("role", ALL)
def test_page_access_by_role(client, world, name, role):
    url, allowed = pages(world)[name]
    if role != "anonymous":
        client.force_login(world[role])
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role in allowed:
        assert response.status_code == 200, (name, role)
    elif role in NOT_THEIRS.get(name, ()):
        # Records they may not know exist: 404, never 403.
        assert response.status_code == 404, (name, role)
    else:
        assert response.status_code == 403, (name, role)


def test_trainee_pages_never_show_another_trainees_data(client, world):
    client.force_login(world["other_trainee"])
    for url in (reverse("courses:dashboard"), reverse("courses:my_hours")):
        html = client.get(url).content.decode()
        assert world["trainee"].legal_name not in html
        assert "QPR Institute" not in html
        assert reverse("courses:evidence", args=[world["entry"].pk]) not in html


def test_evidence_is_not_under_the_public_media_url(world, settings):
    entry = world["entry"]
    assert not str(entry.evidence.path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        entry.evidence.url  # noqa: B018 - no public URL exists


def test_evidence_is_streamed_with_its_sniffed_type(client, world):
    client.force_login(world["trainee"])
    response = client.get(reverse("courses:evidence", args=[world["entry"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    # A download, never a page of the site's origin; its type not guessed.
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("enroll", {"trainee", "other_trainee"}),
        ("request_seat", {"other_trainee"}),
        ("complete_lesson", {"trainee"}),
    ],
)
@pytest.mark.parametrize("role", ALL)
def test_trainee_actions_by_role(client, world, name, allowed, role):
    from courses.models import LessonPage

    lesson = (
        LessonPage.objects.live()
        .child_of(world["course"].get_children().get(slug="hiv"))
        .first()
    )
    url = {
        "enroll": reverse("courses:enroll", args=[world["course"].pk]),
        "request_seat": reverse("courses:request_seat", args=[world["cohort"].pk]),
        "complete_lesson": reverse("courses:complete_lesson", args=[lesson.pk]),
    }[name]
    if role != "anonymous":
        client.force_login(world[role])
    response = client.post(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif role.endswith("trainee"):
        assert response.status_code == 302
    else:
        assert response.status_code == 403
    assert client.get(url).status_code in (302, 405)  # never by GET


@pytest.mark.parametrize("role", ["other_trainer", "trainee", "examiner", "supervisor"])
def test_outsiders_cannot_confirm_seats_or_decide_hours(client, world, role):
    from courses.models import CohortSeat, HourEntry

    requested = CohortSeat.objects.create(
        cohort=world["cohort"], trainee=world["other_trainee"]
    )
    client.force_login(world[role])
    # A trainer of another cohort: these records do not exist for them (404);
    # the other roles may not decide anything (403).
    refused = 404 if role == "other_trainer" else 403
    response = client.post(
        reverse(
            "courses:seat_decide", args=[world["cohort"].pk, requested.pk, "confirm"]
        )
    )
    assert response.status_code == refused
    response = client.post(
        reverse("courses:entry_decide", args=[world["entry"].pk, "verify"])
    )
    assert response.status_code == refused
    requested.refresh_from_db()
    assert requested.status == CohortSeat.Status.REQUESTED
    assert HourEntry.objects.get(pk=world["entry"].pk).status == "pending"


def _grow(world, make_user, count):
    from courses import services
    from tests.factories import seat

    world["cohort"].capacity = 50
    world["cohort"].save()
    for _ in range(count):
        trainee = make_user("trainee")
        seat(world["cohort"], trainee, world["trainer"])
        services.attendance_record(
            session=world["session"],
            trainee=trainee,
            status="present",
            minutes=120,
            by=world["trainer"],
        )


TEACHING_BUDGETS = {
    "cohort_detail": 20,
    "session_detail": 20,
    "cohort_progress": 24,
    "cohort_progress_xlsx": 24,
    "sign_in_sheet": 16,
    "verification_queue": 20,
    "trainee_ledger": 24,
    "teaching": 16,
}


@pytest.mark.parametrize("name", list(TEACHING_BUDGETS))
def test_teaching_pages_do_a_fixed_number_of_queries(
    client, world, make_user, name, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url, _allowed = pages(world)[name]
    client.force_login(world["admin"])
    _grow(world, make_user, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _grow(world, make_user, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few), name
    with django_assert_max_num_queries(TEACHING_BUDGETS[name]):
        client.get(url)
