"""The question bank listing in the admin: Wagtail's generic index view over
every question type, and its Excel export.

Each question type has its own viewset, named from its type code
(``question_viewset_name``), so the editor of any question is found from its
type code alone: nothing here imports the viewsets, and a type appended to
``QUESTION_TYPES`` gets its viewset, its filter choice, its "add" link and
its rows' editor links without a change here.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import (
    Button,
    ButtonWithDropdown,
    HeaderButton,
    ListingButton,
)

from cms.spreadsheets import xlsx_response

from .. import bank_io
from ..models import QUESTION_TYPES, Question, QuestionCategory
from ..permissions import (
    user_can_add_questions,
    user_can_edit_questions,
    user_can_import_questions,
    user_can_regrade,
    user_can_view_bank,
)

BANK_PAGE_SIZE = 50


def question_viewset_name(type_code: str) -> str:
    """The name (URL namespace) of a question type's viewset."""
    return f"question-{type_code}"


def question_url(type_code: str, action: str, *args) -> str:
    """A question type's own admin URL: ``add``, or ``edit`` with a pk."""
    return reverse(f"{question_viewset_name(type_code)}:{action}", args=args)


def _type_choices() -> list[tuple[str, str]]:
    return [(cls.type_code, cls.type_label) for cls in QUESTION_TYPES]


class QuestionFilterSet(WagtailFilterSet):
    type = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"),
        # A callable, so the choices are read from QUESTION_TYPES each time.
        choices=_type_choices,
        empty_label=gettext_lazy("All types"),
        method="filter_type",
        widget=forms.RadioSelect,
    )
    category = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.all(),
        empty_label=gettext_lazy("All categories"),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Question.Status.choices,
        empty_label=gettext_lazy("All statuses"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Question
        fields = []

    def filter_type(self, queryset, name, value):
        return queryset.instance_of(Question.class_for(value))


def _points(question: Question) -> str:
    return f"{question.points.normalize():f}"


class _QuestionTitleColumn(ButtonsColumnMixin, TitleColumn):
    """The question, linking to its own type's editor, with its row's
    buttons under it (preview, edit, regrade)."""

    def __init__(self, *args, get_buttons, **kwargs):
        super().__init__(*args, **kwargs)
        self._get_buttons = get_buttons

    def get_buttons(self, instance, parent_context):
        return self._get_buttons(instance)


class QuestionBankView(IndexView):
    """Every question, whatever its type, each row linking to its own type's
    editor and to its preview. Filters, search and paging come from Wagtail;
    the rows are base questions (one query per page, whatever their types),
    typed by the content type joined with them."""

    model = Question
    page_title = gettext_lazy("Question bank")
    header_icon = "help"
    index_url_name = "exams_bank"
    index_results_url_name = "exams_bank_results"
    filterset_class = QuestionFilterSet
    search_fields = ["title", "text", "key"]
    paginate_by = BANK_PAGE_SIZE
    default_ordering = ("category__name", "pk")
    # user_can_view_bank decides, in dispatch.
    any_permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not user_can_view_bank(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return Question.objects.non_polymorphic().select_related(
            "category", "polymorphic_ctype"
        )

    @staticmethod
    def question_type(question: Question) -> type[Question]:
        return question.polymorphic_ctype.model_class()

    @cached_property
    def columns(self):
        return [
            _QuestionTitleColumn(
                "label",
                label=gettext_lazy("Question"),
                get_url=self.get_edit_url,
                get_buttons=self.get_row_buttons,
            ),
            Column(
                "type",
                label=gettext_lazy("Type"),
                accessor=lambda question: self.question_type(question).type_label,
            ),
            Column(
                "category",
                label=gettext_lazy("Category"),
                accessor="category.name",
                sort_key="category__name",
            ),
            Column(
                "status",
                label=gettext_lazy("Status"),
                accessor="get_status_display",
                sort_key="status",
            ),
            Column(
                "points",
                label=gettext_lazy("Points"),
                accessor=_points,
                sort_key="points",
            ),
        ]

    @cached_property
    def can_edit(self) -> bool:
        return user_can_edit_questions(self.request.user)

    def get_edit_url(self, instance):
        if self.can_edit:
            return question_url(
                self.question_type(instance).type_code, "edit", instance.pk
            )

    def get_row_buttons(self, instance) -> list:
        buttons = [
            ListingButton(
                _("Preview"),
                url=reverse("exams_question_preview", args=[instance.pk]),
                icon_name="view",
                priority=10,
            )
        ]
        if edit_url := self.get_edit_url(instance):
            buttons.append(
                ListingButton(_("Edit"), url=edit_url, icon_name="edit", priority=20)
            )
        if self.can_regrade:
            buttons.append(
                ListingButton(
                    _("Regrade"),
                    url=reverse("exams_question_regrade", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=30,
                )
            )
        return buttons

    @cached_property
    def can_regrade(self) -> bool:
        return user_can_regrade(self.request.user)

    @cached_property
    def header_buttons(self):
        buttons = []
        if user_can_add_questions(self.request.user):
            buttons.append(
                ButtonWithDropdown(
                    _("Add a question"),
                    icon_name="plus",
                    classname="w-header-button button",
                    buttons=[
                        Button(cls.type_label, url=question_url(cls.type_code, "add"))
                        for cls in QUESTION_TYPES
                    ],
                    priority=10,
                )
            )
        buttons.append(
            HeaderButton(
                _("Export to Excel"),
                url=self.export_url,
                icon_name="download",
                priority=20,
            )
        )
        return buttons

    @cached_property
    def header_more_buttons(self):
        if not user_can_import_questions(self.request.user):
            return []
        return [
            Button(
                _("Import questions"),
                url=reverse("exams_bank_import"),
                icon_name="upload",
                priority=10,
            ),
            Button(
                _("Download the Excel template"),
                url=reverse("exams_bank_template"),
                icon_name="download",
                priority=20,
            ),
        ]

    @cached_property
    def export_url(self) -> str:
        """The export of what the listing shows: its filters and search."""
        query = self.request.GET.copy()
        for key in (self.page_kwarg, "_w_filter_fragment", "ordering"):
            query.pop(key, None)
        url = reverse("exams_bank_export")
        return f"{url}?{query.urlencode()}" if query else url


class QuestionBankExportView(QuestionBankView):
    """The listing's questions, as filtered and searched, in the bank
    workbook (which imports back). Real instances, for each type's answers:
    one query per question type, whatever the number of questions."""

    def get_base_queryset(self):
        return Question.objects.select_related("category")

    def get(self, request, *args, **kwargs):
        questions = self.get_queryset()
        data = bank_io.bank_workbook([question.as_dict() for question in questions])
        return xlsx_response(data, "question-bank.xlsx")
