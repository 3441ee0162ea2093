"""View decorators that turn a permission check into a response."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def role_required(predicate):
    """Send visitors to sign in; refuse signed-in users the predicate rejects.

    ``predicate(user)`` is one of the apps' ``user_can_<verb>`` functions.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def second_factor_exempt(view):
    """Mark a view that staff may use before their second step: one that
    serves only the person's own records and changes nothing anyone else
    relies on (an exam autosave: only trainees have attempts). The
    middleware then asks no permission question for it, which keeps the
    busiest requests to the queries they need."""
    view.second_factor_exempt = True
    return view
