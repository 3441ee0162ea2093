"""The question bank and exams in the Wagtail admin.

Wagtail has no polymorphic support, so each question type has its own
viewset (its own add and edit forms), named from its type code, and one bank
listing (``admin_views.QuestionBankView``) shows every question and links
each row to its own type's editor. Every type is governed by the base
question's permissions (``exams.add_question`` and so on), so a type
appended to ``QUESTION_TYPES`` needs no code and no permissions of its own.
"""

from functools import cached_property

from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
)
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms import audit

from . import admin_views, selectors
from .models import (
    QUESTION_TYPES,
    Accommodation,
    OralExam,
    Question,
    QuestionCategory,
    Rubric,
    WrittenExam,
)
from .permissions import (
    accommodations_visible_to,
    user_can_import_questions,
    user_can_regrade,
    user_can_view_bank,
    user_can_view_exam_reports,
)

# Registered before any viewset asks: Wagtail would otherwise make each type
# a policy of its own, checking permissions no group holds.
register_permission_policy(Question, ModelPermissionPolicy(Question))

# The permissions the platform checks beyond Wagtail's own, offered in the
# admin's group editor.
PLATFORM_PERMISSIONS = [
    "add_attempt",
    "change_attempt",
    "grade_response",
    "grade_any_response",
    "publish_oral_slot",
    "score_oral_exam",
    # Oral-exam records with no admin editor of their own: every sheet and
    # the agreement report, reopening sheets, reconciling, releasing results.
    "view_scoresheet",
    "change_scoresheet",
    "add_reconciliation",
    "change_sitting",
]


class QuestionCreateView(CreateView):
    """Back to the whole bank after adding a question of any type."""

    def get_success_url(self):
        return reverse("exams_bank")


class QuestionEditView(EditView):
    """Back to the whole bank after saving; when graded attempts drew this
    question, the message offers a regrade (a dry run first), in case the
    edit corrected its answer key."""

    def get_success_url(self):
        return reverse("exams_bank")

    @cached_property
    def graded_attempts(self) -> int:
        return selectors.question_graded_attempt_count(question=self.object)

    def get_success_message(self):
        message = super().get_success_message()
        graded = self.graded_attempts
        if graded:
            message += " " + ngettext(
                "%(n)s graded attempt drew it: if you corrected its answer key, "
                "regrade that attempt.",
                "%(n)s graded attempts drew it: if you corrected its answer key, "
                "regrade those attempts.",
                graded,
            ) % {"n": graded}
        return message

    def get_success_buttons(self):
        buttons = super().get_success_buttons()
        if self.graded_attempts and user_can_regrade(self.request.user):
            buttons.append(
                messages.button(
                    reverse("exams_question_regrade", args=[self.object.pk]),
                    _("Regrade past attempts"),
                )
            )
        return buttons


class QuestionTypeViewSet(ModelViewSet):
    """One question type's add and edit forms (the bank lists them all)."""

    icon = "help"
    add_to_admin_menu = False
    list_display = ["label", "category", "status", "points"]
    list_filter = ["category", "status"]
    search_fields = ["text", "title", "key"]
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView

    def __init__(self, model):
        super().__init__(
            name=admin_views.question_viewset_name(model.type_code), model=model
        )

    @cached_property
    def menu_label(self):
        return self.model._meta.verbose_name_plural

    def get_permissions_to_register(self):
        # The base question's permissions govern every type (see above).
        return Permission.objects.filter(
            content_type__app_label="exams", content_type__model="question"
        )


QUESTION_VIEWSETS = {cls.type_code: QuestionTypeViewSet(cls) for cls in QUESTION_TYPES}


