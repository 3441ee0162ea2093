"""How long a sign-in lasts: idle timeouts per role, the absolute lifetime,
never during a running exam attempt, and sign-out everywhere after a
password change. Time is moved with time_machine."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, AttemptFactory, WrittenExamFactory

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SESSION_IDLE_TIMEOUT_STAFF = 30 * MINUTE
    settings.SESSION_IDLE_TIMEOUT = 120 * MINUTE
    settings.SESSION_ABSOLUTE_LIFETIME = dt.timedelta(hours=12)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def _signed_in(client) -> bool:
    return client.get(reverse("account")).status_code == 200


@pytest.mark.parametrize(
    ("role", "still_in", "signed_out"),
    [("trainee", 119, 121), ("trainer", 29, 31), ("administrator", 29, 31)],
)
def test_an_idle_session_ends_after_the_roles_timeout(
    make_user, clock, role, still_in, signed_out
):
    user = make_user(role)
    for idle, expected in ((still_in, True), (signed_out, False)):
        client = Client()
        client.force_login(user)
        assert _signed_in(client)
        clock.shift(idle * MINUTE)
        assert _signed_in(client) is expected


def test_the_next_page_says_why_the_session_ended(client, make_user, clock):
    client.force_login(make_user("trainee"))
    client.get(reverse("account"))
    clock.shift(121 * MINUTE)
    response = client.get(reverse("account"), follow=True)
    assert "signed out after a while without activity" in response.content.decode()


def test_activity_keeps_a_session_alive_until_its_absolute_lifetime(
    client, make_user, clock
):
    client.force_login(make_user("trainer"))
    for _ in range(35):  # every 20 minutes for 11 hours 40 minutes
        clock.shift(20 * MINUTE)
        assert _signed_in(client)
    clock.shift(21 * MINUTE)
    assert not _signed_in(client)


def test_the_keep_alive_counts_as_activity(client, make_user, clock):
    client.force_login(make_user("trainee"))
    for _ in range(6):
        clock.shift(100 * MINUTE)
        assert client.post(reverse("session_keepalive")).status_code == 204
    assert _signed_in(client)


def test_the_keep_alive_tells_a_signed_out_page(client):
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 403
    assert response.json()["code"] == "signed_out"
    assert client.get(reverse("session_keepalive")).status_code == 405


def test_a_running_attempt_holds_the_session_open(client, make_user, clock):
    trainee = make_user("trainee")
    exam = WrittenExamFactory(time_limit_minutes=240)
    attempt = AttemptFactory(exam=exam, trainee=trainee)
    client.force_login(trainee)
    assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 200
    clock.shift(180 * MINUTE)  # reading, not answering, with the page closed
    assert client.get(reverse("exams:attempt", args=[attempt.pk])).status_code == 200
    # Past the attempt's deadline the hold is gone.
    clock.shift(181 * MINUTE)
    assert not _signed_in(client)


def test_a_submitted_attempt_holds_nothing(client, make_user, clock):
    trainee = make_user("trainee")
    AttemptFactory(trainee=trainee, submitted=True)
    client.force_login(trainee)
    client.get(reverse("account"))
    clock.shift(121 * MINUTE)
    assert not _signed_in(client)


def test_the_attempt_page_calls_the_keep_alive(client, make_user):
    trainee = make_user("trainee")
    attempt = AttemptFactory(trainee=trainee)
    client.force_login(trainee)
    html = client.get(reverse("exams:attempt", args=[attempt.pk])).content.decode()
    assert f'data-keepalive-url="{reverse("session_keepalive")}"' in html


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_noting_activity_writes_the_session_at_most_once_a_minute(
    client, make_user, clock
):
    client.force_login(make_user("trainee"))
    client.get(reverse("account"))
    saved = _stored(client).session_data
    clock.shift(dt.timedelta(seconds=30))
    client.get(reverse("account"))
    assert _stored(client).session_data == saved
    clock.shift(dt.timedelta(seconds=31))
    client.get(reverse("account"))
    assert _stored(client).session_data != saved


def test_the_store_keeps_a_session_until_a_fixed_time_not_a_rolling_one(
    client, make_user, clock
):
    """Noting activity rewrites the session's data but not its indexed
    expiry, so PostgreSQL can update the row in place."""
    client.force_login(make_user("trainee"))
    signed_in = timezone.now()
    client.get(reverse("account"))
    expiry = _stored(client).expire_date
    assert expiry == signed_in + dt.timedelta(hours=12)
    for _ in range(5):
        clock.shift(20 * MINUTE)
        data = _stored(client).session_data
        assert _signed_in(client)
        assert _stored(client).session_data != data  # activity noted
        assert _stored(client).expire_date == expiry


def test_a_session_held_past_its_lifetime_stays_in_the_store(client, make_user, clock):
    """The store would drop a session at the end of its lifetime; a running
    attempt holds it open past that, so the store keeps it too."""
    trainee = make_user("trainee")
    client.force_login(trainee)
    clock.shift(dt.timedelta(hours=11, minutes=30))
    attempt = AttemptFactory(
        exam=WrittenExamFactory(time_limit_minutes=180), trainee=trainee
    )
    page = reverse("exams:attempt", args=[attempt.pk])
    for _ in range(5):  # to 13 hours 45 minutes after signing in
        clock.shift(27 * MINUTE)
        assert client.get(page).status_code == 200
        assert _stored(client).expire_date > timezone.now() + 60 * MINUTE
    clock.shift(100 * MINUTE)  # past the attempt's deadline
    assert not _signed_in(client)


# -- Sign-out everywhere -----------------------------------------------------


def test_changing_the_password_signs_out_every_other_session(
    make_user, django_capture_on_commit_callbacks
):
    trainee = make_user("trainee", email="sam@example.org")
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        assert client.login(username="sam@example.org", password=PASSWORD)
        assert _signed_in(client)
    other_key = elsewhere.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "fresh-garden-path-7",
                "new_password2": "fresh-garden-path-7",
            },
        )
    assert response.status_code == 302
    assert _signed_in(here)
    assert not Session.objects.filter(session_key=other_key).exists()
    assert not _signed_in(elsewhere)
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 1
    trainee.refresh_from_db()
    assert trainee.check_password("fresh-garden-path-7")


def test_resetting_the_password_signs_out_every_session(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("trainee", email="sam@example.org")
    signed_in = Client()
    signed_in.login(username="sam@example.org", password=PASSWORD)
    client = Client()
    client.post(reverse("password_reset"), {"email": "sam@example.org"})
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line
    )
    response = client.get(link.split("testserver", 1)[1].strip(), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {
            "new_password1": "fresh-garden-path-7",
            "new_password2": "fresh-garden-path-7",
        },
    )
    assert not _signed_in(signed_in)
    assert not Session.objects.filter(session_data__contains="auth_user").exists() or (
        Session.objects.count() <= 1
    )


def test_other_peoples_sessions_are_left_alone(make_user):
    make_user("trainee", email="sam@example.org")
    make_user("trainee", email="kim@example.org")
    sam, kim = Client(), Client()
    sam.login(username="sam@example.org", password=PASSWORD)
    kim.login(username="kim@example.org", password=PASSWORD)
    sam.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "fresh-garden-path-7",
            "new_password2": "fresh-garden-path-7",
        },
    )
    assert _signed_in(kim)


def _updates(table: str) -> tuple[int, int]:
    """Updates of ``table`` in this transaction: all of them, and those
    PostgreSQL made in place without touching an index (HOT)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables"
            " WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


def test_noting_activity_updates_the_session_in_place_on_postgres(
    client, make_user, clock, on_postgres
):
    client.force_login(make_user("trainee"))
    client.get(reverse("account"))
    before, hot_before = _updates(Session._meta.db_table)
    for _ in range(3):
        clock.shift(2 * MINUTE)
        client.get(reverse("account"))
    updated, hot = _updates(Session._meta.db_table)
    assert updated - before == 3
    assert hot - hot_before == 3
