"""Examiners' oral-exam pages: their upcoming slots with who booked,
publishing a slot or a series, the day view, attendance, a slot's roster and
its export; administrators' changes to bookings."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cms.access import role_required
from cms.spreadsheets import xlsx_response

from .. import selectors, services
from ..models import Booking, OralExam, Slot
from ..oral_forms import (
    AttendanceForm,
    BookingManageForm,
    NoteForm,
    SlotFilterForm,
    SlotForm,
    SlotSeriesForm,
    errors_to_form,
)
from ..permissions import (
    slots_run_by,
    user_can_manage_any_booking,
    user_can_manage_any_slot,
    user_can_publish_slots,
)

examiner_required = role_required(user_can_publish_slots)
booking_manager_required = role_required(user_can_manage_any_booking)

UPCOMING_PAGE_SIZE = 40
EXPORT_DAYS = 31


@examiner_required
def oral_examiner(request):
    slots = selectors.examiner_slots_upcoming(user=request.user)
    return render(
        request,
        "exams/oral/examiner.html",
        {
            "page": Paginator(slots, UPCOMING_PAGE_SIZE).get_page(request.GET.get("p")),
            "today": timezone.localdate(),
            "runs_any": user_can_manage_any_slot(request.user),
        },
    )


def _initial_panel(request) -> dict:
    exam = OralExam.objects.filter(is_published=True).order_by("title").first()
    initial = {"capacity": 1, "examiners": [request.user.pk]}
    if exam is not None:
        initial["oral_exam"] = exam.pk
    initial["lead_examiner"] = request.user.pk
    return initial


@examiner_required
def oral_slot_new(request):
    form = SlotForm(request.POST or None, initial=_initial_panel(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = services.slot_publish(
                oral_exam=data["oral_exam"],
                starts_at=form.starts_at(),
                duration_minutes=form.duration(),
                place=data["place"],
                video_link=data["video_link"],
                capacity=data["capacity"],
                examiners=list(data["examiners"]),
                lead_examiner=data["lead_examiner"],
                by=request.user,
            )
        except ValidationError as error:
            errors_to_form(form, error, fields={"starts_at": "date"})
        else:
            messages.success(
                request,
                _("Slot published for %(when)s.")
                % {
                    "when": date_format(
                        timezone.localtime(slot.starts_at), "DATETIME_FORMAT"
                    )
                },
            )
            return redirect("exams:oral_examiner")
    return render(
        request,
        "exams/oral/slot_form.html",
        {"form": form, "series": False},
        status=400 if form.errors else 200,
    )


@examiner_required
def oral_slot_series(request):
    form = SlotSeriesForm(request.POST or None, initial=_initial_panel(request))
    overlaps = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.slot_series_publish(
                oral_exam=data["oral_exam"],
                starts=form.starts(),
                duration_minutes=form.duration(),
                place=data["place"],
                video_link=data["video_link"],
                capacity=data["capacity"],
                examiners=list(data["examiners"]),
                lead_examiner=data["lead_examiner"],
                by=request.user,
                skip_overlaps=data["skip_overlaps"],
            )
        except services.SlotsOverlap as error:
            overlaps = error.overlaps
            form.add_error(
                None,
                ngettext(
                    "Nothing was published: %(n)s time overlaps a slot the panel "
                    "already has (listed below). Change the series, or tick "
                    "\u201cPublish the other times\u201d to skip it.",
                    "Nothing was published: %(n)s times overlap slots the panel "
                    "already has (listed below). Change the series, or tick "
                    "\u201cPublish the other times\u201d to skip them.",
                    len(overlaps),
                )
                % {"n": len(overlaps)},
            )
        except ValidationError as error:
            errors_to_form(form, error, fields={"starts_at": "first_date"})
        else:
            created = len(report.created)
            message = ngettext(
                "%(n)s slot published.", "%(n)s slots published.", created
            ) % {"n": created}
            if report.skipped:
                message += " " + ngettext(
                    "%(n)s overlapping time skipped: %(list)s.",
                    "%(n)s overlapping times skipped: %(list)s.",
                    len(report.skipped),
                ) % {
                    "n": len(report.skipped),
                    "list": "; ".join(str(o) for o in report.skipped),
                }
            messages.success(request, message)
            return redirect("exams:oral_examiner")
    return render(
        request,
        "exams/oral/slot_form.html",
        {"form": form, "series": True, "overlaps": overlaps},
        status=400 if form.errors else 200,
    )


def _day_from(request) -> datetime.date:
    raw = request.GET.get("date", "")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        messages.error(
            request,
            _("Date: \u201c%(value)s\u201d is not a date (YYYY-MM-DD); showing today.")
            % {"value": raw[:20]},
        )
        return timezone.localdate()


@examiner_required
def oral_day(request):
    """The day's slots, to run them: who, when, where, attendance and the
    score sheet once a sitting is open."""
    day = _day_from(request)
    return render(
        request,
        "exams/oral/day.html",
        {
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "slots": list(selectors.examiner_day(user=request.user, day=day)),
            "now": timezone.now(),
            "manages_bookings": user_can_manage_any_booking(request.user),
        },
    )


@examiner_required
def oral_slot(request, slot_id: int):
    slot = selectors.slot_roster(slot_id=slot_id, user=request.user)
    if slot is None:
        raise Http404
    return render(
        request,
        "exams/oral/slot.html",
        {
            "slot": slot,
            "now": timezone.now(),
            "withdraw_form": NoteForm(),
            "manages_bookings": user_can_manage_any_booking(request.user),
            "active": [b for b in slot.roster if b.status == Booking.Status.BOOKED],
        },
    )


@require_POST
@examiner_required
def oral_slot_withdraw(request, slot_id: int):
    slot = slots_run_by(request.user, Slot.objects.filter(pk=slot_id)).first()
    if slot is None:
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.slot_withdraw(
                slot=slot, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        except PermissionDenied:
            form.add_error(None, _("You do not run this slot."))
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else _("Slot")
            for message in errors:
                messages.error(request, f"{label}: {message}")
    else:
        messages.success(request, _("Slot withdrawn."))
    return redirect("exams:oral_slot", slot_id=slot.pk)


def _booking_run_by(request, booking_id: int) -> Booking:
    booking = (
        Booking.objects.filter(
            pk=booking_id,
            slot__in=slots_run_by(request.user, Slot.objects.all()),
        )
        .select_related("slot", "oral_exam", "trainee")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def _back(request, booking: Booking):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("exams:oral_slot", slot_id=booking.slot_id)


@require_POST
@examiner_required
def oral_booking_mark(request, booking_id: int):
    """Mark a booked trainee attended (the sitting opens) or absent."""
    booking = _booking_run_by(request, booking_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("action", []):
            messages.error(request, f"{_('Attendance')}: {message}")
        return _back(request, booking)
    try:
        if form.cleaned_data["action"] == "attended":
            services.booking_mark_attended(booking=booking, by=request.user)
            messages.success(
                request,
                _("%(name)s attended; the sitting is open for scoring.")
                % {"name": booking.trainee.legal_name},
            )
        else:
            services.booking_mark_no_show(booking=booking, by=request.user)
            messages.success(
                request,
                _("%(name)s marked as not attending.")
                % {"name": booking.trainee.legal_name},
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{_('Attendance')}: {message}")
    except PermissionDenied:
        messages.error(request, _("You do not sit on this slot's panel."))
    return _back(request, booking)


@booking_manager_required
def oral_booking_manage(request, booking_id: int):
    """An administrator cancels, moves or excuses someone's booking, at any
    time before the sitting, with a note."""
    booking = _booking_run_by(request, booking_id)
    form = BookingManageForm(request.POST or None, booking=booking)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "cancel":
                services.booking_cancel(
                    booking=booking, by=request.user, note=data["note"]
                )
                done = _("Booking cancelled; the trainee and the panel are told.")
            elif data["action"] == "move":
                booking = services.booking_move(
                    booking=booking,
                    slot=data["slot"],
                    by=request.user,
                    note=data["note"],
                )
                done = _("Booking moved; the trainee and both panels are told.")
            else:
                services.booking_excuse(
                    booking=booking, by=request.user, note=data["note"]
                )
                done = _("Absence excused: it does not use an attempt.")
        except ValidationError as error:
            errors_to_form(form, error, fields={"booking": "action"})
        except PermissionDenied:
            form.add_error(None, _("You cannot change this booking."))
        else:
            messages.success(request, done)
            return redirect("exams:oral_slot", slot_id=booking.slot_id)
    return render(
        request,
        "exams/oral/booking_manage.html",
        {"booking": booking, "form": form},
        status=400 if form.errors else 200,
    )


@examiner_required
def oral_roster_export(request):
    """The roster of the slots this user runs in a range of days (from today
    for a month unless chosen), as an Excel workbook."""
    filters = SlotFilterForm(request.GET or None)
    today = timezone.localdate()
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if filters.is_bound and not filters.is_valid():
        for field, errors in filters.errors.items():
            label = filters.fields[field].label if field in filters.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}")
        return redirect(reverse("exams:oral_examiner"))
    date_from = chosen.get("date_from") or today
    date_to = chosen.get("date_to") or date_from + datetime.timedelta(days=EXPORT_DAYS)
    slots = selectors.examiner_slots_between(
        user=request.user, date_from=date_from, date_to=date_to
    )
    title = _("Oral-exam roster, %(start)s to %(end)s") % {
        "start": date_format(date_from, "DATE_FORMAT"),
        "end": date_format(date_to, "DATE_FORMAT"),
    }
    data = services.roster_workbook_build(
        rows=selectors.roster_rows(slots=slots), title=title
    )
    return xlsx_response(data, f"oral-exam-roster-{date_from}-to-{date_to}.xlsx")
