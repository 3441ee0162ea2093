from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .models import Credential, HourCategory, HoursRequirement, TotalHoursRequirement
from .permissions import user_can_audit_curriculum


class HourCategoryViewSet(ModelViewSet):
    model = HourCategory
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    add_to_admin_menu = False


class CredentialViewSet(ModelViewSet):
    model = Credential
    icon = "form"
    list_display = ["name", "authority", "regulation"]
    search_fields = ["name", "regulation"]


class HoursRequirementViewSet(ModelViewSet):
    model = HoursRequirement
    icon = "time"
    menu_label = _("Hours per category")
    list_display = [
        "credential",
        "category",
        "minimum_hours",
        "source_citation",
        "effective_date",
    ]
    list_filter = ["credential", "category"]
    list_export = [
        "credential",
        "category",
        "minimum_hours",
        "source_citation",
        "effective_date",
    ]


class TotalHoursRequirementViewSet(ModelViewSet):
    model = TotalHoursRequirement
    icon = "time"
    menu_label = _("Total hours")
    list_display = ["credential", "minimum_hours", "source_citation", "effective_date"]
    list_filter = ["credential"]


class CredentialsGroup(ViewSetGroup):
    menu_label = _("Credentials")
    menu_icon = "form"
    menu_order = 250
    items = (
        CredentialViewSet,
        HoursRequirementViewSet,
        TotalHoursRequirementViewSet,
        HourCategoryViewSet,
    )


@hooks.register("register_admin_viewset")
def register_credentials_group():
    return CredentialsGroup()


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path(
            "curriculum-audit/",
            admin_views.curriculum_audit,
            name="courses_curriculum_audit",
        ),
        path(
            "curriculum-audit/<int:course_id>/",
            admin_views.curriculum_audit,
            name="courses_curriculum_audit_course",
        ),
    ]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_audit_curriculum(request.user)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(
        _("Curriculum audit"),
        reverse("courses_curriculum_audit"),
        icon_name="tasks",
        order=260,
        name="curriculum-audit",
    )


# The permissions the platform checks beyond Wagtail's own, offered in the
# admin's group editor (see courses.permissions).
PLATFORM_PERMISSIONS = [
    "add_enrollment",
    "add_hourentry",
    "view_hourentry",
    "view_any_ledger",
    "verify_hourentry",
    "verify_any_hourentry",
    "sign_hourentry",
    "add_cohort",
    "change_cohort",
    "manage_any_cohort",
]


@hooks.register("register_permissions")
def register_platform_permissions():
    return Permission.objects.filter(
        content_type__app_label="courses", codename__in=PLATFORM_PERMISSIONS
    )
