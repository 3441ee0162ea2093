"""Session engines: Django's database engines (``db`` and, with a shared
cache in front, ``cached_db``), reading a session by a statement written once
instead of a query built on every request.

Set ``SESSION_ENGINE`` to ``cms.session_backends.db`` or
``cms.session_backends.cached_db``.
"""

from django.utils import timezone

from ..db import fetch_one


class ReadsByStatement:
    """A database session store whose read skips the query builder: the
    session is read on every signed-in request, an exam's autosave included,
    and building that query cost as much as the database's answer."""

    def _get_session_from_db(self):
        session = fetch_one(
            self.model, session_key=self.session_key, expire_date__gt=timezone.now()
        )
        if session is None:
            self._session_key = None
        return session
