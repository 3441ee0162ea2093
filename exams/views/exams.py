"""A trainee's written exams: the list, an exam's page, starting an attempt."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cms.access import role_required
from courses.models import Enrollment

from .. import selectors, services
from ..models import WrittenExam
from ..permissions import user_can_take_exams

trainee_required = role_required(user_can_take_exams)


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
    return render(
        request,
        "exams/exam_list.html",
        {
            "exams": exams,
            "oral_exams": selectors.trainee_oral_exams(trainee=request.user),
        },
    )


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
            "allowed_minutes": exam.time_limit_for(accommodation),
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
