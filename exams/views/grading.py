"""Graders: the queue of essays and grading one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cms.access import role_required

from .. import selectors, services
from ..forms import EssayGradeForm
from ..models import Response
from ..permissions import (
    responses_gradable_by,
    user_can_grade,
    user_can_grade_response,
)

grader_required = role_required(user_can_grade)


GRADING_PAGE_SIZE = 50


@grader_required
def grading_queue(request):
    return render(
        request,
        "exams/grading_queue.html",
        {
            "page": Paginator(
                responses_gradable_by(
                    request.user, selectors.responses_to_grade(user=request.user)
                ),
                GRADING_PAGE_SIZE,
            ).get_page(request.GET.get("p"))
        },
    )


@never_cache
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
    if not user_can_grade_response(request.user, response):
        # Not an answer this grader may score (another course's, an attempt
        # still in progress, an auto-graded answer, their own): for them it
        # does not exist, so nothing is revealed, not even that it does.
        raise Http404
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
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            found = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {None: error.messages}
            )
            for field, errors in found.items():
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
