"""The project's own hygiene: migrations, deploy checks and lint."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_migrations_have_descriptive_names():
    names = [
        path.name
        for app in ("cms", "courses", "exams")
        for path in (ROOT / app / "migrations").glob("0*.py")
    ]
    assert names
    assert not [name for name in names if "_auto_" in name]


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "x7!k2p" * 10 + "unique-enough-for-the-check",
        "DJANGO_ALLOWED_HOSTS": "training.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        # Production signs Open Badges with its own key (courses.W001 warns
        # without one); a throwaway key of the right shape for the check.
        "OPEN_BADGES_ISSUER_KEY": "Y2hlY2stZGVwbG95LWlzc3Vlci1rZXktMzItYnl0ZXM",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_ALLOWED_HOSTS="training.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_ruff_is_clean():
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [str(BIN / "ruff"), "check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
