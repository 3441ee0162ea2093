"""The question bank and exams in the Wagtail admin.

Wagtail has no polymorphic support, so each question type has its own
viewset (its own add and edit forms) and one bank listing shows every
question and links each row to its own type's editor.
"""

from functools import cached_property

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views, selectors
from .models import QUESTION_TYPES, Accommodation, QuestionCategory, WrittenExam
from .permissions import user_can_manage_exams


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
        if self.graded_attempts:
            buttons.append(
                messages.button(
                    reverse("exams_question_regrade", args=[self.object.pk]),
                    _("Regrade past attempts"),
                )
            )
        return buttons


def _question_viewset(question_class):
    class QuestionTypeViewSet(ModelViewSet):
        model = question_class
        icon = "help"
        add_to_admin_menu = False
        menu_label = question_class._meta.verbose_name_plural
        list_display = ["label", "category", "status", "points"]
        list_filter = ["category", "status"]
        search_fields = ["text", "title", "key"]
        add_view_class = QuestionCreateView
        edit_view_class = QuestionEditView

    QuestionTypeViewSet.__name__ = f"{question_class.__name__}ViewSet"
    return QuestionTypeViewSet(name=f"question-{question_class.type_code}")


QUESTION_VIEWSETS = {cls.type_code: _question_viewset(cls) for cls in QUESTION_TYPES}


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


class AccommodationViewSet(ModelViewSet):
    model = Accommodation
    icon = "user"
    menu_label = _("Accommodations")
    list_display = ["trainee", "time_multiplier", "extra_minutes", "extra_attempts"]
    search_fields = ["trainee__email", "trainee__legal_name"]


class BankMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_manage_exams(request.user)


class ExamsGroup(ViewSetGroup):
    menu_label = _("Exams")
    menu_icon = "doc-full-inverse"
    menu_order = 270
    items = (WrittenExamViewSet, QuestionCategoryViewSet, AccommodationViewSet)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.insert(
            0,
            BankMenuItem(
                _("Question bank"),
                reverse("exams_bank"),
                icon_name="help",
                name="question-bank",
            ),
        )
        items.insert(
            1,
            BankMenuItem(
                _("Import questions"),
                reverse("exams_bank_import"),
                icon_name="upload",
                name="question-import",
            ),
        )
        items.append(
            BankMenuItem(
                _("Exam reports"),
                reverse("exams_reports"),
                icon_name="table",
                name="exam-reports",
            )
        )
        return items


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return [ExamsGroup(), *QUESTION_VIEWSETS.values()]


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [
        path("question-bank/", admin_views.bank, name="exams_bank"),
        path("question-bank/add/", admin_views.bank_add, name="exams_bank_add"),
        path(
            "question-bank/export/", admin_views.bank_export, name="exams_bank_export"
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
