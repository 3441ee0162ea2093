"""Admin views for the question bank: listing, preview, import, export,
regrading, and the exam reports list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.spreadsheets import xlsx_response

from . import bank_io, services
from .gift import parse_gift
from .models import QUESTION_TYPES, Question, QuestionCategory, WrittenExam
from .permissions import user_can_manage_exams
from .selectors import AttemptQuestionView

TYPE_LABELS = {cls.type_code: cls.type_label for cls in QUESTION_TYPES}


def _require_manager(request):
    if not user_can_manage_exams(request.user):
        raise PermissionDenied


def _viewset_for(type_code: str):
    # wagtail_hooks imports this module, so look the viewsets up lazily.
    from .wagtail_hooks import QUESTION_VIEWSETS

    return QUESTION_VIEWSETS.get(type_code)


def _edit_url(question: Question) -> str:
    viewset = _viewset_for(question.type_code)
    return reverse(viewset.get_url_name("edit"), args=[question.pk])


class BankFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All types")), *TYPE_LABELS.items()],
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        queryset=QuestionCategory.objects.all(),
        empty_label=gettext_lazy("All categories"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *Question.Status.choices],
    )
    q = forms.CharField(label=gettext_lazy("Search"), required=False)


def _filtered_questions(request):
    form = BankFilterForm(request.GET or None)
    questions = Question.objects.select_related("category", "polymorphic_ctype")
    if form.is_valid():
        data = form.cleaned_data
        if data["type"]:
            model = Question.class_for(data["type"])
            questions = questions.instance_of(model)
        if data["category"]:
            questions = questions.filter(category=data["category"])
        if data["status"]:
            questions = questions.filter(status=data["status"])
        if data["q"]:
            questions = questions.filter(text__icontains=data["q"])
    return form, questions.order_by("category__name", "pk")


def bank(request):
    """Every question, whatever its type, each linking to its own editor."""
    _require_manager(request)
    form, questions = _filtered_questions(request)
    page = Paginator(questions.non_polymorphic(), 50).get_page(request.GET.get("p"))
    type_of = {cls._meta.model_name: cls.type_code for cls in QUESTION_TYPES}
    rows = []
    for question in page:
        type_code = type_of.get(question.polymorphic_ctype.model, "")
        question.type_code = type_code
        rows.append(
            {
                "question": question,
                "type_label": TYPE_LABELS.get(type_code, ""),
                "edit_url": _edit_url(question),
            }
        )
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "exams/admin/bank.html",
        {
            "page_title": _("Question bank"),
            "header_title": _("Question bank"),
            "header_icon": "help",
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "types": TYPE_LABELS.items(),
        },
    )


def bank_add(request):
    _require_manager(request)
    viewset = _viewset_for(request.GET.get("type", ""))
    if viewset is None:
        return redirect("exams_bank")
    return redirect(reverse(viewset.get_url_name("add")))


def preview(request, question_id: int):
    """The question exactly as a trainee sees it in an attempt."""
    _require_manager(request)
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
            "edit_url": _edit_url(question),
        },
    )


def bank_export(request):
    _require_manager(request)
    _form, questions = _filtered_questions(request)
    data = bank_io.bank_workbook([question.as_dict() for question in questions])
    return xlsx_response(data, "question-bank.xlsx")


def bank_template(request):
    _require_manager(request)
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
    _require_manager(request)
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
    _require_manager(request)
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
    _require_manager(request)
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
