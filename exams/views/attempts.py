"""Sitting an attempt: one question at a time, autosave, submit, result."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cms.access import role_required, second_factor_exempt

from .. import selectors, services
from ..forms import answer_from_post
from ..models import Attempt
from ..permissions import user_can_sit_attempt, user_can_take_exams

trainee_required = role_required(user_can_take_exams)


def _own_attempt(request, attempt_id: int, related=("exam", "exam__course")) -> Attempt:
    attempt = get_object_or_404(Attempt.objects.select_related(*related), pk=attempt_id)
    if not user_can_sit_attempt(request.user, attempt):
        raise Http404  # another trainee's attempt does not exist, as far as you know
    return attempt


@never_cache
@trainee_required
def attempt_page(request, attempt_id: int):
    """One question at a time, with a navigation panel. Works without
    JavaScript: the form posts here and "Save and next" moves on."""
    attempt = services.attempt_close_if_expired(
        # The page shows the exam's title, nothing of its course.
        attempt=_own_attempt(request, attempt_id, related=("exam",))
    )
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt_result", attempt_id=attempt.pk)
    if request.method == "POST":
        return _attempt_form_post(request, attempt)
    try:
        position = max(int(request.GET.get("q", 1)), 1)
    except ValueError:
        position = 1
    questions = selectors.attempt_questions(attempt=attempt, content_at=position)
    if position > len(questions):  # past the last: show the last
        position = len(questions)
        questions = selectors.attempt_questions(attempt=attempt, content_at=position)
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


@second_factor_exempt
@never_cache
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


@never_cache
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


@never_cache
@trainee_required
def attempt_result(request, attempt_id: int):
    attempt = services.attempt_close_if_expired(
        attempt=_own_attempt(request, attempt_id)
    )
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("exams:attempt", attempt_id=attempt.pk)
    show_answers = selectors.review_allows_answers(attempt=attempt, now=timezone.now())
    graded = attempt.state == Attempt.State.GRADED
    return render(
        request,
        "exams/attempt_result.html",
        {
            "attempt": attempt,
            "show_answers": show_answers,
            "review": selectors.attempt_review(attempt=attempt) if show_answers else [],
            # A score like the total: shown whenever the total is, never answers.
            "domain_scores": selectors.attempt_domain_scores(attempt=attempt)
            if graded
            else [],
        },
    )
