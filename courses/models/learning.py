"""Cohorts, class days, enrollment, lesson progress and attendance."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .curriculum import CoursePage, LessonPage, ModulePage


class Cohort(models.Model):
    """A scheduled offering of a course: dates, place, capacity, trainers."""

    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("course"),
    )
    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    location = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Street address or room, for classroom days."),
    )
    video_link = models.URLField(
        _("video link"), blank=True, help_text=_("For days held by video call.")
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1)]
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="cohorts_taught",
        verbose_name=_("trainers"),
    )
    accepting_requests = models.BooleanField(_("accepting seat requests"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        # change_cohort runs the cohorts one teaches; this, every cohort.
        permissions = [
            ("manage_any_cohort", _("Can run any cohort, taught or not")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="courses_cohort_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="courses_cohort_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date must be on or after the start date.")}
            )


class CohortSeat(models.Model):
    """A trainee's place in a cohort, from request to confirmation."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="seats", verbose_name=_("cohort")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_seats",
        verbose_name=_("trainee"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["cohort", "requested_at"]
        verbose_name = _("cohort seat")
        verbose_name_plural = _("cohort seats")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "trainee"], name="courses_cohortseat_one_per_trainee"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} in {self.cohort} ({self.get_status_display()})"


class Enrollment(models.Model):
    """A trainee taking a course, online or through a cohort."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("course"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "course"], name="courses_enrollment_one_per_course"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} in {self.course}"


class LessonProgress(models.Model):
    """A lesson a trainee has marked complete."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("trainee"),
    )
    lesson = models.ForeignKey(
        LessonPage,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("lesson"),
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        ordering = ["completed_at"]
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "lesson"], name="courses_lessonprogress_once"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} completed {self.lesson}"


class ClassSession(models.Model):
    """A live class day of a cohort, covering one or more modules."""

    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("cohort"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    modules = models.ManyToManyField(
        ModulePage,
        related_name="class_sessions",
        verbose_name=_("modules covered"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("class day")
        verbose_name_plural = _("class days")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="courses_classsession_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.cohort}, {date_format(self.date, 'DATE_FORMAT')}"

    @property
    def duration_minutes(self) -> int:
        start = datetime.datetime.combine(self.date, self.start_time)
        end = datetime.datetime.combine(self.date, self.end_time)
        return int((end - start).total_seconds() // 60)


class Attendance(models.Model):
    """A trainee's attendance at a class day; its minutes become hours.

    ``revision`` counts changes: each change reverses the hours credited for
    the previous revision and credits the new ones, so the ledger keeps the
    whole history.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        LEFT_EARLY = "left_early", _("Left early")
        ABSENT = "absent", _("Absent")

    session = models.ForeignKey(
        ClassSession,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("class day"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("trainee"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    minutes_present = models.PositiveIntegerField(_("minutes present"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["session", "trainee"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="courses_attendance_once"
            ),
        ]

    def __str__(self):
        return f"{self.trainee} at {self.session}: {self.get_status_display()}"


class AttendanceUpload(models.Model):
    """A sign-in sheet applied to a class day, remembered by its content hash
    so the same workbook submitted twice is applied once."""

    session = models.ForeignKey(
        ClassSession, on_delete=models.CASCADE, related_name="uploads"
    )
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    rows_applied = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sha256"], name="courses_attendanceupload_once"
            ),
        ]

    def __str__(self):
        return f"Sign-in sheet for {self.session} ({self.sha256[:8]})"