class QuestionCategoryViewSet(ModelViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["name", "description"]


class WrittenExamViewSet(ModelViewSet):
    model = WrittenExam
    icon = "doc-full-inverse"
    menu_label = _("Written exams")
    list_display = [
        "title",
        "course",
        "time_limit_minutes",
        "pass_mark_percent",
        "is_published",
    ]
    list_filter = ["is_published"]


class RubricViewSet(ModelViewSet):
    """Rubrics with their criteria and levels. A sitting keeps a frozen copy
    of its rubric, so editing one never changes a past result."""

    model = Rubric
    icon = "list-ol"
    menu_label = _("Oral-exam rubrics")
    list_display = ["title", "description"]
    search_fields = ["title"]


class OralExamViewSet(ModelViewSet):
    model = OralExam
    icon = "group"
    menu_label = _("Oral exams")
    list_display = [
        "title",
        "course",
        "rubric",
        "examiners_per_sitting",
        "pass_percent",
        "is_published",
    ]
    list_filter = ["is_published"]


ACCOMMODATION_TERMS = ("time_multiplier", "extra_minutes", "extra_attempts")


def _accommodation_terms(accommodation: Accommodation) -> dict:
    return {name: getattr(accommodation, name) for name in ACCOMMODATION_TERMS}


class AccommodationCreateView(CreateView):
    """Granting an accommodation is audited."""

    def save_instance(self):
        accommodation = super().save_instance()
        audit.record(
            "accommodation.granted",
            target=accommodation.trainee,
            accommodation=accommodation.pk,
            **_accommodation_terms(accommodation),
        )
        return accommodation


class AccommodationEditView(EditView):
    """Changing an accommodation is audited with its terms before and after."""

    def save_instance(self):
        before = Accommodation.objects.filter(pk=self.object.pk).first()
        accommodation = super().save_instance()
        audit.record(
            "accommodation.changed",
            target=accommodation.trainee,
            accommodation=accommodation.pk,
            old=_accommodation_terms(before) if before else {},
            new=_accommodation_terms(accommodation),
        )
        return accommodation


class AccommodationDeleteView(DeleteView):
    def delete_action(self):
        with transaction.atomic():
            audit.record(
                "accommodation.removed",
                target=self.object.trainee,
                accommodation=self.object.pk,
                **_accommodation_terms(self.object),
            )
            super().delete_action()


class AccommodationIndexView(IndexView):
    """Administrators see every accommodation; a trainer only those of the
    trainees they teach (``accommodations_visible_to``)."""

    def get_base_queryset(self):
        return accommodations_visible_to(self.request.user, super().get_base_queryset())


class AccommodationViewSet(ModelViewSet):
    model = Accommodation
    index_view_class = AccommodationIndexView
    add_view_class = AccommodationCreateView
    edit_view_class = AccommodationEditView
    delete_view_class = AccommodationDeleteView
    icon = "user"
    menu_label = _("Accommodations")
    list_display = ["trainee", "time_multiplier", "extra_minutes", "extra_attempts"]
    search_fields = ["trainee__email", "trainee__legal_name"]


class PermittedMenuItem(MenuItem):
    """A menu item shown to whoever passes its ``user_can_`` check."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class ExamsGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "doc-full-inverse"
    menu_order = 270
    items = (
        WrittenExamViewSet,
        QuestionCategoryViewSet,
        OralExamViewSet,
        RubricViewSet,
        AccommodationViewSet,
    )

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.insert(
            0,
            PermittedMenuItem(
                _("Question bank"),
                reverse("exams_bank"),
                icon_name="help",
                name="question-bank",
                shown_to=user_can_view_bank,
            ),
        )
        items.insert(
            1,
            PermittedMenuItem(
                _("Import questions"),
                reverse("exams_bank_import"),
                icon_name="upload",
                name="question-import",
                shown_to=user_can_import_questions,
            ),
        )
        items.append(
            PermittedMenuItem(
                _("Exam reports"),
                reverse("exams_reports"),
                icon_name="table",
                name="exam-reports",
                shown_to=user_can_view_exam_reports,
            )
        )
        return items


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return [ExamsGroup(), *QUESTION_VIEWSETS.values()]


@hooks.register("register_permissions")
def register_platform_permissions():
    return Permission.objects.filter(
        content_type__app_label="exams", codename__in=PLATFORM_PERMISSIONS
    )


@hooks.register("register_admin_urls")
def register_bank_urls():
    bank = admin_views.QuestionBankView.as_view()
    return [
        path("question-bank/", bank, name="exams_bank"),
        path(
            "question-bank/results/",
            admin_views.QuestionBankView.as_view(results_only=True),
            name="exams_bank_results",
        ),
        path("question-bank/add/", admin_views.bank_add, name="exams_bank_add"),
        path(
            "question-bank/export/",
            admin_views.QuestionBankExportView.as_view(),
            name="exams_bank_export",
        ),
        path(
            "question-bank/template/",
            admin_views.bank_template,
            name="exams_bank_template",
        ),
        path(
            "question-bank/import/", admin_views.bank_import, name="exams_bank_import"
        ),
        path(
            "question-bank/<int:question_id>/preview/",
            admin_views.preview,
            name="exams_question_preview",
        ),
        path(
            "question-bank/<int:question_id>/regrade/",
            admin_views.regrade,
            name="exams_question_regrade",
        ),
        path("exam-reports/", admin_views.reports, name="exams_reports"),
    ]


@hooks.register("register_requirement_viewset")
def register_written_exam_requirement_viewset():
    """The written-exam requirement in the admin's Credentials menu, which
    the courses app builds without knowing the exams app."""
    from courses.wagtail_hooks import RequirementViewSet

    from .models import WrittenExamPassedRequirement

    class WrittenExamPassedRequirementViewSet(RequirementViewSet):
        model = WrittenExamPassedRequirement
        icon = "doc-full-inverse"
        menu_label = _("Written exam passed")
        list_display = ["credential", "exam", "source_citation", "effective_date"]

    return WrittenExamPassedRequirementViewSet


@hooks.register("register_requirement_viewset")
def register_oral_exam_requirement_viewset():
    """The oral-exam requirement in the admin's Credentials menu."""
    from courses.wagtail_hooks import RequirementViewSet

    from .models import OralExamPassedRequirement

    class OralExamPassedRequirementViewSet(RequirementViewSet):
        model = OralExamPassedRequirement
        icon = "group"
        menu_label = _("Oral exam passed")
        list_display = ["credential", "oral_exam", "source_citation", "effective_date"]

    return OralExamPassedRequirementViewSet
