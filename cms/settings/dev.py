"""Local development: debug on, a throwaway key, mail printed to the console."""

from .base import *

DEBUG = True
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-0f3c9a2e7b1d4c58a6e9"
)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEMO_DATA_ALLOWED = True
# Report what the policy would block, in the browser's console, without
# blocking it.
CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
CONTENT_SECURITY_POLICY = None
STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# The development server serves static files itself; WhiteNoise is for
# production, where collectstatic has filled STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
# The demo staff sign in with their password alone; set
# DJANGO_MFA_REQUIRED_FOR_STAFF=true to try two-step verification locally.
MFA_REQUIRED_FOR_STAFF = os.environ.get("DJANGO_MFA_REQUIRED_FOR_STAFF") == "true"
# A throwaway key so the demo can sign Open Badges credentials; production
# sets its own (manage.py generate_issuer_key).
OPEN_BADGES_ISSUER_KEY = os.environ.get(
    "OPEN_BADGES_ISSUER_KEY", "ZGV2LW9ubHktaXNzdWVyLWtleS0zMi1ieXRlcyEhISE"
)
