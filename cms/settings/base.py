"""Settings shared by every environment.

Safe by default: ``DEBUG`` is off and secrets come only from the environment.
``dev.py``, ``test.py`` and ``production.py`` build on this module.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
    if host.strip()
]

# Demo users with a published password may only be created where this is on.
DEMO_DATA_ALLOWED = False

INSTALLED_APPS = [
    "cms",
    "courses",
    "exams",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "cms.apps.UsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "polymorphic",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_ratelimit",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.audit.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.middleware.StaffVerificationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees the login view's response and can replace it with the
    # lockout page.
    "axes.middleware.AxesMiddleware",
    # Turns a view's Ratelimited into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# An empty DATABASE_URL means "not set": SQLite in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while a writer commits; IMMEDIATE takes the
    # write lock at the start of a transaction so two writers queue instead of
    # failing half-way through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cms.User"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout backend comes first: it refuses a locked-out username and
# address before a password is even checked.
AUTHENTICATION_BACKENDS = [
    "cms.lockouts.LockoutBackend",
    "cms.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded evidence (certificates): never under MEDIA_ROOT, never a public URL.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
EVIDENCE_MAX_UPLOAD_SIZE = 5 * 1024 * 1024

# Upload limits (cms/uploads.py; README "Upload limits"). The file sizes are
# checked first; an .xlsx workbook's zip directory is then checked before it
# is opened, and its rows and columns are capped while it is read.
QUESTION_IMPORT_MAX_SIZE = 5 * 1024 * 1024
QUESTION_IMPORT_MAX_QUESTIONS = 5000  # rows of a workbook, questions of a GIFT file
SIGN_IN_SHEET_MAX_SIZE = 2 * 1024 * 1024
SIGN_IN_SHEET_MAX_ROWS = 1000
UPLOAD_XLSX_MAX_PARTS = 500
UPLOAD_XLSX_MAX_PART_SIZE = 20 * 1024 * 1024
UPLOAD_XLSX_MAX_UNPACKED_SIZE = 40 * 1024 * 1024
UPLOAD_XLSX_MAX_COMPRESSION_RATIO = 100
UPLOAD_XLSX_RATIO_CHECKED_ABOVE = 1024 * 1024
UPLOAD_XLSX_MAX_COLUMNS = 50
UPLOAD_XLSX_MAX_CELLS = 200_000  # in any one sheet
UPLOAD_XLSX_MAX_CELLS_PER_ROW = 1000
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The address a request came from: REMOTE_ADDR, or, behind that many
# reverse proxies of your own, the address the outermost of them saw.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", 0))

# Sign-in lockout (django-axes), for the site's and the admin's sign-in alike:
# after AXES_FAILURE_LIMIT failed sign-ins for one email address from one
# address, that pair is refused until AXES_COOLOFF_TIME has passed since the
# last failure, or an administrator unlocks it (Settings → Sign-in lockouts).
# Failures are counted in the database, which every server process shares.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", 30))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cms.lockouts.username_of"
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.lockouts.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Successful sign-ins belong in the audit log, not a second table.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# How long a sign-in lasts: signed out after this long without a request
# (staff sooner), and after the absolute lifetime whatever happens; never
# while the person has an exam attempt running (the attempt page also keeps
# the session alive while it is open).
SESSION_IDLE_TIMEOUT_STAFF = timedelta(
    minutes=int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES_STAFF", 30))
)
SESSION_IDLE_TIMEOUT = timedelta(
    minutes=int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", 120))
)
SESSION_ABSOLUTE_LIFETIME = timedelta(
    hours=int(os.environ.get("DJANGO_SESSION_LIFETIME_HOURS", 12))
)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_LIFETIME.total_seconds())
# Django's database sessions, read without the query builder (production
# puts a shared cache in front when it has one).
SESSION_ENGINE = "cms.session_backends.db"

# Rate limits (django-ratelimit), counted in the "ratelimit" cache: per
# client address, and per person for two-step codes. "N/Xm" is N requests
# in X minutes; each can be set from the environment as
# DJANGO_RATELIMIT_<NAME> (e.g. DJANGO_RATELIMIT_SIGN_IN=20/10m).
RATE_LIMITS = {
    name: os.environ.get(f"DJANGO_RATELIMIT_{name.upper()}", default)
    for name, default in {
        "sign_in": "20/10m",  # site and admin sign-in posts
        "sign_up": "10/h",
        "password_reset": "5/h",  # reset emails asked for
        "codes": "30/10m",  # links with a code: password reset, sign-up
        "mfa": "10/5m",  # two-step codes tried, per person
    }.items()
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_VIEW = "cms.ratelimits.rate_limited"
# One process in development and tests: its own memory will do. Production
# shares one cache among every process (see production.py and cms.E002).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # A whole question bank is cached between draws (exams.selectors.bank).
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    },
}

# Content-Security-Policy (django-csp 4). The site runs only its own
# scripts (an inline one would need the request's nonce, request.csp_nonce);
# inline style attributes (progress bars) are allowed. Video blocks embed
# YouTube and Vimeo players. The admin (CONTENT_SECURITY_POLICY_ADMIN
# replaces these directives under /admin/) still has Wagtail's own inline
# scripts. Enforced here and in production; report-only in development.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": [
            SELF,
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https://www.gravatar.com"],
}

# Two-step verification (django-otp): everyone who may reach the admin
# confirms a code from an authenticator app, or a backup code, once per
# session before any page. Only local development turns this off; the
# deploy check warns when it is off.
MFA_REQUIRED_FOR_STAFF = True
OTP_TOTP_ISSUER = "Peer Specialist Training"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Slow work (email, calendar invitations, reminders, Wagtail's reference
# index) is queued in the database and run by `manage.py db_worker`, so a
# request never waits on a mail server. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Certificates. The verify pages allow this many requests per address
# (django-ratelimit, on the default cache: use a shared cache, REDIS_URL, in
# production so every process counts together).
CERTIFICATE_VERIFY_RATE = os.environ.get("CERTIFICATE_VERIFY_RATE", "30/m")
# The Ed25519 key that signs Open Badges credentials: 32 random bytes in
# base64url (`manage.py generate_issuer_key` prints one). Without it no
# credential is signed; `check --deploy` warns.
OPEN_BADGES_ISSUER_KEY = os.environ.get("OPEN_BADGES_ISSUER_KEY", "")
# How long a trainer's invitation to a cohort seat stays open.
COHORT_INVITATION_DAYS = int(os.environ.get("COHORT_INVITATION_DAYS", "14"))
# Letters of reference: how long a referee's emailed link works, and how
# many requests a trainee may have waiting for an answer at once.
REFERENCE_LINK_DAYS = int(os.environ.get("REFERENCE_LINK_DAYS", "30"))
REFERENCE_MAX_OPEN_REQUESTS = int(os.environ.get("REFERENCE_MAX_OPEN_REQUESTS", "5"))

DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL", "Peer Specialist Training <noreply@example.org>"
)

WAGTAIL_SITE_NAME = _("Peer Specialist Training")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAIL_USER_CUSTOM_FIELDS = ["legal_name", "date_of_birth"]

# Requirement's base manager is deliberately plain; see courses.models.
SILENCED_SYSTEM_CHECKS = [
    "polymorphic.W001",
    "polymorphic.W002",
    # django-ratelimit lists only memcached and django-redis as supported;
    # Django's own Redis cache increments atomically too (W001). A cache
    # private to each process (E003 for local memory) is refused for
    # production by the project's own deploy check, cms.E002; the database
    # cache production falls back to (E003 too) can undercount a burst of
    # simultaneous requests by a few, which a limit of this kind allows.
    "django_ratelimit.W001",
    "django_ratelimit.E003",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
