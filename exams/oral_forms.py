"""Forms of the oral-exam slot and booking pages. They check the shape of
what was posted; the rules (panels, overlaps, capacity, cutoffs) are the
services', whose errors the views put back on the field they name."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.fields import ModelMultipleChoiceField

from .calendar import site_zone_name
from .models import OralExam, Slot
from .permissions import SCORE_ORAL
from .selectors.oral_booking import PLACE, VIDEO

MAX_SERIES = 300

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def examiners_queryset():
    """Active people granted to score oral exams: who can sit on a panel."""
    return (
        ModelBackend()
        .with_perm(SCORE_ORAL, include_superusers=False)
        .order_by("last_name", "first_name", "pk")
    )


class ExaminerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class ExaminersChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


def _zone_help(text) -> str:
    return _("%(text)s, in %(zone)s.") % {"text": text, "zone": site_zone_name()}


class _SlotFieldsForm(forms.Form):
    """What every slot has: exam, place or link, places, panel."""

    oral_exam = forms.ModelChoiceField(
        label=_("Oral exam"),
        queryset=OralExam.objects.select_related("course").order_by("title"),
        error_messages={"invalid_choice": _("Choose an oral exam from the list.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        required=False,
        min_value=5,
        max_value=480,
        help_text=_("Leave empty for the oral exam's own duration."),
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=300,
        help_text=_("An address or a room."),
    )
    video_link = forms.CharField(
        label=_("Video link"),
        required=False,
        max_length=200,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_("Shown only to the booked trainee and the panel."),
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, max_value=50, initial=1
    )
    examiners = ExaminersChoiceField(
        label=_("Panel"),
        queryset=examiners_queryset(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose examiners from the list.")},
    )
    lead_examiner = ExaminerChoiceField(
        label=_("Lead examiner"),
        queryset=examiners_queryset(),
        help_text=_("Records the agreed level when the panel must reconcile."),
        error_messages={"invalid_choice": _("Choose the lead examiner from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is built, so examiners granted since appear.
        self.fields["examiners"].queryset = examiners_queryset()
        self.fields["lead_examiner"].queryset = examiners_queryset()

    def clean(self):
        cleaned = super().clean()
        if (
            "place" in cleaned
            and "video_link" in cleaned
            and not cleaned["place"].strip()
            and not cleaned["video_link"].strip()
        ):
            self.add_error("place", _("Give a place, a video link, or both."))
        return cleaned

    def duration(self) -> int:
        return (
            self.cleaned_data.get("duration_minutes")
            or self.cleaned_data["oral_exam"].duration_minutes
        )


class SlotForm(_SlotFieldsForm):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    field_order = [
        "oral_exam",
        "date",
        "start_time",
        "duration_minutes",
        "place",
        "video_link",
        "capacity",
        "examiners",
        "lead_examiner",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_time"].help_text = _zone_help(_("The time the slot starts"))

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(
                self.cleaned_data["date"], self.cleaned_data["start_time"]
            )
        )


class SlotSeriesForm(_SlotFieldsForm):
    """Many slots at once, such as Tuesdays and Thursdays from 9:00 to 15:00,
    every 45 minutes, for three weeks."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose days of the week from the list.")},
    )
    first_date = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day the series may fall on."),
    )
    weeks = forms.IntegerField(
        label=_("For how many weeks"), min_value=1, max_value=12, initial=3
    )
    day_start = forms.TimeField(
        label=_("First slot starts"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        initial=datetime.time(9, 0),
    )
    day_end = forms.TimeField(
        label=_("Last slot ends by"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        initial=datetime.time(15, 0),
    )
    every_minutes = forms.IntegerField(
        label=_("A slot starts every (minutes)"), min_value=5, max_value=480, initial=45
    )
    skip_overlaps = forms.BooleanField(
        label=_("Publish the other times and skip those that overlap"),
        required=False,
        help_text=_(
            "Without this, nothing is published when any time overlaps a slot "
            "the panel already has; the overlapping times are listed."
        ),
    )
    field_order = [
        "oral_exam",
        "weekdays",
        "first_date",
        "weeks",
        "day_start",
        "day_end",
        "every_minutes",
        "duration_minutes",
        "place",
        "video_link",
        "capacity",
        "examiners",
        "lead_examiner",
        "skip_overlaps",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day_start"].help_text = _zone_help(_("Each chosen day"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("day_start"), cleaned.get("day_end")
        if start and end and end <= start:
            self.add_error("day_end", _("End the day after its first slot starts."))
        first = cleaned.get("first_date")
        if first and first < timezone.localdate():
            self.add_error("first_date", _("Choose today or a later day."))
        every = cleaned.get("every_minutes")
        if every and cleaned.get("oral_exam") and every < self.duration():
            self.add_error(
                "every_minutes",
                _(
                    "Slots would overlap each other: start one at most every "
                    "%(n)s minutes, the duration."
                )
                % {"n": self.duration()},
            )
        if not self.errors and len(self.starts()) > MAX_SERIES:
            self.add_error(
                "weeks",
                _("That makes %(n)s slots; publish at most %(max)s at once.")
                % {"n": len(self.starts()), "max": MAX_SERIES},
            )
        elif not self.errors and not self.starts():
            self.add_error(
                "weekdays",
                _("No slot fits: check the days, the hours and the duration."),
            )
        return cleaned

    def starts(self) -> list[datetime.datetime]:
        from .selectors import slot_series_starts

        data = self.cleaned_data
        return slot_series_starts(
            weekdays=data["weekdays"],
            first_day=data["first_date"],
            weeks=data["weeks"],
            day_start=data["day_start"],
            day_end=data["day_end"],
            every_minutes=data["every_minutes"],
            duration_minutes=self.duration(),
        )


class SlotFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mode = forms.ChoiceField(
        label=_("Where"),
        required=False,
        choices=[
            ("", _("In person or by video")),
            (PLACE, _("In person")),
            (VIDEO, _("By video")),
        ],
        error_messages={"invalid_choice": _("Choose in person, by video or either.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("End the range on or after its first day."))
        return cleaned


class BookForm(forms.Form):
    """A slot of this oral exam; whether it can be booked is the service's
    to say, so a full or past slot gets its own reason."""

    slot = forms.ModelChoiceField(
        label=_("Slot"),
        queryset=Slot.objects.none(),
        error_messages={
            "invalid_choice": _("Choose a slot from the list of open slots."),
            "required": _("Choose a slot from the list of open slots."),
        },
    )

    def __init__(self, *args, oral_exam: OralExam, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = Slot.objects.filter(oral_exam=oral_exam)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Attendance"),
        choices=[("attended", _("Attended")), ("no_show", _("Did not attend"))],
        error_messages={"invalid_choice": _("Mark the trainee attended or absent.")},
    )


class BookingManageForm(forms.Form):
    """What an administrator does with someone's booking, with the reason."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("cancel", _("Cancel the booking")),
            ("move", _("Move it to another slot")),
            ("excuse", _("Excuse the absence")),
        ],
        error_messages={"invalid_choice": _("Choose what to do from the list.")},
    )
    slot = forms.ModelChoiceField(
        label=_("New slot"),
        required=False,
        queryset=Slot.objects.none(),
        error_messages={"invalid_choice": _("Choose a slot from the list.")},
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why, for the trainee and the record."),
    )

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = (
            Slot.objects.filter(
                oral_exam=booking.oral_exam_id,
                cancelled_at__isnull=True,
                starts_at__gt=timezone.now(),
            )
            .exclude(pk=booking.slot_id)
            .order_by("starts_at", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "move" and not cleaned.get("slot"):
            self.add_error("slot", _("Choose the slot to move the booking to."))
        return cleaned


def errors_to_form(form: forms.Form, error: ValidationError, *, fields=None) -> None:
    """Put a service's errors on the form fields they name (``fields`` maps a
    service's name to the form's), the rest above the form."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.message_dict.items():
        target = fields.get(name, name)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)
