"""Test settings: fast hashing, in-memory cache and mail, immediate tasks."""

from .base import *

SECRET_KEY = "test-only-insecure-key-5d1e8b7a2c"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DEMO_DATA_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
WAGTAILADMIN_BASE_URL = "http://testserver"
# The development server serves static files itself; WhiteNoise is for
# production, where collectstatic has filled STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
# Tests of staff pages sign staff in with force_login; the two-step
# verification tests (tests/cms/test_mfa.py) turn the requirement on.
MFA_REQUIRED_FOR_STAFF = False
# A fixed test key for signing Open Badges credentials (never used elsewhere).
OPEN_BADGES_ISSUER_KEY = "dGVzdC1vbmx5LWlzc3Vlci1rZXktMzItYnl0ZXMhISE"
