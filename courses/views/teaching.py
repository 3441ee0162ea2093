"""Trainers and administrators: cohorts, class days, attendance, verification."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.access import role_required
from cms.models import User
from cms.spreadsheets import xlsx_response

from .. import selectors, services, spreadsheets, spreadsheets_attendance
from ..forms import (
    AttendanceForm,
    ClassSessionForm,
    CohortForm,
    RejectForm,
    SeatAddForm,
    SignInSheetUploadForm,
)
from ..models import (
    Attendance,
    ClassSession,
    Cohort,
    CohortInvitation,
    CohortSeat,
    Credential,
    HourEntry,
)
from ..permissions import (
    cohorts_managed_by,
    user_can_add_cohort,
    user_can_decide_entry,
    user_can_export_ledgers,
    user_can_manage_cohort,
    user_can_seat_directly,
    user_can_teach,
    user_can_verify_hours,
    user_can_view_ledger,
    users_who_can_study,
)

teacher_required = role_required(user_can_teach)
verifier_required = role_required(user_can_verify_hours)
ledger_viewer_required = role_required(user_can_export_ledgers)


# A cohort the user does not run, and its class days, do not exist for them:
# 404, not 403, so ids reveal nothing. The teaching pages themselves answer
# 403 to people who teach nothing (``teacher_required``).


def _managed_cohort(request, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(Cohort.objects.select_related("course"), pk=cohort_id)
    if not user_can_manage_cohort(request.user, cohort):
        raise Http404
    return cohort


def _managed_session(request, session_id: int) -> ClassSession:
    session = get_object_or_404(
        ClassSession.objects.select_related("cohort", "cohort__course"), pk=session_id
    )
    if not user_can_manage_cohort(request.user, session.cohort):
        raise Http404
    return session


@teacher_required
def home(request):
    cohorts = Cohort.objects.select_related("course").annotate(
        confirmed=Count("seats", filter=Q(seats__status=CohortSeat.Status.CONFIRMED)),
        requested=Count("seats", filter=Q(seats__status=CohortSeat.Status.REQUESTED)),
    )
    cohorts = cohorts_managed_by(request.user, cohorts)
    return render(
        request,
        "courses/teaching/home.html",
        {
            "cohorts": cohorts.order_by("-start_date"),
            "pending_count": len(selectors.pending_entries_for(user=request.user)),
        },
    )


@role_required(user_can_add_cohort)
def cohort_create(request):
    form = CohortForm(
        request.POST or None, initial={"trainers": [request.user.pk]}, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        cohort = form.save()
        messages.success(request, _("Cohort created."))
        return redirect("courses:cohort_detail", cohort_id=cohort.pk)
    return render(
        request, "courses/teaching/cohort_form.html", {"form": form, "cohort": None}
    )


@teacher_required
def cohort_edit(request, cohort_id: int):
    cohort = _managed_cohort(request, cohort_id)
    form = CohortForm(request.POST or None, instance=cohort, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Cohort saved."))
        return redirect("courses:cohort_detail", cohort_id=cohort.pk)
    return render(
        request, "courses/teaching/cohort_form.html", {"form": form, "cohort": cohort}
    )


@teacher_required
def cohort_detail(request, cohort_id: int):
    cohort = _managed_cohort(request, cohort_id)
    seats = list(
        cohort.seats.select_related("trainee").order_by("status", "requested_at")
    )
    confirmed = sum(1 for seat in seats if seat.status == CohortSeat.Status.CONFIRMED)
    return render(
        request,
        "courses/teaching/cohort_detail.html",
        {
            "cohort": cohort,
            "seats": seats,
            "confirmed": confirmed,
            "seats_left": max(cohort.capacity - confirmed, 0),
            "sessions": cohort.sessions.prefetch_related("modules"),
            "trainers": cohort.trainers.all(),
            "add_form": SeatAddForm(),
            "seats_directly": user_can_seat_directly(request.user, cohort),
            "invitations": cohort.invitations.filter(
                status=CohortInvitation.Status.PENDING
            ).order_by("-created_at")[:100],
        },
    )


@require_POST
@teacher_required
def seat_decide(request, cohort_id: int, seat_id: int, action: str):
    cohort = _managed_cohort(request, cohort_id)
    seat = get_object_or_404(CohortSeat, pk=seat_id, cohort=cohort)
    try:
        if action == "confirm":
            services.seat_confirm(seat=seat, by=request.user)
            messages.success(request, _("Seat confirmed."))
        elif action == "decline":
            services.seat_decline(seat=seat, by=request.user)
            messages.success(request, _("Request declined."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("courses:cohort_detail", cohort_id=cohort.pk)


INVITATION_SENT = _(
    "If that address belongs to an account, an invitation has been sent. "
    "The trainee has a seat once they accept it."
)


@require_POST
@teacher_required
def seat_add(request, cohort_id: int):
    """Administrators give a seat at once; trainers invite, and what they
    are told is the same whether or not the address has an account."""
    cohort = _managed_cohort(request, cohort_id)
    form = SeatAddForm(request.POST)
    if form.is_valid() and not user_can_seat_directly(request.user, cohort):
        try:
            services.invitation_create(
                cohort=cohort, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            for message in error.message_dict.get("email", error.messages):
                form.add_error("email", message)
        else:
            messages.success(request, INVITATION_SENT)
            return redirect("courses:cohort_detail", cohort_id=cohort.pk)
    elif form.is_valid():
        try:
            services.seat_add(
                cohort=cohort, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            for message in error.message_dict.get("email", error.messages):
                form.add_error("email", message)
        else:
            messages.success(request, _("Trainee added to the cohort."))
            return redirect("courses:cohort_detail", cohort_id=cohort.pk)
    for message in form.errors.get("email", []):
        messages.error(request, _("Email address: %(message)s") % {"message": message})
    return redirect("courses:cohort_detail", cohort_id=cohort.pk)


@teacher_required
def session_create(request, cohort_id: int):
    cohort = _managed_cohort(request, cohort_id)
    form = ClassSessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, _("Class day added."))
        return redirect("courses:session_detail", session_id=session.pk)
    return render(
        request, "courses/teaching/session_form.html", {"form": form, "cohort": cohort}
    )


def _session_roster(session: ClassSession):
    trainees = list(
        User.objects.filter(
            cohort_seats__cohort=session.cohort,
            cohort_seats__status=CohortSeat.Status.CONFIRMED,
        ).order_by("legal_name", "email")
    )
    current = {a.trainee_id: a for a in Attendance.objects.filter(session=session)}
    return trainees, current


@teacher_required
def session_detail(request, session_id: int):
    """Record attendance for a class day, by form or by sign-in sheet."""
    session = _managed_session(request, session_id)
    trainees, current = _session_roster(session)
    form = AttendanceForm(
        request.POST or None, session=session, trainees=trainees, current=current
    )
    if request.method == "POST" and form.is_valid():
        changed = 0
        for trainee, status, minutes in form.marks():
            before = current.get(trainee.pk)
            services.attendance_record(
                session=session,
                trainee=trainee,
                status=status,
                minutes=minutes,
                by=request.user,
            )
            if before is None or (before.status, before.minutes_present) != (
                status,
                minutes,
            ):
                changed += 1
        messages.success(
            request,
            _("Attendance saved: %(count)s marks changed.") % {"count": changed},
        )
        return redirect("courses:session_detail", session_id=session.pk)
    return render(
        request,
        "courses/teaching/session_detail.html",
        {
            "session": session,
            "form": form,
            "modules": session.modules.select_related("hour_category"),
            "upload_form": SignInSheetUploadForm(),
            "problems": [],
        },
    )


@teacher_required
def sign_in_sheet(request, session_id: int):
    session = _managed_session(request, session_id)
    trainees, current = _session_roster(session)
    data = spreadsheets_attendance.sign_in_sheet_build(
        session=session, trainees=trainees, attendance=current
    )
    name = slugify(f"sign-in-{session.cohort.name}-{session.date}")
    return xlsx_response(data, f"{name}.xlsx")


@teacher_required
def sign_in_sheet_upload(request, session_id: int):
    session = _managed_session(request, session_id)
    if request.method != "POST":
        return redirect("courses:session_detail", session_id=session.pk)
    trainees, current = _session_roster(session)
    upload_form = SignInSheetUploadForm(request.POST, request.FILES)
    problems = []
    if upload_form.is_valid():
        data = upload_form.cleaned_data["sheet"].read()
        rows, problems = spreadsheets_attendance.sign_in_sheet_parse(
            data=data, session=session, trainee_ids={t.pk for t in trainees}
        )
        if not problems:
            applied = services.attendance_upload_apply(
                session=session, data=data, rows=rows, by=request.user
            )
            if applied is None:
                messages.info(
                    request,
                    _("This sign-in sheet was already applied; nothing changed."),
                )
            else:
                messages.success(
                    request,
                    _("Sign-in sheet applied: %(count)s trainees recorded.")
                    % {"count": applied},
                )
            return redirect("courses:session_detail", session_id=session.pk)
    form = AttendanceForm(session=session, trainees=trainees, current=current)
    return render(
        request,
        "courses/teaching/session_detail.html",
        {
            "session": session,
            "form": form,
            "modules": session.modules.select_related("hour_category"),
            "upload_form": upload_form,
            "problems": problems,
        },
        status=400,
    )


@teacher_required
def cohort_progress(request, cohort_id: int):
    cohort = _managed_cohort(request, cohort_id)
    grid = selectors.cohort_progress_grid(cohort=cohort)
    if request.GET.get("format") == "xlsx":
        name = slugify(f"progress-{cohort.name}")
        return xlsx_response(
            spreadsheets.progress_grid_build(grid=grid), f"{name}.xlsx"
        )
    return render(
        request,
        "courses/teaching/cohort_progress.html",
        {"cohort": cohort, "grid": grid},
    )


@verifier_required
def verification_queue(request):
    return render(
        request,
        "courses/teaching/verification_queue.html",
        {
            "entries": selectors.pending_entries_for(user=request.user),
            "reject_form": RejectForm(),
        },
    )


@require_POST
@verifier_required
def entry_decide(request, entry_id: int, action: str):
    entry = get_object_or_404(HourEntry.objects.select_related("trainee"), pk=entry_id)
    if action not in ("verify", "reject"):
        raise Http404
    if not user_can_decide_entry(request.user, entry):
        # 403 to whoever sees these hours (their trainer, once decided);
        # for anyone else they do not exist.
        if user_can_view_ledger(request.user, entry.trainee):
            raise PermissionDenied
        raise Http404
    form = RejectForm(request.POST) if action == "reject" else None
    if form is not None and not form.is_valid():
        messages.error(
            request,
            _("Reason: say why the hours are rejected; the trainee will see it."),
        )
        return redirect("courses:verification_queue")
    try:
        services.entry_decide(
            entry=entry,
            by=request.user,
            verify=action == "verify",
            reason=form.cleaned_data["reason"] if form else "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Hours verified.") if action == "verify" else _("Hours rejected."),
        )
    return redirect("courses:verification_queue")


@ledger_viewer_required
def trainee_list(request):
    query = request.GET.get("q", "").strip()
    trainees = users_who_can_study()
    if query:
        trainees = trainees.filter(
            Q(email__icontains=query)
            | Q(legal_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return render(
        request,
        "courses/teaching/trainee_list.html",
        {"trainees": trainees.order_by("legal_name")[:200], "query": query},
    )


@ledger_viewer_required
def trainee_ledger(request, trainee_id: int):
    trainee = get_object_or_404(User, pk=trainee_id)
    credentials = list(Credential.objects.order_by("name"))
    credential = next(
        (c for c in credentials if str(c.pk) == request.GET.get("credential")),
        credentials[-1] if credentials else None,
    )
    topics = selectors.trainee_ledger_report(trainee=trainee, credential=credential)
    if request.GET.get("format") == "xlsx":
        data = spreadsheets.ledger_build(
            trainee=trainee, credential=credential, topics=topics
        )
        return xlsx_response(data, f"verification-of-training-{trainee.pk}.xlsx")
    return render(
        request,
        "courses/teaching/trainee_ledger.html",
        {
            "trainee": trainee,
            "topics": topics,
            "credential": credential,
            "credentials": credentials,
        },
    )
