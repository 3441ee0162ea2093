"""A trainee's oral exam: whether they may book and why not, the open slots,
booking, moving and cancelling, and the calendar file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.access import role_required

from .. import selectors, services
from ..calendar import CANCEL, REQUEST, booking_ics
from ..models import Booking, OralExam
from ..oral_forms import BookForm, NoteForm, SlotFilterForm, errors_to_form
from ..permissions import user_can_book_oral

trainee_required = role_required(user_can_book_oral)

SLOTS_PAGE_SIZE = 60


def _oral_exam_for(request, oral_exam_id: int) -> OralExam:
    """A published oral exam, or one the trainee has booked before (so a
    booking stays in view if the exam is closed later)."""
    exam = (
        OralExam.objects.select_related("course", "written_exam")
        .filter(pk=oral_exam_id)
        .first()
    )
    if exam is None or not (
        exam.is_published
        or Booking.objects.filter(oral_exam=exam, trainee=request.user).exists()
    ):
        raise Http404
    return exam


def _active_booking(*, exam: OralExam, trainee) -> Booking | None:
    return (
        Booking.objects.filter(
            oral_exam=exam, trainee=trainee, status=Booking.Status.BOOKED
        )
        .select_related("slot", "slot__lead_examiner")
        .prefetch_related("slot__examiners")
        .first()
    )


@trainee_required
def oral_exam(request, oral_exam_id: int):
    exam = _oral_exam_for(request, oral_exam_id)
    now = timezone.now()
    eligibility = selectors.oral_eligibility(
        oral_exam=exam, trainee=request.user, now=now
    )
    booking = _active_booking(exam=exam, trainee=request.user)
    cancel_until = selectors.booking_cancel_until(booking) if booking else None
    moving = (
        selectors.oral_eligibility(
            oral_exam=exam, trainee=request.user, now=now, moving=True
        )
        if booking
        else None
    )
    return render(
        request,
        "exams/oral/oral_exam.html",
        {
            "exam": exam,
            "eligibility": eligibility,
            "booking": booking,
            "cancel_until": cancel_until,
            "can_change": booking is not None and now < cancel_until,
            "can_move": moving is not None and moving.allowed,
            "past_bookings": [
                b for b in eligibility.bookings if b.status != Booking.Status.BOOKED
            ],
            "results": selectors.oral_results_released(
                trainee=request.user, oral_exam=exam
            ),
        },
    )


def _slots_page(request, exam: OralExam, *, book_form: BookForm | None = None):
    now = timezone.now()
    booking = _active_booking(exam=exam, trainee=request.user)
    eligibility = selectors.oral_eligibility(
        oral_exam=exam, trainee=request.user, now=now, moving=booking is not None
    )
    filters = SlotFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = None
    if eligibility.allowed:
        slots = selectors.slots_open(
            oral_exam=exam,
            now=now,
            earliest=eligibility.earliest_start,
            date_from=chosen.get("date_from"),
            date_to=chosen.get("date_to"),
            mode=chosen.get("mode") or "",
            exclude_slot=booking.slot if booking else None,
        )
        page = Paginator(slots, SLOTS_PAGE_SIZE).get_page(request.GET.get("p"))
    days: dict = {}
    for slot in page or ():
        days.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "exams/oral/slot_list.html",
        {
            "exam": exam,
            "eligibility": eligibility,
            "booking": booking,
            "filters": filters,
            "page": page,
            "days": list(days.items()),
            "query": query.urlencode(),
            "book_form": book_form,
        },
        status=400 if book_form is not None and book_form.errors else 200,
    )


@trainee_required
def oral_slots(request, oral_exam_id: int):
    """The open slots as a day list; posting one books it, or moves the
    trainee's booking to it."""
    exam = _oral_exam_for(request, oral_exam_id)
    if request.method != "POST":
        return _slots_page(request, exam)
    form = BookForm(request.POST, oral_exam=exam)
    if form.is_valid():
        booking = _active_booking(exam=exam, trainee=request.user)
        try:
            # Moving is asked for explicitly, so a stale page never moves a
            # booking the trainee made since in another tab.
            if booking is None or "move" not in request.POST:
                services.booking_create(
                    slot=form.cleaned_data["slot"], trainee=request.user
                )
                messages.success(
                    request,
                    _(
                        "Booked. A confirmation with a calendar invitation is on "
                        "its way."
                    ),
                )
            else:
                services.booking_move(
                    booking=booking, slot=form.cleaned_data["slot"], by=request.user
                )
                messages.success(
                    request,
                    _("Moved. The new time and a calendar update are on their way."),
                )
        except ValidationError as error:
            errors_to_form(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot change this booking."))
        else:
            return redirect("exams:oral_exam", oral_exam_id=exam.pk)
    return _slots_page(request, exam, book_form=form)


@trainee_required
def oral_booking_cancel(request, booking_id: int):
    booking = selectors.trainee_booking(trainee=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    form = NoteForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.booking_cancel(booking=booking, by=request.user)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request, _("Cancelled. A cancellation for your calendar is on its way.")
            )
            return redirect("exams:oral_exam", oral_exam_id=booking.oral_exam_id)
    return render(
        request,
        "exams/oral/booking_cancel.html",
        {
            "booking": booking,
            "form": form,
            "cancel_until": selectors.booking_cancel_until(booking),
        },
        status=400 if form.errors else 200,
    )


@trainee_required
def oral_booking_calendar(request, booking_id: int):
    """ "Add to calendar": the same file the confirmation email carries."""
    booking = selectors.trainee_booking(trainee=request.user, booking_id=booking_id)
    if booking is None:
        raise Http404
    method = CANCEL if booking.status == Booking.Status.CANCELLED else REQUEST
    response = HttpResponse(
        booking_ics(booking=booking, method=method),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="oral-exam.ics"'
    return response
