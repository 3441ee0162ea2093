"""The project's own deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from cms.checks import sessions_shared_by_every_process

ROOT = Path(__file__).resolve().parents[2]
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
    }
}


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.cached_db", "cms.session_backends.cached_db"],
)
def test_sessions_cached_in_each_process_fail_the_deploy_check(engine):
    with override_settings(SESSION_ENGINE=engine, CACHES=LOCMEM):
        errors = sessions_shared_by_every_process(None)
    assert [error.id for error in errors] == ["cms.E001"]
    assert "signing out" in errors[0].msg


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache")
def test_a_cache_only_session_store_in_each_process_fails_too():
    with override_settings(CACHES=LOCMEM):
        assert sessions_shared_by_every_process(None)


@override_settings(
    SESSION_ENGINE="django.contrib.sessions.backends.cached_db", CACHES=REDIS
)
def test_sessions_cached_in_a_shared_cache_pass():
    assert sessions_shared_by_every_process(None) == []


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db", CACHES=LOCMEM)
def test_database_sessions_pass_whatever_the_cache():
    assert sessions_shared_by_every_process(None) == []


def test_the_projects_deploy_checks_are_registered():
    from django.core.checks import registry

    names = {
        check.__name__
        for check in registry.registry.get_checks(include_deployment_checks=True)
    }
    assert {
        "sessions_shared_by_every_process",
        "staff_two_step_verification_required",
        "rate_limits_shared_by_every_process",
    } <= names


def _production_setting(expression, **extra_env):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
        },
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "x7!k2p" * 10 + "unique-enough-for-the-check",
        "DJANGO_ALLOWED_HOSTS": "training.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        **extra_env,
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print({expression})"
    )
    result = subprocess.run(  # noqa: S603 - the tests' own code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_keeps_sessions_in_the_database_without_a_shared_cache():
    assert _production_setting("settings.SESSION_ENGINE") == ("cms.session_backends.db")


def test_production_counts_rate_limits_in_the_database_without_redis():
    printed = _production_setting("settings.CACHES['ratelimit']['BACKEND']")
    assert printed == "django.core.cache.backends.db.DatabaseCache"


def test_production_counts_rate_limits_in_redis_when_it_is_given():
    printed = _production_setting(
        "settings.CACHES['ratelimit']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/1"
    )
    assert printed == "django.core.cache.backends.redis.RedisCache"


def test_production_caches_sessions_in_redis_when_it_is_given():
    expression = "settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND']"
    printed = _production_setting(expression, REDIS_URL="redis://127.0.0.1:6379/1")
    assert printed.split() == [
        "cms.session_backends.cached_db",
        "django.core.cache.backends.redis.RedisCache",
    ]
