"""Sessions in the database (``SESSION_ENGINE = "cms.session_backends.db"``)."""

from django.contrib.sessions.backends import db

from . import ReadsByStatement


class SessionStore(ReadsByStatement, db.SessionStore):
    pass
