"""The trainee's side: enrolling, progress, the dashboard and their hours."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.access import role_required

from .. import selectors, services
from ..forms import ExternalHoursForm
from ..models import (
    Cohort,
    CohortInvitation,
    CoursePage,
    Enrollment,
    HourEntry,
    LessonPage,
)
from ..permissions import user_can_study, user_can_submit_hours, user_can_view_evidence
from .files import private_file_response

trainee_required = role_required(user_can_study)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
@trainee_required
def enroll(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    try:
        services.enrollment_create(trainee=request.user, course=course)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request, _("You are enrolled in %(course)s.") % {"course": course.title}
        )
    return redirect(course.url)


@require_POST
@trainee_required
def request_seat(request, cohort_id: int):
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    try:
        services.seat_request(trainee=request.user, cohort=cohort)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("You have asked for a seat in %(cohort)s. A trainer will confirm it.")
            % {"cohort": cohort.name},
        )
    return redirect(cohort.course.url)


@require_POST
@trainee_required
def complete_lesson(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        _progress, credited = services.lesson_complete(
            trainee=request.user, lesson=lesson
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(lesson.url)
    if credited is not None:
        messages.success(
            request,
            _("Module complete: %(hours)s hours of %(category)s added to your hours.")
            % {
                "hours": f"{credited.hours.normalize():f}",
                "category": credited.category.name,
            },
        )
    else:
        messages.success(request, _("Lesson marked complete."))
    next_lesson = selectors.lesson_position(lesson=lesson).next
    return redirect(next_lesson.url if next_lesson else lesson.url)


@trainee_required
def dashboard(request):
    enrollments = list(
        Enrollment.objects.filter(
            trainee=request.user, status=Enrollment.Status.ACTIVE
        ).select_related("course")
    )
    progress = selectors.courses_progress(
        trainee=request.user, courses=[e.course for e in enrollments]
    )
    return render(
        request,
        "courses/learning/dashboard.html",
        {
            "progress": progress,
            "sessions": selectors.upcoming_sessions(trainee=request.user),
            "credentials": selectors.credential_progress(trainee=request.user),
            "seats": selectors.trainee_seats(trainee=request.user),
            "new_certificates": selectors.recent_certificates(trainee=request.user),
            "invitations": list(services.invitations_open_for(request.user)),
            "catalogue_url": selectors.catalogue_url(),
        },
    )


# Invitations to a seat ------------------------------------------------------


@trainee_required
def invitations(request):
    """The trainee's open invitations to cohort seats, to accept or decline."""
    return render(
        request,
        "courses/learning/invitations.html",
        {"invitations": list(services.invitations_open_for(request.user))},
    )


def _answer_invitation(request, invitation, action: str):
    try:
        if action == "accept":
            services.invitation_accept(invitation=invitation, trainee=request.user)
            messages.success(
                request,
                _("You have a seat in %(cohort)s.")
                % {"cohort": invitation.cohort.name},
            )
        else:
            services.invitation_decline(invitation=invitation, trainee=request.user)
            messages.success(
                request,
                _("You declined the invitation to %(cohort)s.")
                % {"cohort": invitation.cohort.name},
            )
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("courses:invitations")


@require_POST
@trainee_required
def invitation_decide(request, invitation_id: int, action: str):
    """Accept or decline one of one's own invitations (by its address)."""
    if action not in ("accept", "decline"):
        raise Http404
    invitation = get_object_or_404(
        CohortInvitation.objects.select_related("cohort"),
        pk=invitation_id,
        email__iexact=request.user.email,
    )
    return _answer_invitation(request, invitation, action)


@trainee_required
def invitation_link(request, token: str):
    """The emailed link: the invitation, for the account it was sent to,
    once. A link for another account is not found."""
    invitation = services.invitation_for_token(token)
    if invitation is None or invitation.email.lower() != request.user.email.lower():
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("accept", "decline"):
            raise Http404
        return _answer_invitation(request, invitation, action)
    status = 200 if invitation.is_open else 410
    return render(
        request,
        "courses/learning/invitation.html",
        {"invitation": invitation},
        status=status,
    )


@trainee_required
def my_hours(request):
    totals = selectors.hour_totals(trainee=request.user)
    return render(
        request,
        "courses/learning/hours.html",
        {
            "entries": selectors.hour_entries(trainee=request.user),
            "totals": sorted(
                totals.values(),
                key=lambda t: (t.category.sort_order, t.category.name),
            ),
        },
    )


@role_required(user_can_submit_hours)
def submit_hours(request):
    if request.method == "POST":
        form = ExternalHoursForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            entry = services.external_hours_submit(
                trainee=request.user,
                category=data["category"],
                hours=data["hours"],
                earned_on=data["earned_on"],
                description=data["description"],
                provider=data["provider"],
                evidence=data["evidence"],
                submission_id=data["submission_id"],
            )
            if entry is None:
                messages.info(request, _("These hours were already submitted."))
            else:
                messages.success(
                    request,
                    _(
                        "Submitted. The hours stay pending until a trainer verifies "
                        "your certificate."
                    ),
                )
            return redirect("courses:my_hours")
    else:
        form = ExternalHoursForm()
    return render(request, "courses/learning/submit_hours.html", {"form": form})


def evidence(request, entry_id: int):
    """Stream an uploaded certificate to the few people allowed to see it."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    entry = get_object_or_404(HourEntry.objects.select_related("trainee"), pk=entry_id)
    if not user_can_view_evidence(request.user, entry):
        raise Http404  # another trainee's certificate does not exist for you
    return private_file_response(entry.evidence, name=f"certificate-{entry.pk}")
