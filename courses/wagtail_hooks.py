from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_certificates, admin_views
from .models import (
    AgeRequirement,
    CourseTrainer,
    Credential,
    HourCategory,
    HoursRequirement,
    ModuleCompletionRequirement,
    TotalHoursRequirement,
)
from .permissions import user_can_audit_curriculum, user_can_manage_certificates

# Apps that add requirement types (the exams app: a written exam passed)
# register their admin viewsets with this hook, returning a ModelViewSet
# class or instance; the Credentials menu lists them after the courses ones.
REQUIREMENT_VIEWSET_HOOK = "register_requirement_viewset"


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


class RequirementViewSet(ModelViewSet):
    """What every requirement type's listing shares; one viewset per type,
    because Wagtail edits one concrete model per viewset."""

    icon = "tick-inverse"
    list_display = ["credential", "source_citation", "effective_date"]
    list_filter = ["credential"]


class HoursRequirementViewSet(RequirementViewSet):
    model = HoursRequirement
    icon = "time"
    menu_label = _("Hours per category")
    list_display = [
        "credential",
        "kind",
        "category",
        "minimum_hours",
        "source_citation",
        "effective_date",
    ]
    list_filter = ["credential", "kind", "category"]
    list_export = [
        "credential",
        "kind",
        "category",
        "minimum_hours",
        "source_citation",
        "effective_date",
    ]


class TotalHoursRequirementViewSet(RequirementViewSet):
    model = TotalHoursRequirement
    icon = "time"
    menu_label = _("Total hours")
    list_display = [
        "credential",
        "kind",
        "minimum_hours",
        "source_citation",
        "effective_date",
    ]
    list_filter = ["credential", "kind"]


class ModuleCompletionRequirementViewSet(RequirementViewSet):
    model = ModuleCompletionRequirement
    icon = "list-ul"
    menu_label = _("Modules completed")
    list_display = ["credential", "course", "source_citation", "effective_date"]


class AgeRequirementViewSet(RequirementViewSet):
    model = AgeRequirement
    icon = "user"
    menu_label = _("Minimum age")
    list_display = ["credential", "minimum_age", "source_citation", "effective_date"]


class CredentialsGroup(ViewSetGroup):
    menu_label = _("Credentials")
    menu_icon = "form"
    menu_order = 250
    items = (
        CredentialViewSet,
        HoursRequirementViewSet,
        TotalHoursRequirementViewSet,
        ModuleCompletionRequirementViewSet,
        AgeRequirementViewSet,
        HourCategoryViewSet,
    )

    def __init__(self):
        # Requirement types of apps above courses join the group here.
        self.items = (
            *type(self).items,
            *(register() for register in hooks.get_hooks(REQUIREMENT_VIEWSET_HOOK)),
        )
        super().__init__()


@hooks.register("register_admin_viewset")
def register_credentials_group():
    return CredentialsGroup()


class CourseTrainerViewSet(ModelViewSet):
    """Administrators assign trainers to courses: a trainer creates cohorts
    only of the courses they are assigned to (``courses.permissions``)."""

    model = CourseTrainer
    icon = "group"
    menu_label = _("Course trainers")
    menu_order = 255
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["course", "trainer", "assigned_at"]
    list_filter = ["course"]
    search_fields = ["trainer__email", "trainer__legal_name"]


@hooks.register("register_admin_viewset")
def register_course_trainer_viewset():
    return CourseTrainerViewSet()


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


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return admin_certificates.admin_urls()


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_manage_certificates(request.user)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CertificatesMenuItem(
        _("Certificates"),
        reverse("courses_certificates"),
        icon_name="doc-full",
        order=270,
        name="certificates",
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
    "view_certificate",
    "view_any_certificate",
    "add_certificate",
    "revoke_certificate",
]


@hooks.register("register_permissions")
def register_platform_permissions():
    return Permission.objects.filter(
        content_type__app_label="courses", codename__in=PLATFORM_PERMISSIONS
    )


# Supervision's admin lives in its own module.
from .wagtail_hooks_supervision import SUPERVISION_PERMISSIONS  # noqa: E402

PLATFORM_PERMISSIONS += SUPERVISION_PERMISSIONS
