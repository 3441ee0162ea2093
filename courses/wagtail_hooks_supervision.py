"""Admin for supervision data: supervisor credential types, the domains of
supervision and frequency rules; and the supervision permissions offered in
the group editor. Imported by ``courses.wagtail_hooks``."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models.checklist import (
    SupervisionAgreementRequirement,
    SupervisionEvaluationRequirement,
)
from .models.documents import (
    DocumentKind,
    DocumentRequirement,
    SuicidePreventionRequirement,
)
from .models.fees import FeeRequirement
from .models.references import ReferenceRequirement
from .models.supervision import (
    SupervisionDomain,
    SupervisionGapRule,
    SupervisorCredentialType,
)

# Added to courses.wagtail_hooks.PLATFORM_PERMISSIONS.
SUPERVISION_PERMISSIONS = [
    "approve_supervisoryagreement",
    "view_supervision_feedback",
    "verify_traineedocument",
    "view_sensitive_document",
    "add_feepayment",
    "generate_applicationpacket",
]


class SupervisorCredentialTypeViewSet(ModelViewSet):
    model = SupervisorCredentialType
    icon = "user"
    menu_label = _("Supervisor credentials")
    list_display = ["name", "abbreviation", "may_give_reference", "source_citation"]


class SupervisionDomainViewSet(ModelViewSet):
    model = SupervisionDomain
    icon = "tag"
    menu_label = _("Supervision domains")
    list_display = ["name", "hour_category", "source_citation"]


class SupervisionGapRuleViewSet(ModelViewSet):
    model = SupervisionGapRule
    icon = "time"
    menu_label = _("Supervision frequency")
    list_display = ["credential", "description", "max_days", "source_citation"]


class DocumentKindViewSet(ModelViewSet):
    model = DocumentKind
    icon = "doc-full"
    menu_label = _("Document kinds")
    list_display = ["name", "is_sensitive", "records_training", "source_citation"]
    form_fields = [
        "name",
        "slug",
        "description",
        "is_sensitive",
        "records_training",
        "source_citation",
        "sort_order",
    ]


class SupervisionGroup(ViewSetGroup):
    menu_label = _("Supervision")
    menu_icon = "group"
    menu_order = 255
    items = (
        SupervisorCredentialTypeViewSet,
        SupervisionDomainViewSet,
        SupervisionGapRuleViewSet,
        DocumentKindViewSet,
    )


@hooks.register("register_admin_viewset")
def register_supervision_group():
    return SupervisionGroup()


class SupervisionAgreementRequirementViewSet(ModelViewSet):
    model = SupervisionAgreementRequirement
    icon = "doc-full"
    menu_label = _("Supervisory agreement")
    list_display = ["credential", "source_citation", "effective_date"]
    list_filter = ["credential"]


class SupervisionEvaluationRequirementViewSet(ModelViewSet):
    model = SupervisionEvaluationRequirement
    icon = "doc-full"
    menu_label = _("Supervision evaluation")
    list_display = ["credential", "source_citation", "effective_date"]
    list_filter = ["credential"]


@hooks.register("register_requirement_viewset")
def register_agreement_requirement_viewset():
    return SupervisionAgreementRequirementViewSet


@hooks.register("register_requirement_viewset")
def register_evaluation_requirement_viewset():
    return SupervisionEvaluationRequirementViewSet


class DocumentRequirementViewSet(ModelViewSet):
    model = DocumentRequirement
    icon = "doc-full"
    menu_label = _("Documents")
    list_display = ["credential", "document_kind", "source_citation", "effective_date"]
    list_filter = ["credential"]


@hooks.register("register_requirement_viewset")
def register_document_requirement_viewset():
    return DocumentRequirementViewSet


class SuicidePreventionRequirementViewSet(ModelViewSet):
    model = SuicidePreventionRequirement
    icon = "doc-full"
    menu_label = _("Suicide-prevention training")
    list_display = ["credential", "minimum_hours", "valid_years", "source_citation"]
    list_filter = ["credential"]


@hooks.register("register_requirement_viewset")
def register_suicide_prevention_requirement_viewset():
    return SuicidePreventionRequirementViewSet


class FeeRequirementViewSet(ModelViewSet):
    model = FeeRequirement
    icon = "doc-full"
    menu_label = _("Application fee")
    list_display = ["credential", "source_citation", "effective_date"]
    list_filter = ["credential"]


@hooks.register("register_requirement_viewset")
def register_fee_requirement_viewset():
    return FeeRequirementViewSet


class ReferenceRequirementViewSet(ModelViewSet):
    model = ReferenceRequirement
    icon = "doc-full"
    menu_label = _("Letters of reference")
    list_display = ["credential", "minimum_letters", "source_citation"]
    list_filter = ["credential"]


@hooks.register("register_requirement_viewset")
def register_reference_requirement_viewset():
    return ReferenceRequirementViewSet
