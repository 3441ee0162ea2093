"""Background tasks of the courses app (django-tasks).

The database backend queues them for ``manage.py db_worker``; tests run them
at once. Each task takes ids and reads what it needs when it runs.
"""

from __future__ import annotations

from django_tasks import task

from .services import invitations


@task()
def invitation_send(invitation_id: int) -> bool:
    """Email a cohort invitation, when its address belongs to a trainee."""
    return invitations.invitation_send(invitation_id=invitation_id)
