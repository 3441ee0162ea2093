"""One question at a time: adding by type, preview, import, the template
workbook and regrading."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.spreadsheets import xlsx_response
from cms.uploads import check_size

from .. import bank_io, services
from ..gift import parse_gift
from ..models import Question
from ..permissions import (
    user_can_edit_questions,
    user_can_import_questions,
    user_can_regrade,
    user_can_view_bank,
    user_regrades_every_course,
)
from ..selectors import AttemptQuestionView
from .bank import _type_choices, question_url


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
    file = forms.FileField(
        label=gettext_lazy("Excel workbook (.xlsx) or GIFT text file (.txt, .gift)")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload, limit=settings.QUESTION_IMPORT_MAX_SIZE)
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
            result = parse_gift(
                data.decode("utf-8", errors="replace"),
                max_questions=settings.QUESTION_IMPORT_MAX_QUESTIONS,
            )
            questions = [_from_gift(q) for q in result.questions]
            problems = [str(problem) for problem in result.problems]
        if not problems:
            try:
                report = services.questions_import(
                    questions=questions, by=request.user, source=upload.name
                )
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
    report = services.question_regrade(
        question=question, apply=applied, by=request.user
    )
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
            "every_course": user_regrades_every_course(request.user),
        },
    )
