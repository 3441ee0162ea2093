"""Background tasks of the cms app (django-tasks): ids in, work done when
the worker runs them."""

from __future__ import annotations

from django_tasks import task

from . import sessions


@task()
def sessions_end_stale(user_id: int) -> int:
    """Sign a person out everywhere their old password signed them in."""
    return sessions.sessions_end_stale(user_id=user_id)
