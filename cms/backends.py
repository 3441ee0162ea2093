"""The signed-in person, read on every request."""

from django.contrib.auth import backends, get_user_model

from .db import fetch_one


class ModelBackend(backends.ModelBackend):
    """Django's backend, reading the signed-in user by a statement written
    once instead of a query built on every request (see ``cms.db``)."""

    def get_user(self, user_id):
        user = fetch_one(get_user_model(), pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
