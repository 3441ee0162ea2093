"""Production: every secret and host from the environment; HTTPS only.

Required environment: ``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS`` (comma
separated) and ``DATABASE_URL`` (PostgreSQL). Optional: ``REDIS_URL`` for a
cache shared by every server process, which then also holds sessions.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
DEMO_DATA_ALLOWED = False
MFA_REQUIRED_FOR_STAFF = True

for _name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Set the {_name} environment variable.")

DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DJANGO_CONN_MAX_AGE", 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind a transaction-pooling PgBouncer a cursor cannot outlive its
# transaction's server connection.
if os.environ.get("DJANGO_DB_TRANSACTION_POOLER") == "true":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# Sessions are read on every request (an exam save is one). With a shared
# Redis cache they are read from it and written through to the database; a
# cache private to each process would keep a signed-out session alive in the
# other processes (the cms.E001 deploy check refuses that).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    SESSION_ENGINE = "cms.session_backends.cached_db"
# Rate limits count in a cache every process shares: Redis when given,
# otherwise a table in the database (`manage.py createcachetable`).
CACHES["ratelimit"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "ratelimit",
    }
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ratelimit_cache",
    }
)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true") == "true"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail marks its own preview views SAMEORIGIN; everything else is DENY.
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))

LOGGING["root"]["level"] = "INFO"
# Background tasks (reference index updates) log every state change at INFO.
LOGGING["loggers"] = {"django_tasks": {"level": "WARNING"}}
