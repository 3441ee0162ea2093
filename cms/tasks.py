"""Background tasks of the cms app (django-tasks): ids in, work done when
the worker runs them."""

from __future__ import annotations

from django_tasks import task

from . import sessions


@task()
def sessions_end_stale(user_id: int) -> int:
    """Sign a person out everywhere their old password signed them in."""
    return sessions.sessions_end_stale(user_id=user_id)


@task()
def signup_email_send(user_id: int, kind: str, next_url: str = "") -> int:
    """A sign-up's email: confirm a new account, or "you already have one"."""
    from .services import signup_email_send as send

    return send(user_id=user_id, kind=kind, next_url=next_url)
