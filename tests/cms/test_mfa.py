"""Two-step verification for staff: required before the admin (and every
other page) for whoever may reach the admin, never for trainees; set up with
an authenticator app and backup codes; reset by an administrator."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms import mfa
from cms.checks import staff_two_step_verification_required
from cms.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True


def _token(device, at=None):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def _enrol(user):
    """A confirmed authenticator and backup codes, as setting up leaves them."""
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    codes = mfa.backup_codes_issue(user=user)
    return device, codes


def _verified_client(user):
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device, _ = _enrol(user)
    response = client.post(reverse("mfa_verify"), {"code": _token(device)})
    assert response.status_code == 302, response.content
    return client


def _errors(response):
    """The code field's errors, which the page shows beside it."""
    errors = response.context["form"].errors.get("code", [])
    html = response.content.decode().replace("&#x27;", "'")
    assert all(error in html for error in errors)
    return " ".join(errors)


# -- Who is asked ------------------------------------------------------------


@pytest.mark.parametrize("role", ["trainer", "administrator"])
def test_staff_without_an_app_are_sent_to_set_one_up_before_the_admin(
    client, make_user, role
):
    client.force_login(make_user(role))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_setup") + "?next=%2Fadmin%2F"


def test_staff_are_asked_on_site_pages_too(client, make_user):
    client.force_login(make_user("trainer"))
    response = client.get(reverse("courses:teaching"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_setup"))


def test_enrolled_staff_are_asked_for_a_code(client, make_user):
    trainer = make_user("trainer")
    _enrol(trainer)
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response["Location"] == reverse("mfa_verify") + "?next=%2Fadmin%2F"


@pytest.mark.parametrize("role", ["trainee", "examiner", "supervisor"])
def test_people_who_never_reach_the_admin_are_never_asked(client_as, role):
    client = client_as(role)
    assert client.get(reverse("account")).status_code == 200
    assert client.get(reverse("mfa_setup")).status_code == 404
    assert client.get(reverse("mfa_verify")).status_code == 404


def test_unverified_staff_may_still_sign_out(client, make_user):
    client.force_login(make_user("trainer"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_requirement_can_be_switched_off(client, make_user, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(make_user("trainer"))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


# -- Setting up --------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(
    client, make_user
):
    trainer = make_user("trainer")
    client.force_login(trainer)
    first = client.get(reverse("mfa_setup")).content.decode()
    second = client.get(reverse("mfa_setup")).content.decode()
    assert "<svg" in first
    secret = mfa.totp_secret_display(TOTPDevice.objects.get(user=trainer))
    assert secret in first and secret in second
    assert TOTPDevice.objects.filter(user=trainer).count() == 1


def test_a_wrong_code_does_not_confirm_the_app(client, make_user):
    trainer = make_user("trainer")
    client.force_login(trainer)
    client.get(reverse("mfa_setup"))
    response = client.post(reverse("mfa_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "not right" in _errors(response)
    assert not mfa.mfa_enrolled(trainer)
    assert not StaticToken.objects.exists()
    response = client.post(reverse("mfa_setup"), {"code": ""})
    assert "code" in response.context["form"].errors


def test_confirming_the_app_shows_ten_backup_codes_once_and_opens_the_admin(
    client, make_user
):
    trainer = make_user("trainer")
    client.force_login(trainer)
    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=trainer)
    response = client.post(
        reverse("mfa_setup"), {"code": _token(device), "next": "/admin/"}
    )
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    html = response.content.decode()
    assert all(code in html for code in codes)
    assert response["Cache-Control"].startswith("max-age=0")
    assert mfa.mfa_enrolled(trainer)
    enrolled = AuditEvent.objects.get(action="auth.mfa_enrolled")
    assert enrolled.actor == trainer
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # Set up once: the page now asks for a code instead.
    assert client.get(reverse("mfa_setup"))["Location"].startswith(
        reverse("mfa_verify")
    )


# -- Verifying ---------------------------------------------------------------


def test_signing_in_then_entering_the_apps_code_opens_the_admin(client, make_user):
    trainer = make_user("trainer", email="pat@example.org")
    device, _ = _enrol(trainer)
    response = client.post(
        reverse("login") + "?next=/admin/",
        {"username": "pat@example.org", "password": PASSWORD},
    )
    response = client.get(response["Location"])
    assert response["Location"] == reverse("mfa_verify") + "?next=%2Fadmin%2F"
    response = client.post(
        reverse("mfa_verify"), {"code": _token(device), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admins_own_sign_in_leads_to_the_code_too(client, make_user):
    admin = make_user("administrator", email="ada@example.org")
    _enrol(admin)
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "ada@example.org", "password": PASSWORD},
    )
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("mfa_verify"))


def test_a_wrong_code_is_refused(client, make_user):
    trainer = make_user("trainer")
    _enrol(trainer)
    client.force_login(trainer)
    for code in ("123456", "not-a-code", "abcde-fghij"):
        response = client.post(reverse("mfa_verify"), {"code": code})
        assert response.status_code == 200
        assert "not right" in _errors(response)
    assert client.get("/admin/").status_code == 302


def test_a_code_from_the_app_works_once(make_user):
    trainer = make_user("trainer")
    device, _ = _enrol(trainer)
    with time_machine.travel(timezone.now(), tick=False):
        token = _token(device)
        first, second = Client(), Client()
        for client in (first, second):
            client.force_login(trainer)
        assert first.post(reverse("mfa_verify"), {"code": token}).status_code == 302
        response = second.post(reverse("mfa_verify"), {"code": token})
        assert "not right" in _errors(response)


def test_an_open_redirect_after_verifying_is_ignored(client, make_user):
    trainer = make_user("trainer")
    device, _ = _enrol(trainer)
    client.force_login(trainer)
    response = client.post(
        reverse("mfa_verify"),
        {"code": _token(device), "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("wagtailadmin_home")


# -- Backup codes and recovery -----------------------------------------------


def test_a_backup_code_works_once(make_user):
    trainer = make_user("trainer")
    _, codes = _enrol(trainer)
    first, second = Client(), Client()
    for client in (first, second):
        client.force_login(trainer)
    # Typed in capitals and without the hyphen still counts.
    typed = codes[0].upper().replace("-", " ")
    response = first.post(reverse("mfa_verify"), {"code": typed})
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200
    assert mfa.backup_codes_left(trainer) == 9
    response = second.post(reverse("mfa_verify"), {"code": codes[0]})
    assert "not right" in _errors(response)
    assert second.get("/admin/").status_code == 302


def test_the_recovery_page_takes_backup_codes_only(client, make_user):
    trainer = make_user("trainer")
    device, codes = _enrol(trainer)
    client.force_login(trainer)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        response = client.post(reverse("mfa_recovery"), {"code": _token(device)})
        assert "backup code is not right" in _errors(response)
        traveller.shift(dt.timedelta(seconds=5))  # past the wrong code's throttle
        response = client.post(
            reverse("mfa_recovery"), {"code": codes[3], "next": "/admin/"}
        )
    assert response["Location"] == "/admin/"
    assert "9 are left" in client.get("/admin/").content.decode()


def test_new_backup_codes_replace_the_old_ones(make_user):
    trainer = make_user("trainer")
    _, old = _enrol(trainer)
    client = _verified_client(trainer)
    page = client.get(reverse("mfa_backup_codes")).content.decode()
    assert "10 unused backup codes" in page
    new = client.post(reverse("mfa_backup_codes")).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    other.force_login(trainer)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        response = other.post(reverse("mfa_verify"), {"code": old[1]})
        assert "not right" in _errors(response)
        traveller.shift(dt.timedelta(seconds=5))  # past the wrong code's throttle
        response = other.post(reverse("mfa_verify"), {"code": new[1]})
    assert response.status_code == 302


def test_backup_codes_page_is_not_for_trainees(client_as):
    assert client_as("trainee").get(reverse("mfa_backup_codes")).status_code == 404


# -- An administrator's reset ------------------------------------------------


def test_an_administrator_resets_a_trainers_two_step_verification(
    make_user, django_assert_max_num_queries
):
    trainer = make_user("trainer", email="lost.phone@example.org")
    trainer_client = _verified_client(trainer)
    admin = _verified_client(make_user("administrator"))
    with django_assert_max_num_queries(25):
        page = admin.get(reverse("cms_mfa_staff"))
    assert "lost.phone@example.org" in page.content.decode()
    response = admin.post(reverse("cms_mfa_reset", args=[trainer.pk]))
    assert response.status_code == 302
    assert "was reset" in admin.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=trainer).exists()
    assert mfa.backup_codes_left(trainer) == 0
    reset = AuditEvent.objects.get(action="auth.mfa_reset")
    assert reset.target_object_id == str(trainer.pk)
    assert reset.target_repr == str(trainer)
    # The trainer's verified session is verified no longer.
    response = trainer_client.get("/admin/")
    assert response["Location"].startswith(reverse("mfa_setup"))


@pytest.mark.parametrize("role", ["trainer", "trainee"])
def test_only_administrators_may_reset(make_user, role):
    victim = make_user("trainer")
    _enrol(victim)
    person = make_user(role)
    client = _verified_client(person) if role == "trainer" else Client()
    if role == "trainee":
        client.force_login(person)
    response = client.post(reverse("cms_mfa_reset", args=[victim.pk]))
    assert response.status_code == 302
    assert mfa.mfa_enrolled(victim)
    assert client.get(reverse("cms_mfa_staff")).status_code == 302


def test_an_administrator_cannot_reset_their_own(make_user):
    admin = make_user("administrator")
    client = _verified_client(admin)
    response = client.post(reverse("cms_mfa_reset", args=[admin.pk]))
    assert "cannot reset your own" in client.get(response["Location"]).content.decode()
    assert mfa.mfa_enrolled(admin)


def test_resetting_nobody_is_a_404(make_user):
    client = _verified_client(make_user("administrator"))
    assert client.post(reverse("cms_mfa_reset", args=[999999])).status_code == 404


# -- Deployment ----------------------------------------------------------------


def test_the_deploy_check_warns_when_staff_need_no_second_step(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    warnings = staff_two_step_verification_required(None)
    assert [warning.id for warning in warnings] == ["cms.W001"]
    settings.MFA_REQUIRED_FOR_STAFF = True
    assert staff_two_step_verification_required(None) == []


def test_a_throttled_app_waits_before_the_next_try(client, make_user):
    trainer = make_user("trainer")
    device, _ = _enrol(trainer)
    client.force_login(trainer)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.post(reverse("mfa_verify"), {"code": "000000"})
        # Straight after a wrong code even the right one waits.
        response = client.post(reverse("mfa_verify"), {"code": _token(device)})
        assert response.status_code == 200
        traveller.shift(dt.timedelta(seconds=5))
        response = client.post(reverse("mfa_verify"), {"code": _token(device)})
        assert response.status_code == 302


def test_backup_codes_are_readable(make_user):
    codes = mfa.backup_codes_issue(user=make_user("trainer"))
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
