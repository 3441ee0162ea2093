"""Trainees take written exams here; trainers grade and analyse them."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.models import Enrollment
from courses.views.common import role_required, xlsx_response

from . import selectors, services
from .forms import EssayGradeForm, answer_from_post
from .models import Attempt, Response, WrittenExam
from .permissions import (
    user_can_grade,
    user_can_manage_exams,
    user_can_take_exams,
    user_owns_attempt,
)

trainee_required = role_required(user_can_take_exams)
grader_required = role_required(user_can_grade)
manager_required = role_required(user_can_manage_exams)


@trainee_required
def exam_list(request):
    courses = Enrollment.objects.filter(
        trainee=request.user, status=Enrollment.Status.ACTIVE
    ).values("course_id")
    exams = (
        WrittenExam.objects.filter(course_id__in=courses, is_published=True)
        .select_related("course")
        .annotate(used=Count("attempts", filter=Q(attempts__trainee=request.user)))
        .order_by("course__title", "title")
    )
    return render(request, "exams/exam_list.html", {"exams": exams})


@trainee_required
def exam_detail(request, exam_id: int):
    exam = get_object_or_404(
        WrittenExam.objects.select_related("course"), pk=exam_id, is_published=True
    )
    services.attempts_close_expired(exam=exam, trainee=request.user)
    eligibility = services.attempt_eligibility(exam=exam, trainee=request.user)
    accommodation = eligibility.accommodation
    return render(
        request,
        "exams/exam_detail.html",
        {
            "exam": exam,
            "eligibility": eligibility,
            "accommodation": accommodation,
            "allowed_minutes": (
                accommodation.extended_minutes(exam.time_limit_minutes)
                if accommodation and exam.time_limit_minutes
                else exam.time_limit_minutes
            ),
            "attempts": eligibility.attempts,
        },
    )


@require_POST
@trainee_required
def attempt_start(request, exam_id: int):
    exam = get_object_or_404(WrittenExam, pk=exam_id, is_published=True)
    try:
        attempt = services.attempt_start(exam=exam, trainee=request.user)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("exams:exam_detail", exam_id=exam.pk)
    return redirect("exams:attempt", attempt_id=attempt.pk)


def _own_attempt(request, attempt_id: int) -> Attempt:
    attempt = get_object_or_404(
        Attempt.objects.select_related("exam", "exam__course"), pk=attempt_id
    )
    if not user_owns_attempt(request.user, attempt):
        raise Http404  # another trainee's attempt does not exist, as far as you know
    return attempt


@trainee_required
def attempt_page(request, attempt_id: int):
    """One question at a time, with a navigation panel. Works without
    JavaScript: the form posts here and "Save and next" moves on."""
    attempt = services.attempt_close_if_expired(
        attempt=_own_attempt(request, attempt_id)
    )
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt_result", attempt_id=attempt.pk)
    if request.method == "POST":
        return _attempt_form_post(request, attempt)
    questions = selectors.attempt_questions(attempt=attempt)
    try:
        position = int(request.GET.get("q", 1))
    except ValueError:
        position = 1
    position = min(max(position, 1), len(questions))
    return render(
        request,
        "exams/attempt.html",
        {
            "attempt": attempt,
            "questions": questions,
            "current": questions[position - 1],
            "position": position,
            "seconds_left": attempt.seconds_left(),
            "save_url": reverse("exams:attempt_save", args=[attempt.pk]),
            # Nothing to wander off to mid-exam: the site's menus stay out.
            "focused": True,
        },
    )


def _form_save(request, attempt_id: int):
    """Save the answer a question form posted (with or without JavaScript)."""
    try:
        position = int(request.POST.get("position", ""))
        revision = int(request.POST.get("revision", ""))
        if position < 1:
            raise ValueError(position)
    except ValueError:
        raise ValidationError(_("The form was incomplete; reload the page.")) from None
    return services.attempt_save_response(
        attempt=attempt_id,
        trainee=request.user,
        position=position,
        answer=lambda content: answer_from_post(content, request.POST),
        revision=revision,
        flagged=request.POST.get("flagged") == "on",
    )


def _attempt_form_post(request, attempt):
    """ "Save and next" without JavaScript: save, then show the question the
    trainee asked for (the page keeps the number in range)."""
    try:
        receipt = _form_save(request, attempt.pk)
    except (services.AttemptClosed, services.StaleSave, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        if isinstance(error, services.AttemptClosed):
            return redirect("exams:attempt_result", attempt_id=attempt.pk)
        position = request.POST.get("position", "")
        return redirect(f"{request.path}?q={position}" if position else request.path)
    messages.success(request, _("Answer %(n)s saved.") % {"n": receipt.position})
    go = request.POST.get("go", "next")
    if go == "submit":
        return redirect("exams:attempt_submit", attempt_id=attempt.pk)
    if go.isdigit():
        target = int(go)
    else:
        target = {"next": receipt.position + 1, "previous": receipt.position - 1}.get(
            go, receipt.position
        )
    return redirect(f"{request.path}?q={max(target, 1)}")


class _Malformed(Exception):
    """A JSON save that could not have come from the attempt page."""


@require_POST
def attempt_save(request, attempt_id: int):
    """The autosave endpoint: JSON, or the question form's fields. Acknowledges
    only after the save commits.

    The busiest request of an exam, so it asks only what it must: owning the
    attempt is the permission (only trainees start attempts), checked in the
    query that locks it. A signed-out page is told so, not sent to sign in.
    """
    if not request.user.is_authenticated:
        return JsonResponse(
            {
                "ok": False,
                "code": "signed_out",
                "error": _("You have been signed out; nothing was saved."),
                "login_url": redirect_to_login(
                    reverse("exams:attempt", args=[attempt_id])
                ).url,
            },
            status=403,
        )
    try:
        if request.content_type == "application/json":
            receipt = _json_save(request, attempt_id)
        else:
            receipt = _form_save(request, attempt_id)
    except Attempt.DoesNotExist:
        raise Http404 from None  # another trainee's attempt does not exist
    except _Malformed:
        return JsonResponse(
            {"ok": False, "code": "invalid", "error": _("The request was malformed.")},
            status=400,
        )
    except (services.AttemptClosed, services.StaleSave, ValidationError) as error:
        return _save_error(error, attempt_id)
    return _receipt_json(receipt)


def _json_save(request, attempt_id: int):
    try:
        payload = json.loads(request.body or b"{}")
        position = int(payload["position"])
        revision = payload.get("revision")
        revision = int(revision) if revision is not None else None
        flagged = payload.get("flagged")
        if flagged is not None and not isinstance(flagged, bool):
            raise ValueError("flagged")
    except (ValueError, KeyError, TypeError) as error:
        raise _Malformed from error
    return services.attempt_save_response(
        attempt=attempt_id,
        trainee=request.user,
        position=position,
        answer=payload.get("answer"),
        revision=revision,
        flagged=flagged,
    )


def _receipt_json(receipt) -> JsonResponse:
    """What a save acknowledges: never more than the trainee's own answer state."""
    return JsonResponse(
        {
            "ok": True,
            "position": receipt.position,
            "revision": receipt.revision,
            "saved_at": receipt.saved_at.isoformat() if receipt.saved_at else None,
            "seconds_left": receipt.seconds_left,
            "answered": receipt.answered,
            "flagged": receipt.flagged,
        }
    )


