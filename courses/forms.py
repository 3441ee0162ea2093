"""Forms for trainees and trainers. Every field is labelled and validated."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.fields import ModelChoiceField, ModelMultipleChoiceField
from cms.models import User
from cms.uploads import check_size

from .models import (
    Attendance,
    ClassSession,
    Cohort,
    CohortSeat,
    CoursePage,
    HourCategory,
    ModulePage,
)
from .permissions import RUN_ANY_COHORT, courses_open_for_cohorts, users_who_can_teach
from .validators import validate_evidence_file

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TrainerChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.email})"


class CohortForm(forms.ModelForm):
    video_link = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("For days held by video call."),
    )
    trainers = TrainerChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Trainers"),
    )

    class Meta:
        model = Cohort
        fields = [
            "course",
            "name",
            "start_date",
            "end_date",
            "location",
            "video_link",
            "capacity",
            "trainers",
            "accepting_requests",
        ]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        field_classes = {"course": ModelChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["course"].queryset = courses_open_for_cohorts(
            user, CoursePage.objects.live()
        ).order_by("title")
        self.fields["trainers"].queryset = users_who_can_teach().order_by("legal_name")
        if self.instance.pk:
            self.fields["course"].queryset = CoursePage.objects.filter(
                pk=self.instance.course_id
            )
            self.fields["course"].disabled = True
        elif not self.fields["course"].queryset.exists():
            self.fields["course"].help_text = _(
                "You are not assigned to teach any course yet; an administrator "
                "assigns trainers to courses."
            )

    def _clean_trainers_assigned(self, cleaned) -> None:
        """Without the power to run any cohort, a person names only trainers
        an administrator assigned to the course: naming someone a cohort's
        trainer opens its trainees' records and its course's essays to them."""
        course, trainers = cleaned.get("course"), cleaned.get("trainers")
        if course is None or trainers is None or self.user.has_perm(RUN_ANY_COHORT):
            return
        assigned = set(course.trainer_assignments.values_list("trainer_id", flat=True))
        before = (
            set(self.instance.trainers.values_list("pk", flat=True))
            if (self.instance.pk)
            else set()
        )
        strangers = [t for t in trainers if t.pk not in assigned | before]
        if strangers:
            self.add_error(
                "trainers",
                _(
                    "%(names)s: not assigned to teach %(course)s; an administrator "
                    "assigns trainers to courses."
                )
                % {
                    "names": ", ".join(t.get_full_name() for t in strangers),
                    "course": course.title,
                },
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("The end date must be on or after the start date.")
            )
        if not cleaned.get("location") and not cleaned.get("video_link"):
            self.add_error("location", _("Give a place, a video link, or both."))
        self._clean_trainers_assigned(cleaned)
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            confirmed = self.instance.seats.filter(
                status=CohortSeat.Status.CONFIRMED
            ).count()
            if capacity < confirmed:
                self.add_error(
                    "capacity",
                    _(
                        "%(count)s trainees already have seats; the capacity cannot "
                        "be lower."
                    )
                    % {"count": confirmed},
                )
        return cleaned


class ModuleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.credit_hours.normalize():f} h, {obj.hour_category})"


class ClassSessionForm(forms.ModelForm):
    modules = ModuleChoiceField(
        queryset=ModulePage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Modules covered"),
    )

    class Meta:
        model = ClassSession
        fields = ["date", "start_time", "end_time", "modules", "notes"]
        widgets = {
            "date": DATE_INPUT,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        self.fields["modules"].queryset = (
            ModulePage.objects.live()
            .child_of(cohort.course)
            .select_related("hour_category")
            .order_by("path")
        )

    def clean(self):
        cleaned = super().clean()
        day, start, end = (
            cleaned.get("date"),
            cleaned.get("start_time"),
            cleaned.get("end_time"),
        )
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        if day and not (self.cohort.start_date <= day <= self.cohort.end_date):
            self.add_error(
                "date",
                _("Choose a date within the cohort (%(start)s to %(end)s).")
                % {"start": self.cohort.start_date, "end": self.cohort.end_date},
            )
        return cleaned

    def save(self, commit=True):
        self.instance.cohort = self.cohort
        return super().save(commit)


class SeatAddForm(forms.Form):
    email = forms.EmailField(label=_("Trainee's email address"))


class AttendanceForm(forms.Form):
    """One status and minutes pair per trainee with a seat."""

    def __init__(self, *args, session: ClassSession, trainees, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.trainees = list(trainees)
        for trainee in self.trainees:
            mark = current.get(trainee.pk)
            self.fields[f"status_{trainee.pk}"] = forms.ChoiceField(
                label=_("Status for %(name)s") % {"name": trainee.legal_name},
                choices=[("", _("Not marked")), *Attendance.Status.choices],
                required=False,
                initial=mark.status if mark else "",
            )
            self.fields[f"minutes_{trainee.pk}"] = forms.IntegerField(
                label=_("Minutes present for %(name)s") % {"name": trainee.legal_name},
                min_value=0,
                max_value=session.duration_minutes,
                required=False,
                initial=mark.minutes_present if mark else None,
            )

    def rows(self):
        for trainee in self.trainees:
            yield trainee, self[f"status_{trainee.pk}"], self[f"minutes_{trainee.pk}"]

    def clean(self):
        cleaned = super().clean()
        from .services import validate_attendance

        for trainee in self.trainees:
            status = cleaned.get(f"status_{trainee.pk}")
            minutes = cleaned.get(f"minutes_{trainee.pk}")
            if not status:
                if minutes not in (None, ""):
                    self.add_error(
                        f"status_{trainee.pk}", _("Choose a status for these minutes.")
                    )
                continue
            if minutes is None:
                if status == Attendance.Status.ABSENT:
                    cleaned[f"minutes_{trainee.pk}"] = minutes = 0
                elif status == Attendance.Status.PRESENT:
                    cleaned[f"minutes_{trainee.pk}"] = minutes = (
                        self.session.duration_minutes
                    )
            if minutes is None:
                self.add_error(
                    f"minutes_{trainee.pk}",
                    _("Enter the minutes the trainee was present."),
                )
                continue
            try:
                validate_attendance(
                    session=self.session, status=status, minutes=minutes
                )
            except forms.ValidationError as error:
                for message in error.message_dict.get("minutes_present", []):
                    self.add_error(f"minutes_{trainee.pk}", message)
        return cleaned

    def marks(self):
        """(trainee, status, minutes) for every marked row."""
        for trainee in self.trainees:
            status = self.cleaned_data.get(f"status_{trainee.pk}")
            if status:
                yield trainee, status, self.cleaned_data[f"minutes_{trainee.pk}"]


class SignInSheetUploadForm(forms.Form):
    sheet = forms.FileField(
        label=_("Filled sign-in sheet (.xlsx)"),
        help_text=_(
            "The workbook downloaded from this page, with Status and "
            "Minutes present filled in."
        ),
    )

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        check_size(sheet, limit=settings.SIGN_IN_SHEET_MAX_SIZE)
        return sheet


class ExternalHoursForm(forms.Form):
    category = ModelChoiceField(
        queryset=HourCategory.objects.all(), label=_("Hour category")
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("200"),
        decimal_places=2,
        max_digits=6,
    )
    earned_on = forms.DateField(label=_("Date completed"), widget=DATE_INPUT)
    description = forms.CharField(
        label=_("Training title"),
        max_length=300,
        help_text=_(
            "For example: Suicide assessment, treatment and management (KRS 210.366)."
        ),
    )
    provider = forms.CharField(label=_("Training provider"), max_length=200)
    evidence = forms.FileField(
        label=_("Certificate"),
        help_text=_("A PDF, PNG or JPEG of your certificate, up to %(limit)s.")
        % {"limit": filesizeformat(settings.EVIDENCE_MAX_UPLOAD_SIZE)},
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_earned_on(self):
        earned_on = self.cleaned_data["earned_on"]
        if earned_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return earned_on

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"]
        extension = validate_evidence_file(evidence)
        evidence.name = f"certificate.{extension}"
        return evidence


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the trainee will see this)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
