"""Deployment checks of the project's own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
CACHED_SESSIONS = {
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
    "cms.session_backends.cached_db",
}


@register(Tags.security, deploy=True)
def sessions_shared_by_every_process(app_configs, **kwargs):
    """Sessions kept in a cache must be in one every server process shares.

    With a cache per process, signing out in one process leaves the session
    alive in the others until their copy expires.
    """
    if settings.SESSION_ENGINE not in CACHED_SESSIONS:
        return []
    alias = getattr(settings, "SESSION_CACHE_ALIAS", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"SESSION_ENGINE {settings.SESSION_ENGINE} keeps sessions in the "
                f"{alias!r} cache, which is private to each process: signing out "
                "would not end the session in the other processes.",
                hint="Set REDIS_URL for a shared cache, or use database sessions.",
                id="cms.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def staff_two_step_verification_required(app_configs, **kwargs):
    """Staff change scores and hour records: a password alone is not enough."""
    if getattr(settings, "MFA_REQUIRED_FOR_STAFF", True):
        return []
    return [
        Warning(
            "MFA_REQUIRED_FOR_STAFF is off: staff reach the admin and change "
            "scores and hour records with a password alone.",
            hint="Leave MFA_REQUIRED_FOR_STAFF = True outside local development.",
            id="cms.W001",
        )
    ]


@register(Tags.security, deploy=True)
def rate_limits_shared_by_every_process(app_configs, **kwargs):
    """Rate limits counted in each process's own memory multiply by the
    number of processes, and reset whenever one restarts."""
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"Rate limits are counted in the {alias!r} cache, which is "
                "private to each process.",
                hint="Set REDIS_URL, or use the database cache "
                "(django.core.cache.backends.db.DatabaseCache and "
                "`manage.py createcachetable`).",
                id="cms.E002",
            )
        ]
    return []
