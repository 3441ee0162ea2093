"""Oral exams on the site: the panel's score sheets, reconciliation,
reopening and releasing results, a trainee's result and the agreement
report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cms.access import role_required
from cms.spreadsheets import xlsx_response

from .. import selectors, services
from ..forms_oral_scoring import (
    ReconciliationForm,
    ReleaseForm,
    ReopenForm,
    ScoreSheetForm,
)
from ..models import OralExam, ScoreSheet, Sitting
from ..permissions import (
    user_can_open_score_sheet,
    user_can_reach_score_sheets,
    user_can_reconcile,
    user_can_release_oral_results,
    user_can_reopen_score_sheets,
    user_can_score_oral_exams,
    user_can_score_sitting,
    user_can_see_oral_result,
    user_can_take_exams,
    user_can_view_oral_agreement,
)


def _sitting_or_404(sitting_id: int) -> Sitting:
    try:
        return selectors.sitting_for_scoring(sitting_id=sitting_id)
    except Sitting.DoesNotExist:
        raise Http404(_("There is no oral-exam sitting with that number.")) from None


# Which sittings is the object rule each view checks.
scorer_required = role_required(user_can_reach_score_sheets)


def _refuse(request, sitting: Sitting):
    """Refused: 403 to whoever may open the sitting's sheet (they know it
    exists), 404 to everyone else (another panel's sitting does not exist
    for them)."""
    if user_can_open_score_sheet(request.user, sitting):
        raise PermissionDenied
    raise Http404


def _score_rows(page, form):
    """Each criterion's row with its level radios beside the level
    descriptors, and its comment field."""
    for row in page.rows:
        key = row.key
        row.radios = list(
            zip(
                form[services.level_field(key)],
                row.criterion["levels"],
                strict=True,
            )
        )
        row.level_errors = form[services.level_field(key)].errors
        row.comment = form[services.comment_field(key)]
    return page.rows


@scorer_required
def score_sheet(request, sitting_id: int):
    """A panel examiner's score sheet: the trainee, each criterion with the
    descriptor of each level, the examiner's own draft; once they submit,
    the panel's submitted sheets side by side. Administrators see every
    sheet, drafts included, and reopen or release from here."""
    sitting = _sitting_or_404(sitting_id)
    if not user_can_open_score_sheet(request.user, sitting):
        _refuse(request, sitting)
    page = selectors.score_sheet_page(sitting=sitting, viewer=request.user)
    form = None
    if page.may_score:
        initial = {}
        for row in page.rows:
            initial[services.level_field(row.key)] = row.own_points
            initial[services.comment_field(row.key)] = row.own_comment
        form = ScoreSheetForm(
            request.POST or None, criteria=sitting.criteria, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.score_sheet_save(
                    sitting=sitting,
                    examiner=request.user,
                    levels=form.levels(),
                    comments=form.comments(),
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                if "review" in request.POST:
                    return redirect("exams:oral_score_submit", sitting_id=sitting.pk)
                messages.success(request, _("Draft saved. Nobody else can see it."))
                return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
        _score_rows(page, form)
    elif request.method == "POST":
        messages.error(
            request,
            _("Your scores for this sitting can no longer be changed.")
            if page.on_panel
            else _("You are not on the panel of this sitting, so you cannot score it."),
        )
        return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
    return render(
        request,
        "exams/oral/score_sheet.html",
        {"scoring": page, "form": form, "sitting": sitting},
    )


@role_required(user_can_score_oral_exams)
def score_submit(request, sitting_id: int):
    """The submit step: the examiner's levels and comments to check, then
    one submit that cannot be undone."""
    sitting = _sitting_or_404(sitting_id)
    if not user_can_score_sitting(request.user, sitting):
        _refuse(request, sitting)
    problems = []
    if request.method == "POST":
        try:
            services.score_sheet_submit(sitting=sitting, examiner=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request, _("Scores submitted. You can now see the panel's scores.")
            )
            return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
    page = selectors.score_sheet_page(sitting=sitting, viewer=request.user)
    if not page.may_score and not problems:
        return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
    missing = [row for row in page.rows if row.own_points is None]
    return render(
        request,
        "exams/oral/score_submit.html",
        {
            "scoring": page,
            "sitting": sitting,
            "missing": missing,
            "problems": problems,
        },
    )


@scorer_required
def reconcile(request, sitting_id: int):
    """The panel's scores side by side; the lead examiner (or an
    administrator) records the agreed level of each criterion the panel
    scored two levels or more apart."""
    sitting = _sitting_or_404(sitting_id)
    if not user_can_reconcile(request.user, sitting):
        _refuse(request, sitting)
    if sitting.state != Sitting.State.RECONCILING:
        messages.info(request, _("This sitting is not waiting for a reconciliation."))
        return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
    page = selectors.score_sheet_page(sitting=sitting, viewer=request.user)
    flagged = [row for row in page.rows if row.outcome.waiting_for_agreement]
    form = ReconciliationForm(
        request.POST or None, criteria=[row.criterion for row in flagged]
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sitting_reconcile(
                sitting=sitting,
                by=request.user,
                agreed=form.agreed(),
                notes=form.notes(),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("Agreed levels recorded; the sitting is decided.")
            )
            return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
    for row in flagged:
        row.radios = list(
            zip(
                form[services.level_field(row.key)],
                row.criterion["levels"],
                strict=True,
            )
        )
        row.level_errors = form[services.level_field(row.key)].errors
        row.note = form[services.note_field(row.key)]
    return render(
        request,
        "exams/oral/reconcile.html",
        {"scoring": page, "sitting": sitting, "flagged": flagged, "form": form},
    )


@role_required(user_can_reopen_score_sheets)
def sheet_reopen(request, sitting_id: int, sheet_id: int):
    sitting = _sitting_or_404(sitting_id)
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("examiner"), pk=sheet_id, sitting=sitting
    )
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_sheet_reopen(
                sheet=sheet, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for name, errors in getattr(error, "message_dict", {}).items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
            if not hasattr(error, "error_dict"):
                for message in error.messages:
                    form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The sheet of %(examiner)s is open again.")
                % {"examiner": sheet.examiner.legal_name or sheet.examiner.email},
            )
            return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)
    return render(
        request,
        "exams/oral/reopen.html",
        {"sitting": sitting, "sheet": sheet, "form": form},
    )


@never_cache
@role_required(user_can_release_oral_results)
def results(request):
    """Results waiting for an administrator: those to release (one or
    many at once) and sittings whose panel must reconcile."""
    waiting = selectors.sittings_waiting()
    form = ReleaseForm(request.POST or None, queryset=selectors.sittings_releasable())
    if request.method == "POST" and form.is_valid():
        try:
            released = services.sittings_release(
                sitting_ids=[s.pk for s in form.cleaned_data["sittings"]],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("sittings", message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s result released to its trainee.",
                    "%(n)s results released to their trainees.",
                    released,
                )
                % {"n": released},
            )
            return redirect("exams:oral_results")
    return render(
        request,
        "exams/oral/results.html",
        {"waiting": waiting, "form": form},
    )


@require_POST
@role_required(user_can_release_oral_results)
def release_one(request, sitting_id: int):
    sitting = get_object_or_404(Sitting, pk=sitting_id)
    try:
        services.sittings_release(sitting_ids=[sitting.pk], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Result released to the trainee."))
    return redirect("exams:oral_score_sheet", sitting_id=sitting.pk)


@never_cache
@role_required(user_can_take_exams)
def result(request, sitting_id: int):
    """A trainee's own result, once it is released."""
    try:
        sitting = selectors.oral_result_released(sitting_id=sitting_id)
    except Sitting.DoesNotExist:
        sitting = None
    if sitting is None or not user_can_see_oral_result(request.user, sitting):
        # Another trainee's sitting is no business of theirs, not even its
        # existence.
        raise Http404(_("There is no oral-exam result of yours with that number."))
    return render(request, "exams/oral/result.html", {"sitting": sitting})


@role_required(user_can_view_oral_agreement)
def agreement(request, oral_exam_id: int):
    oral_exam = get_object_or_404(
        OralExam.objects.select_related("course"), pk=oral_exam_id
    )
    report = selectors.oral_agreement(oral_exam=oral_exam)
    if request.GET.get("format") == "xlsx":
        from ..spreadsheets_agreement import agreement_build

        return xlsx_response(
            agreement_build(report=report), f"oral-agreement-{oral_exam.pk}.xlsx"
        )
    return render(request, "exams/oral/agreement.html", {"report": report})
