"""Admin views for the question bank: the listing (Wagtail's generic index
view), preview, import, export, regrading, and the exam reports list.

Each question type has its own viewset, named from its type code
(``question_viewset_name``), so the editor of any question is found from its
type code alone: nothing here imports the viewsets, and a type appended to
``QUESTION_TYPES`` gets its viewset, its filter choice, its "add" link and
its rows' editor links without a change here.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
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

from . import bank_io, services
from .gift import parse_gift
from .models import QUESTION_TYPES, Question, QuestionCategory, WrittenExam
from .permissions import (
    user_can_add_questions,
    user_can_edit_questions,
    user_can_import_questions,
    user_can_regrade,
    user_can_view_bank,
    user_can_view_exam_reports,
)
from .selectors import AttemptQuestionView

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


def _require(request, predicate) -> None:
    if not predicate(request.user):
        raise PermissionDenied


def bank_add(request):
    """``?type=<code>``: that type's add form; anything else, the bank."""
    _require(request, user_can_view_bank)
    type_code = request.GET.get("type", "")
    if type_code not in dict(_type_choices()):
        return redirect("exams_bank")
    return redirect(question_url(type_code, "add"))


def preview(request, question_id: int):
    """The question exactly as a trainee sees it in an attempt."""
    _require(request, user_can_view_bank)
    question = get_object_or_404(Question, pk=question_id)
    content, _key = question.freeze(shuffle=False)
    view = AttemptQuestionView(
        position=1,
        content=content,
        points=question.points,
        answer=None,
        revision=0,
        answered=False,
        flagged=False,
    )
    return TemplateResponse(
        request,
        "exams/admin/preview.html",
        {
            "page_title": _("Preview"),
            "header_title": _("Preview: %(q)s") % {"q": question.label},
            "header_icon": "view",
            "question": question,
            "current": view,
            "edit_url": (
                question_url(question.type_code, "edit", question.pk)
                if user_can_edit_questions(request.user)
                else ""
            ),
        },
    )


def bank_template(request):
    _require(request, user_can_import_questions)
    return xlsx_response(bank_io.bank_template(), "question-bank-template.xlsx")


class ImportForm(forms.Form):
    MAX_SIZE = 5 * 1024 * 1024

    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx) or GIFT text file (.txt, .gift)")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


def bank_import(request):
    """Check every row first; import nothing unless every row is good."""
    _require(request, user_can_import_questions)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems, warnings, report = [], [], None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if data[:2] == b"PK" or upload.name.lower().endswith(".xlsx"):
            questions, found = bank_io.bank_parse(data)
            problems = [str(problem) for problem in found]
        else:
            result = parse_gift(data.decode("utf-8", errors="replace"))
            questions = [_from_gift(q) for q in result.questions]
            problems = [str(problem) for problem in result.problems]
        if not problems:
            try:
                report = services.questions_import(questions=questions)
            except ValidationError as error:
                problems = [" ".join(error.messages)]
        if report is not None:
            messages.success(
                request,
                _("Imported: %(created)s new questions, %(updated)s updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("exams_bank")
    return TemplateResponse(
        request,
        "exams/admin/import.html",
        {
            "page_title": _("Import questions"),
            "header_title": _("Import questions"),
            "header_icon": "upload",
            "form": form,
            "problems": problems,
            "warnings": warnings,
        },
        status=400 if problems else 200,
    )


def _from_gift(data: dict) -> dict:
    """GIFT questions arrive as drafts, for a trainer to review before use."""
    converted = {
        key: value
        for key, value in data.items()
        if key not in ("line", "answer_feedback")
    }
    converted["category"] = data.get("category") or _("Imported from GIFT")
    converted["status"] = Question.Status.DRAFT
    converted["key"] = ""
    return converted


def regrade(request, question_id: int):
    """Dry run first: how many attempts and pass/fail results would change."""
    _require(request, user_can_regrade)
    question = get_object_or_404(Question, pk=question_id)
    applied = request.method == "POST" and request.POST.get("confirm") == "yes"
    report = services.question_regrade(question=question, apply=applied)
    if applied:
        messages.success(
            request,
            _("Regraded: %(n)s attempts changed.") % {"n": report.attempts_changed},
        )
        return redirect("exams_bank")
    return TemplateResponse(
        request,
        "exams/admin/regrade.html",
        {
            "page_title": _("Regrade"),
            "header_title": _("Regrade past attempts"),
            "header_icon": "resubmit",
            "question": question,
            "report": report,
        },
    )


def reports(request):
    _require(request, user_can_view_exam_reports)
    return TemplateResponse(
        request,
        "exams/admin/reports.html",
        {
            "page_title": _("Exam reports"),
            "header_title": _("Exam reports"),
            "header_icon": "table",
            "exams": WrittenExam.objects.select_related("course").order_by("title"),
        },
    )
