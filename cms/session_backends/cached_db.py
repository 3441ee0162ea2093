"""Sessions in a shared cache, written through to the database
(``SESSION_ENGINE = "cms.session_backends.cached_db"``)."""

from django.contrib.sessions.backends import cached_db

from . import ReadsByStatement


class SessionStore(ReadsByStatement, cached_db.SessionStore):
    pass
