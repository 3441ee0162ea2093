"""The site's admin pages: the audit log, sign-in lockouts and staff two-step
verification.

The audit log: read, filter, export; never add, edit or delete.

Administrators (``cms.view_auditevent``) find it under Reports → Audit log.
The viewset serves only its listing and each event's details page, and its
permission policy answers no to every action but viewing, superusers
included, so Wagtail offers no add, edit or delete button anywhere.
"""

from __future__ import annotations

import io

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import AuditEvent
from .permissions import user_can_reset_mfa, user_can_unlock_sign_ins
from .spreadsheets import xlsx_response

VIEW_AUDIT_LOG = "cms.view_auditevent"


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing is the only action on audit events, for everyone."""

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(VIEW_AUDIT_LOG)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


register_permission_policy(AuditEvent, ViewOnlyPermissionPolicy(AuditEvent))


def _action_choices(request):
    codes = AuditEvent.objects.order_by("action").values_list("action", flat=True)
    return [(code, code) for code in codes.distinct()]


def _target_types(request):
    used = AuditEvent.objects.values("target_content_type").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=[], empty_label=_("All")
    )
    actor = django_filters.CharFilter(
        label=_("By (email)"), field_name="actor_repr", lookup_expr="icontains"
    )
    occurred_at = django_filters.DateFromToRangeFilter(label=_("Date"))
    target_content_type = ContentTypeFilter(
        label=_("Target type"), queryset=_target_types
    )
    target = django_filters.CharFilter(
        label=_("Target"), field_name="target_repr", lookup_expr="icontains"
    )

    class Meta:
        model = AuditEvent
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action"].extra["choices"] = _action_choices(self.request)


class AuditEventIndexView(IndexView):
    """The listing; its Excel export goes through the site's
    ``xlsx_response`` like every other workbook, its CSV is streamed."""

    def write_xlsx_response(self, queryset):
        output = io.BytesIO()
        self.write_xlsx(queryset, output)
        return xlsx_response(output.getvalue(), f"{self.get_filename()}.xlsx")


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = _("Audit log")
    add_to_admin_menu = False
    index_view_class = AuditEventIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = AuditEventFilterSet
    list_per_page = 50
    ordering = ["-occurred_at", "-pk"]
    list_display = ["action", "occurred_at", "actor_repr", "target_repr", "reason"]
    list_export = [
        "occurred_at",
        "action",
        "actor_repr",
        "actor_id",
        "target_content_type",
        "target_object_id",
        "target_repr",
        "reason",
        "details_text",
        "ip_address",
        "user_agent",
    ]
    export_headings = {
        "occurred_at": _("When"),
        "actor_repr": _("By"),
        "actor_id": _("By (user id)"),
        "target_content_type": _("Target type"),
        "target_object_id": _("Target id"),
        "details_text": _("Details"),
    }
    export_filename = "audit-log"
    inspect_view_fields = [
        "occurred_at",
        "action",
        "actor_repr",
        "target_content_type",
        "target_object_id",
        "target_repr",
        "reason",
        "details",
        "ip_address",
        "user_agent",
    ]

    def get_urlpatterns(self):
        # Listing and details only: no add, edit, delete, history or usage.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage", "copy"):
            kwargs[f"{name}_url_name"] = None
        return kwargs


audit_event_viewset = AuditEventViewSet("audit_log")


@hooks.register("register_admin_viewset")
def register_audit_log_viewset():
    return audit_event_viewset


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_AUDIT_LOG)


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        _("Audit log"),
        reverse("audit_log:index"),
        name="audit-log",
        icon_name="history",
        order=1100,
    )


# Sign-in lockouts and two-step verification ----------------------------------


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("lockouts/", admin_views.lockout_list, name="cms_lockouts"),
        path("lockouts/unlock/", admin_views.lockout_unlock, name="cms_lockout_unlock"),
        path("two-step/", admin_views.mfa_staff, name="cms_mfa_staff"),
        path(
            "two-step/<int:user_id>/reset/",
            admin_views.mfa_reset,
            name="cms_mfa_reset",
        ),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_unlock_sign_ins(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(
        _("Sign-in lockouts"),
        reverse("cms_lockouts"),
        icon_name="lock",
        order=650,
        name="sign-in-lockouts",
    )


class MfaMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_reset_mfa(request.user)


@hooks.register("register_settings_menu_item")
def register_mfa_menu_item():
    return MfaMenuItem(
        _("Two-step verification"),
        reverse("cms_mfa_staff"),
        icon_name="key",
        order=651,
        name="two-step-verification",
    )


@hooks.register("register_permissions")
def register_security_permissions():
    return Permission.objects.filter(
        content_type__app_label="cms", codename__in=["unlock_sign_in", "reset_mfa"]
    )
