"""Sign-in lockout (django-axes) on the site's and the admin's sign-in, the
cool-off, and an administrator's unlock."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.lockouts import lockouts_current
from cms.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "sam@example.org"
LOGINS = {"site": "login", "admin": "wagtailadmin_login"}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)


def _sign_in(client, which, password, email=EMAIL, ip="10.0.0.1"):
    return client.post(
        reverse(LOGINS[which]),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


def _fail(client, which, times, **kwargs):
    for _ in range(times):
        _sign_in(client, which, "wrong-password", **kwargs)


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("which", LOGINS)
def test_too_many_failures_lock_the_email_and_address_out(client, make_user, which):
    make_user("trainer", email=EMAIL)
    _fail(client, which, 3)
    response = _sign_in(client, which, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Sign-in paused" in html
    assert "Try again in 30 minutes" in html
    assert response["Retry-After"] == "1800"
    assert not _signed_in(client)


@pytest.mark.parametrize("which", LOGINS)
def test_failures_below_the_limit_still_let_the_right_password_in(
    client, make_user, which
):
    make_user("trainer", email=EMAIL)
    _fail(client, which, 2)
    response = _sign_in(client, which, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)
    # A success forgets the failures.
    assert not AccessAttempt.objects.exists()


def test_failures_in_another_case_of_the_email_count_together(client, make_user):
    make_user("trainee", email=EMAIL)
    _fail(client, "site", 2, email="Sam@Example.org")
    _fail(client, "site", 1, email=" SAM@example.org")
    assert _sign_in(client, "site", PASSWORD).status_code == 429


def test_the_lockout_is_by_email_and_address_together(client, make_user):
    make_user("trainee", email=EMAIL)
    make_user("trainee", email="other@example.org")
    _fail(client, "site", 3)
    # The same address may still sign in as somebody else ...
    response = _sign_in(client, "site", PASSWORD, email="other@example.org")
    assert response.status_code == 302
    # ... and the same person from another address.
    response = _sign_in(Client(), "site", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302


def test_lockout_on_the_site_holds_on_the_admin_too(client, make_user):
    make_user("administrator", email=EMAIL)
    _fail(client, "site", 3)
    assert _sign_in(client, "admin", PASSWORD).status_code == 429


def test_the_lockout_ends_after_the_cool_off(client, make_user):
    make_user("trainee", email=EMAIL)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _fail(client, "site", 3)
        traveller.shift(dt.timedelta(minutes=29))
        assert _sign_in(client, "site", PASSWORD).status_code == 429
        # Trying during the lockout restarts the cool-off from that attempt.
        traveller.shift(dt.timedelta(minutes=29))
        assert _sign_in(client, "site", PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=31))
        assert _sign_in(client, "site", PASSWORD).status_code == 302


def test_the_failure_limit_and_cool_off_come_from_settings(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    make_user("trainee", email=EMAIL)
    _fail(client, "site", 4)
    assert _sign_in(client, "site", PASSWORD).status_code == 302


# -- The administrators' page -------------------------------------------------


@pytest.mark.parametrize("role", ["trainer", "trainee", "examiner", "supervisor"])
def test_only_administrators_see_the_lockouts(client_as, role):
    response = client_as(role).get(reverse("cms_lockouts"))
    # The admin sends trainers home with a message; people without admin
    # access are sent to sign in.
    if role == "trainer":
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("role", [None, "trainer", "trainee"])
def test_only_administrators_may_unlock(client_as, make_user, role):
    make_user("trainee", email=EMAIL)
    _fail(Client(), "site", 3)
    response = client_as(role).post(
        reverse("cms_lockout_unlock"), {"username": EMAIL, "ip_address": "10.0.0.1"}
    )
    assert response.status_code in (302, 403)
    assert len(lockouts_current()) == 1


@pytest.mark.parametrize("which", LOGINS)
def test_an_administrator_sees_and_unlocks_a_lockout(
    client, make_user, django_assert_max_num_queries, which
):
    make_user("trainee", email=EMAIL)
    person = Client()
    _fail(person, which, 3)
    assert _sign_in(person, which, PASSWORD).status_code == 429

    client.force_login(make_user("administrator"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("cms_lockouts"))
    html = response.content.decode()
    assert response.status_code == 200
    assert EMAIL in html and "10.0.0.1" in html and "Unlock" in html

    response = client.post(
        reverse("cms_lockout_unlock"), {"username": EMAIL, "ip_address": "10.0.0.1"}
    )
    assert response.status_code == 302
    assert "may sign in again" in client.get(response["Location"]).content.decode()
    assert lockouts_current() == []
    assert _sign_in(person, which, PASSWORD).status_code == 302


def test_lockout_and_unlock_are_audited(client, make_user):
    person = make_user("trainee", email=EMAIL)
    _fail(Client(), "site", 3)
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert locked.target_object_id == str(person.pk)
    assert locked.details["username"] == EMAIL
    assert locked.details["ip_address"] == "10.0.0.1"
    admin = make_user("administrator")
    client.force_login(admin)
    client.post(
        reverse("cms_lockout_unlock"), {"username": EMAIL, "ip_address": "10.0.0.1"}
    )
    unlocked = AuditEvent.objects.get(action="auth.unlocked")
    assert unlocked.actor == admin
    assert unlocked.details == {"username": EMAIL, "ip_address": "10.0.0.1"}


def test_unlocking_nothing_says_so_and_changes_nothing(client, make_user):
    make_user("trainee", email=EMAIL)
    _fail(Client(), "site", 3)
    client.force_login(make_user("administrator"))
    response = client.post(reverse("cms_lockout_unlock"), {"username": EMAIL})
    assert "Choose a lockout" in client.get(response["Location"]).content.decode()
    response = client.post(
        reverse("cms_lockout_unlock"),
        {"username": "nobody@example.org", "ip_address": "10.0.0.1"},
    )
    assert "was not locked out" in client.get(response["Location"]).content.decode()
    assert len(lockouts_current()) == 1


def test_the_settings_menu_offers_the_lockouts_to_administrators_only(
    client, make_user
):
    client.force_login(make_user("administrator"))
    assert (
        reverse("cms_lockouts")
        in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    client.force_login(make_user("trainer"))
    assert (
        reverse("cms_lockouts")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
