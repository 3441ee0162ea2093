"""Rate limits on sign-in, sign-up, password reset and the pages that take
a code: the request after the limit gets HTTP 429 and a readable page."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.checks import rate_limits_shared_by_every_process

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "new.trainee@example.org",
    "first_name": "Jo",
    "legal_name": "Joanna Lee Rivers",
    "password1": "blue-river-stone-42",
    "password2": "blue-river-stone-42",
}


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATE_LIMITS = {
        "sign_in": "3/10m",
        "sign_up": "3/h",
        "password_reset": "3/h",
        "codes": "3/10m",
        "mfa": "3/5m",
    }


def _limited(response):
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert response["Retry-After"]
    return True


def _requests(url, data=None, method="post", **extra):
    client = Client()
    send = getattr(client, method)
    responses = [send(url, data or {}, **extra) for _ in range(4)]
    return responses[:3], responses[3]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("login", {"username": "x@example.org", "password": "wrong"}),
        ("wagtailadmin_login", {"username": "x@example.org", "password": "wrong"}),
        ("signup", {**SIGN_UP, "password2": "mismatch"}),
        ("password_reset", {"email": "x@example.org"}),
        ("wagtailadmin_password_reset", {"email": "x@example.org"}),
    ],
)
def test_the_request_after_the_limit_gets_429(name, data):
    allowed, refused = _requests(reverse(name), data)
    assert all(response.status_code != 429 for response in allowed)
    assert _limited(refused)


@pytest.mark.parametrize(
    "name",
    [
        "password_reset_confirm",
        "wagtailadmin_password_reset_confirm",
        "signup_activate",
    ],
)
def test_links_with_a_code_are_limited_even_to_look_at(name):
    url = reverse(name, args=["MQ", "set-password"])
    allowed, refused = _requests(url, method="get")
    assert all(response.status_code != 429 for response in allowed)
    assert _limited(refused)


def test_reading_the_sign_in_page_is_not_limited():
    client = Client()
    for _ in range(10):
        assert client.get(reverse("login")).status_code == 200


def test_the_limit_is_per_client_address():
    url = reverse("login")
    data = {"username": "x@example.org", "password": "wrong"}
    for _ in range(3):
        Client().post(url, data, REMOTE_ADDR="10.0.0.1")
    assert Client().post(url, data, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert Client().post(url, data, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_behind_trusted_proxies_the_forwarded_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("login")
    data = {"username": "x@example.org", "password": "wrong"}
    for _ in range(3):
        Client().post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    # A spoofed left-most entry does not make a new client.
    response = Client().post(
        url, data, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9"
    )
    assert response.status_code == 429
    assert (
        Client().post(url, data, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 200
    )


def test_two_step_codes_are_limited_per_person(make_user, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    trainer = make_user("trainer")
    TOTPDevice.objects.create(user=trainer, name="app", confirmed=True)
    client = Client()
    client.force_login(trainer)
    for _ in range(3):
        assert client.post(reverse("mfa_verify"), {"code": "000000"}).status_code == 200
    assert _limited(client.post(reverse("mfa_verify"), {"code": "000000"}))


def test_rate_limits_in_a_cache_of_each_process_fail_the_deploy_check(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert [e.id for e in rate_limits_shared_by_every_process(None)] == ["cms.E002"]
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ratelimit_cache",
        },
    }
    assert rate_limits_shared_by_every_process(None) == []