def _save_error(error, attempt_id: int) -> JsonResponse:
    if isinstance(error, services.AttemptClosed):
        return JsonResponse(
            {
                "ok": False,
                "code": "closed",
                "error": str(error),
                "result_url": reverse("exams:attempt_result", args=[attempt_id]),
            },
            status=409,
        )
    if isinstance(error, services.StaleSave):
        return JsonResponse(
            {"ok": False, "code": "stale", "error": str(error)}, status=409
        )
    return JsonResponse(
        {"ok": False, "code": "invalid", "error": " ".join(error.messages)},
        status=400,
    )


@trainee_required
def attempt_submit(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if request.method == "POST":
        services.attempt_submit(attempt=attempt)
        return redirect("exams:attempt_result", attempt_id=attempt.pk)
    attempt = services.attempt_close_if_expired(attempt=attempt)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt_result", attempt_id=attempt.pk)
    questions = selectors.attempt_questions(attempt=attempt)
    seconds_left = attempt.seconds_left()
    return render(
        request,
        "exams/attempt_submit.html",
        {
            "attempt": attempt,
            "questions": questions,
            "unanswered": [q for q in questions if not q.answered],
            "minutes_left": None if seconds_left is None else seconds_left // 60 + 1,
            "focused": True,
        },
    )


@trainee_required
def attempt_result(request, attempt_id: int):
    attempt = services.attempt_close_if_expired(
        attempt=_own_attempt(request, attempt_id)
    )
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt", attempt_id=attempt.pk)
    show_answers = selectors.review_allows_answers(attempt=attempt, now=timezone.now())
    return render(
        request,
        "exams/attempt_result.html",
        {
            "attempt": attempt,
            "show_answers": show_answers,
            "review": selectors.attempt_review(attempt=attempt) if show_answers else [],
        },
    )


GRADING_PAGE_SIZE = 50


@grader_required
def grading_queue(request):
    return render(
        request,
        "exams/grading_queue.html",
        {
            "page": Paginator(
                selectors.responses_to_grade(user=request.user), GRADING_PAGE_SIZE
            ).get_page(request.GET.get("p"))
        },
    )


@grader_required
def grade_response(request, response_id: int):
    response = get_object_or_404(
        Response.objects.select_related(
            "attempt_question",
            "attempt_question__attempt",
            "attempt_question__attempt__exam",
            "attempt_question__attempt__trainee",
        ),
        pk=response_id,
    )
    question = response.attempt_question
    if question.attempt.trainee_id == request.user.pk:
        raise PermissionDenied
    form = EssayGradeForm(
        request.POST or None,
        max_points=question.points,
        initial={"score": response.score, "comment": response.comment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_grade(
                response=response,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Grade saved."))
            return redirect("exams:grading_queue")
    return render(
        request,
        "exams/grade_response.html",
        {"response": response, "question": question, "form": form},
    )


@manager_required
def item_analysis(request, exam_id: int):
    exam = get_object_or_404(WrittenExam.objects.select_related("course"), pk=exam_id)
    report = selectors.exam_item_analysis(exam=exam)
    if request.GET.get("format") == "xlsx":
        from .spreadsheets import item_analysis_build

        return xlsx_response(
            item_analysis_build(exam=exam, report=report),
            f"item-analysis-{exam.pk}.xlsx",
        )
    bands = [
        (10 * n, 10 * n + 10, count) for n, count in enumerate(report.test.distribution)
    ]
    return render(
        request,
        "exams/item_analysis.html",
        {"exam": exam, "report": report, "bands": bands},
    )
