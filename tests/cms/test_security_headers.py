"""Content-Security-Policy on the site and the admin, and no caching of exam
attempts and results."""

import pytest
from django.urls import reverse

from tests.factories import AttemptFactory

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_site_pages_run_only_the_sites_own_scripts(client):
    response = client.get(reverse("login"))
    policy = _directives(response[CSP])
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


def test_an_inline_script_gets_the_requests_nonce():
    from django.template import engines
    from django.test import RequestFactory

    from cms.middleware import ContentSecurityPolicyMiddleware

    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: None)
    middleware.process_request(request)
    html = (
        engines["django"]
        .from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')
        .render({"request": request})
    )
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    nonce = str(request.csp_nonce)
    assert f'nonce="{nonce}"' in html
    assert f"'nonce-{nonce}'" in _directives(response[CSP])["script-src"]


@pytest.mark.parametrize("role", ["trainer", "administrator"])
def test_admin_pages_render_with_the_admins_policy(client_as, role):
    response = client_as(role).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    policy = _directives(response[CSP])
    # Wagtail's admin has inline scripts of its own; no nonce may switch
    # 'unsafe-inline' off there.
    assert "'unsafe-inline'" in policy["script-src"]
    assert not any(source.startswith("'nonce-") for source in policy["script-src"])
    assert policy["object-src"] == ["'none'"]


def test_the_admins_sign_in_has_the_admins_policy(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert "'unsafe-inline'" in _directives(response[CSP])["script-src"]


def test_development_only_reports(settings):
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY is None, "
        "bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
    )
    import os

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603 - the tests' own code
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True"]


NO_STORE = "no-store"


def test_attempt_pages_and_results_are_never_cached(client, make_user):
    trainee = make_user("trainee")
    attempt = AttemptFactory(trainee=trainee)
    client.force_login(trainee)
    for name in ("exams:attempt", "exams:attempt_submit"):
        response = client.get(reverse(name, args=[attempt.pk]))
        assert response.status_code == 200
        assert NO_STORE in response["Cache-Control"], name
    response = client.post(
        reverse("exams:attempt_save", args=[attempt.pk]),
        "{}",
        content_type="application/json",
    )
    assert NO_STORE in response["Cache-Control"]
    client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    response = client.get(reverse("exams:attempt_result", args=[attempt.pk]))
    assert response.status_code == 200
    assert NO_STORE in response["Cache-Control"]


def test_oral_results_are_never_cached(client_as):
    response = client_as("administrator").get(reverse("exams:oral_results"))
    assert response.status_code == 200
    assert NO_STORE in response["Cache-Control"]
