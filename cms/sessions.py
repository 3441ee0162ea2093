"""How long a sign-in lasts: an idle timeout per role, an absolute
lifetime, never ending while a hold (a running exam attempt) is on, and
sign-out everywhere after a password change.

The timestamps live in the session itself, so every server process agrees.
The store keeps a signed-in session until a fixed time (the end of its
lifetime), not for a rolling age from its last write: noting activity then
rewrites only the session's data, never its indexed expiry, which PostgreSQL
can do in place (a HOT update) at the busiest moment of an exam.
Other apps register holds (``register_session_hold``) from their AppConfig:
the site knows nothing of exams.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.utils import timezone

STARTED = "signed_in_at"
LAST_SEEN = "last_seen_at"
# A session is written at most this often just to note activity: the exam
# autosave, the busiest request, must not write the session every time.
ACTIVITY_GRANULARITY = timedelta(seconds=60)

_holds: list[Callable] = []


def register_session_hold(hold: Callable) -> Callable:
    """``hold(user, now)`` returns True while the user's session must not
    expire (for example, during a running exam attempt)."""
    if hold not in _holds:
        _holds.append(hold)
    return hold


def _keep_in_store(session, started: datetime, now: datetime) -> None:
    """Keep the session in the store until a fixed time, the end of its
    lifetime, moved on only when that time comes within the longest idle
    timeout: a hold (a running attempt) may keep a session past its
    lifetime, and the store must not drop it first. Moving it by twice that
    margin means it moves seldom."""
    margin = max(settings.SESSION_IDLE_TIMEOUT_STAFF, settings.SESSION_IDLE_TIMEOUT)
    if session.get("_session_expiry") is None:
        session.set_expiry(started + settings.SESSION_ABSOLUTE_LIFETIME)
    if session.get_expiry_date(modification=now) - now < margin:
        session.set_expiry(now + 2 * margin)


def idle_timeout(user) -> timedelta:
    """Staff (whoever may reach the admin) time out sooner than trainees."""
    if user.has_perm("wagtailadmin.access_admin"):
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT


def _stamp(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError):
        return None


def session_expiry_reason(request, now: datetime) -> str | None:
    """ "idle" or "lifetime" if the signed-in session has run out, else None;
    notes the activity otherwise."""
    session = request.session
    started = _stamp(session.get(STARTED))
    last_seen = _stamp(session.get(LAST_SEEN))
    if started is None:  # signed in before these limits
        session[STARTED] = session[LAST_SEEN] = now.timestamp()
        _keep_in_store(session, now, now)
        return None
    reason = None
    if now - started > settings.SESSION_ABSOLUTE_LIFETIME:
        reason = "lifetime"
    elif last_seen is not None:
        idle = now - last_seen
        shortest = min(
            settings.SESSION_IDLE_TIMEOUT_STAFF, settings.SESSION_IDLE_TIMEOUT
        )
        # Only a session idle past the shorter timeout asks whose it is, so
        # an active one costs no permission query.
        if idle > shortest and idle > idle_timeout(request.user):
            reason = "idle"
    if reason and any(hold(request.user, now) for hold in _holds):
        reason = None
    if reason is None and (
        last_seen is None or now - last_seen >= ACTIVITY_GRANULARITY
    ):
        session[LAST_SEEN] = now.timestamp()
        _keep_in_store(session, started, now)
    return reason


def session_started(sender=None, request=None, **kwargs) -> None:
    """On sign-in (the ``user_logged_in`` signal): the absolute lifetime
    counts from here."""
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now()
    request.session[STARTED] = request.session[LAST_SEEN] = now.timestamp()
    request.session.set_expiry(None)  # whatever the session held before
    _keep_in_store(request.session, now, now)


def sessions_end_stale(*, user_id: int) -> int:
    """Delete the user's sessions made under an old password: everything
    but the session that changed it (whose hash Django has updated).

    Django already refuses such sessions on their next request; deleting
    them means nothing signed in under the old password lingers in the
    session store. Only stores that can be listed (the database ones) are
    swept. Returns how many were deleted.
    """
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    user = get_user_model().objects.filter(pk=user_id).first()
    current_hash = user.get_session_auth_hash() if user else None
    model = store_class.get_model_class()
    deleted = 0
    for row in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = row.get_decoded()
        if str(data.get(SESSION_KEY)) != str(user_id):
            continue
        if current_hash and data.get(HASH_SESSION_KEY) == current_hash:
            continue
        store_class(session_key=row.session_key).delete()
        deleted += 1
    return deleted
