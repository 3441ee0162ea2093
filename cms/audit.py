"""The audit log: who did what to which record, when, from where, and why.

Services call ``record`` inside the transaction that does the work, so an
event exists exactly when the action happened. The log is append-only
(``cms.models.AuditEvent``): nobody, administrators included, can change or
delete an event, and administrators read and export it in the admin
("Reports → Audit log").

Events that Django raises as signals (sign-in, sign-out, failed sign-in,
group membership and group permission changes) are recorded here, so the
site's sign-in page and the admin's are both covered. Signals carry no
request, so ``AuditRequestMiddleware`` keeps the current request in a
context variable, private to the request's thread or task, for ``record``
to take the actor, IP address and user agent from.

Action codes are dotted, subject first: ``auth.login``,
``exam.grade_changed``, ``hours.verified``. The codes in use are listed in
the README's audit-log section.
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import uuid
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from .models import AuditEvent
from .security import client_ip

_current_request: contextvars.ContextVar = contextvars.ContextVar(
    "audit_request", default=None
)

USER_AGENT_MAX = AuditEvent._meta.get_field("user_agent").max_length
TARGET_REPR_MAX = AuditEvent._meta.get_field("target_repr").max_length


class AuditRequestMiddleware:
    """Make the request being served known to ``record`` for events raised
    where no request is at hand (model signals)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


def _plain(value):
    """Details as JSON: records become their id and text, sets lists."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(
        value,
        str | int | float | bool | decimal.Decimal | datetime.date | uuid.UUID,
    ) or (value is None):
        return value
    return str(value)


def _client_ip(request) -> str | None:
    """The address the lockouts and rate limits use (trusted proxies
    honoured); none when the request came from no address at all."""
    if not request.META.get("REMOTE_ADDR"):
        return None
    return client_ip(request)


def record(
    action: str,
    *,
    actor=None,
    target=None,
    request=None,
    reason: str = "",
    **details,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` defaults to the signed-in user of ``request`` (or of the
    request being served); ``target`` is any saved record; ``details`` are
    stored as JSON (decimals and dates as text, records as id and text).
    """
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_repr=actor.get_username() if actor is not None else "",
        reason=reason or "",
        details=_plain(details),
    )
    if target is not None:
        event.target_content_type = ContentType.objects.get_for_model(target)
        event.target_object_id = str(target.pk)
        event.target_repr = str(target)[:TARGET_REPR_MAX]
    if request is not None:
        event.ip_address = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    event.save()
    return event


# Sign-in, sign-out and failed sign-in, on the site and in the admin --------


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record("auth.login", actor=user, target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # The identifier typed, never the password (Django masks it anyway); no
    # lookup of whether such an account exists.
    identifier = credentials.get("username") or credentials.get("email") or ""
    record(
        "auth.login_failed",
        actor=None,
        request=request,
        username=str(identifier)[:254],
    )


# Roles and permissions ----------------------------------------------------


def _label(obj) -> str:
    """A group by its name, a permission as ``app_label.codename``."""
    if isinstance(obj, Group):
        return obj.name
    content_type = getattr(obj, "content_type", None)
    if content_type is not None and hasattr(obj, "codename"):
        return f"{content_type.app_label}.{obj.codename}"
    return str(obj)


def _audited_relations() -> dict:
    User = get_user_model()
    return {
        User.groups.through: ("groups", "user.groups_changed"),
        User.user_permissions.through: ("user_permissions", "user.permissions_changed"),
        Group.permissions.through: ("permissions", "group.permissions_changed"),
    }


@receiver(pre_save, dispatch_uid="audit_mark_raw")
def _mark_raw(sender, instance, raw=False, **kwargs):
    """Rows loaded as they are (fixtures, a test database restored) are
    history, not actions; their many-to-many links are set right after, and
    ``m2m_changed`` does not say so."""
    if raw:
        instance._audit_raw = True


@receiver(m2m_changed, dispatch_uid="audit_m2m_roles")
def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A user's groups or own permissions, or a group's permissions, changed,
    from either side of the relation; recorded on the user or group whose
    powers changed."""
    relation = _audited_relations().get(sender)
    if relation is None or getattr(instance, "_audit_raw", False):
        return
    _field_name, code = relation
    if action == "pre_clear":
        # What a clear removes is only known before it happens.
        links = {
            field.related_model: field.attname
            for field in sender._meta.get_fields()
            if field.many_to_one
        }
        instance._audit_cleared = set(
            sender.objects.filter(**{links[type(instance)]: instance.pk}).values_list(
                links[model], flat=True
            )
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_audit_cleared", set())
    if not pk_set:
        return
    change = "added" if action == "post_add" else "removed"
    related = model.objects.filter(pk__in=pk_set)
    if not reverse and model is not Group:
        related = related.select_related("content_type")
    if reverse:
        for holder in related:
            record(code, target=holder, **{change: [_label(instance)]})
    else:
        record(code, target=instance, **{change: sorted(map(_label, related))})


POWER_FLAGS = ("is_superuser", "is_staff", "is_active")


@receiver(pre_save, dispatch_uid="audit_user_flags")
def _user_flags_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Superuser, staff and active flags are powers too."""
    if raw or sender is not get_user_model():
        return
    if update_fields is not None and not set(update_fields) & set(POWER_FLAGS):
        return  # e.g. last_login on every sign-in
    if instance.pk is None:
        before = dict.fromkeys(POWER_FLAGS, None)
    else:
        before = sender.objects.filter(pk=instance.pk).values(*POWER_FLAGS).first()
        if before is None:
            return
    changed = {
        flag: {"old": before[flag], "new": getattr(instance, flag)}
        for flag in POWER_FLAGS
        if before[flag] != getattr(instance, flag)
        and not (before[flag] is None and flag == "is_active")
        and not (before[flag] is None and not getattr(instance, flag))
    }
    if changed:
        instance._audit_flags_changed = changed


@receiver(post_save, dispatch_uid="audit_user_flags_saved")
def _user_flags_saved(sender, instance, raw=False, **kwargs):
    changed = getattr(instance, "_audit_flags_changed", None)
    if raw or sender is not get_user_model() or not changed:
        return
    del instance._audit_flags_changed
    record("user.flags_changed", target=instance, **changed)
