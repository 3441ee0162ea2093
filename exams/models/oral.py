"""Oral exams: rubrics, the slots examiners publish, trainees' bookings, and
the panel's scores.

The flow: an administrator or trainer builds a ``Rubric`` (criteria, each
with weighted, ordered levels) and an ``OralExam`` of a course that uses it.
Examiners publish ``Slot``s with a panel of examiners. An eligible trainee
books a place (``Booking``); a booking is one attempt at the oral exam once
it is attended, or missed without an excuse. When the trainee is marked
attended, a ``Sitting`` is opened with a frozen copy of the rubric, so later
edits to the rubric never change a past result. Each panel examiner fills in
one ``ScoreSheet`` (a ``CriterionScore`` per criterion) independently; when
every sheet is submitted the pass rule decides, after a ``Reconciliation``
of any criterion the panel disagreed on by two levels or more.

Frozen rubric (``Sitting.rubric``), a JSON object::

    {"title": str, "pass_percent": "70.00",
     "criteria": [{"key": "c1", "title": str, "description": str,
                   "weight": "1.00", "critical_floor": 2 | null,
                   "levels": [{"points": 0, "label": str, "descriptor": str},
                              ...]}]}   # levels ordered by points, ascending

A criterion's ``key`` is stable for the sitting; scores name criteria by it.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable

from courses.models import CoursePage, ModulePage

from ..blocks import RubricLevelsStreamBlock
from .exams import WrittenExam


class Rubric(ClusterableModel):
    """How an oral exam is scored: criteria, each with weighted, ordered
    levels describing what a performance at that level looks like."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        InlinePanel("criteria", heading=_("Criteria"), min_num=1),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return self.title

    def freeze(self, *, pass_percent: Decimal) -> dict:
        """The rubric as a sitting keeps it (see the module docstring)."""
        return {
            "title": self.title,
            "pass_percent": str(pass_percent),
            "criteria": [
                criterion.freeze()
                for criterion in self.criteria.all().order_by("sort_order", "pk")
            ],
        }


class RubricCriterion(Orderable):
    """One thing the panel scores, such as "Ethics and boundaries in a
    scenario". A critical criterion fails the sitting when the panel's mean
    falls below its floor, whatever the total."""

    rubric = ParentalKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the examiners look for"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How much this criterion counts towards the total."),
    )
    critical_floor = models.PositiveIntegerField(
        _("critical: lowest passing points"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for an ordinary criterion. With a value, the sitting "
            "fails when the panel's mean points here are below it."
        ),
    )
    levels = StreamField(
        RubricLevelsStreamBlock(),
        verbose_name=_("levels"),
        help_text=_("From the lowest to the highest, each with its points."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("weight"),
        FieldPanel("critical_floor"),
        FieldPanel("levels"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="exams_rubriccriterion_weight_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def level_list(self) -> list[dict]:
        return [
            {
                "points": int(block.value["points"]),
                "label": block.value["label"],
                "descriptor": block.value["descriptor"],
            }
            for block in self.levels
        ]

    def clean(self):
        super().clean()
        levels = self.level_list()
        problems = {}
        points = [level["points"] for level in levels]
        if len(levels) < 2:
            problems["levels"] = _("Give at least two levels.")
        elif points != sorted(set(points)):
            problems["levels"] = _(
                "List the levels from lowest to highest, each with different points."
            )
        if (
            self.critical_floor is not None
            and points
            and not points[0] < self.critical_floor <= points[-1]
        ):
            problems["critical_floor"] = _(
                "The floor must be above the lowest level's points (%(low)s) and "
                "no higher than the highest level's (%(high)s)."
            ) % {"low": points[0], "high": points[-1]}
        if problems:
            raise ValidationError(problems)

    def freeze(self) -> dict:
        return {
            "key": f"c{self.pk}",
            "title": self.title,
            "description": self.description,
            "weight": str(self.weight),
            "critical_floor": self.critical_floor,
            "levels": self.level_list(),
        }


class OralExam(ClusterableModel):
    """The oral test of a course: who may book it, how it is booked, how
    many examiners score each sitting, and the rubric and pass rule."""

    class Release(models.TextChoices):
        AT_ONCE = "at_once", _("As soon as the panel has decided")
        BY_ADMINISTRATOR = "by_administrator", _("When an administrator releases it")

    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="oral_exams",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions for trainees"), blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    examiners_per_sitting = models.PositiveSmallIntegerField(
        _("examiners who score each sitting"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    rubric = models.ForeignKey(
        Rubric,
        on_delete=models.PROTECT,
        related_name="oral_exams",
        verbose_name=_("rubric"),
    )
    pass_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "The panel's mean weighted total must reach this, with no critical "
            "criterion below its floor."
        ),
    )
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=2, validators=[MinValueValidator(1)]
    )
    wait_between_attempts_hours = models.PositiveIntegerField(
        _("waiting period between attempts (hours)"), default=0
    )
    written_exam = models.ForeignKey(
        WrittenExam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oral_exams",
        verbose_name=_("written exam to pass first"),
        help_text=_("A trainee may book once they have passed it."),
    )
    prerequisite_modules = models.ManyToManyField(
        ModulePage,
        blank=True,
        related_name="+",
        verbose_name=_("modules to complete first"),
    )
    booking_opens_hours = models.PositiveIntegerField(
        _("booking opens (hours before the slot)"),
        default=24 * 30,
        help_text=_("How far ahead a slot can be booked."),
    )
    booking_closes_hours = models.PositiveIntegerField(
        _("booking closes (hours before the slot)"), default=24
    )
    cancellation_hours = models.PositiveIntegerField(
        _("trainees may cancel until (hours before the slot)"),
        default=48,
        help_text=_("After that only an administrator can cancel or move a booking."),
    )
    release = models.CharField(
        _("results are shown to trainees"),
        max_length=20,
        choices=Release.choices,
        default=Release.AT_ONCE,
    )
    is_published = models.BooleanField(_("open to trainees"), default=False)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("rubric"),
                FieldPanel("examiners_per_sitting"),
                FieldPanel("pass_percent"),
                FieldPanel("duration_minutes"),
                FieldPanel("release"),
            ],
            heading=_("Scoring"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("written_exam"),
                FieldPanel("prerequisite_modules"),
                FieldPanel("attempts_allowed"),
                FieldPanel("wait_between_attempts_hours"),
            ],
            heading=_("Who may book"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("booking_opens_hours"),
                FieldPanel("booking_closes_hours"),
                FieldPanel("cancellation_hours"),
                FieldPanel("is_published"),
            ],
            heading=_("Booking"),
        ),
    ]

    class Meta:
        ordering = ["course", "title"]
        verbose_name = _("oral exam")
        verbose_name_plural = _("oral exams")
        constraints = [
            models.CheckConstraint(
                condition=Q(examiners_per_sitting__gte=1)
                & Q(examiners_per_sitting__lte=3),
                name="exams_oralexam_one_to_three_examiners",
            ),
            models.CheckConstraint(
                condition=Q(booking_opens_hours__gt=models.F("booking_closes_hours")),
                name="exams_oralexam_booking_opens_before_it_closes",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        problems = {}
        if (
            self.booking_opens_hours is not None
            and self.booking_closes_hours is not None
            and self.booking_opens_hours <= self.booking_closes_hours
        ):
            problems["booking_opens_hours"] = _(
                "Booking must open more hours before a slot than it closes."
            )
        if (
            self.written_exam_id
            and self.course_id
            and self.written_exam.course_id != self.course_id
        ):
            problems["written_exam"] = _("Choose a written exam of the same course.")
        if problems:
            raise ValidationError(problems)


class Slot(models.Model):
    """A time an examiner panel offers for sittings of one oral exam.

    The video link is shown only to the trainees booked into the slot and to
    its panel.
    """

    oral_exam = models.ForeignKey(
        OralExam,
        on_delete=models.PROTECT,
        related_name="slots",
        verbose_name=_("oral exam"),
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("An address or a room.")
    )
    video_link = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), default=1, validators=[MinValueValidator(1)]
    )
    examiners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="oral_slots",
        verbose_name=_("panel"),
    )
    lead_examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead examiner"),
        help_text=_("Records the agreed level when the panel must reconcile."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("oral-exam slot")
        verbose_name_plural = _("oral-exam slots")
        permissions = [
            ("publish_oral_slot", _("Can publish oral-exam slots and see bookings")),
        ]
        indexes = [models.Index(fields=["oral_exam", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="exams_slot_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5),
                name="exams_slot_duration_positive",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""),
                name="exams_slot_has_place_or_link",
            ),
        ]

    def __str__(self):
        when = date_format(timezone.localtime(self.starts_at), "SHORT_DATETIME_FORMAT")
        return f"{self.oral_exam}, {when}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class Booking(models.Model):
    """A trainee's place in a slot. Once attended, or missed without an
    excuse, it counts as one attempt at the oral exam.

    ``oral_exam`` repeats the slot's exam so that the database itself holds
    a trainee to one active booking per oral exam. ``uid`` and ``sequence``
    identify the calendar invitation: every change sends the same UID with
    the next sequence number.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")
        EXCUSED = "excused", _("Absence excused")

    ACTIVE = (Status.BOOKED,)
    # Statuses that use one of the trainee's attempts.
    COUNTS_AS_ATTEMPT = (Status.ATTENDED, Status.NO_SHOW)

    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("slot")
    )
    oral_exam = models.ForeignKey(
        OralExam,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("oral exam"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="oral_bookings",
        verbose_name=_("trainee"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BOOKED
    )
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    booked_at = models.DateTimeField(_("booked at"))
    changed_at = models.DateTimeField(_("changed at"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Why an administrator cancelled, moved or excused it."),
    )
    # Set by the one worker that claims the reminder, so it goes out once
    # however many workers run.
    reminder_sent_at = models.DateTimeField(
        _("reminder sent at"), null=True, blank=True
    )

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("oral-exam booking")
        verbose_name_plural = _("oral-exam bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["oral_exam", "trainee"],
                condition=Q(status="booked"),
                name="exams_booking_one_active_per_exam",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} in {self.slot} ({self.get_status_display()})"


class Sitting(models.Model):
    """An attended booking being scored: the rubric as it was when the
    sitting opened, and the panel's decision."""

    class State(models.TextChoices):
        SCORING = "scoring", _("Being scored")
        RECONCILING = "reconciling", _("Panel reconciling")
        DECIDED = "decided", _("Decided")

    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="sitting"
    )
    rubric = models.JSONField(help_text="The frozen rubric; see the module docstring.")
    examiners_required = models.PositiveSmallIntegerField()
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SCORING
    )
    opened_at = models.DateTimeField(_("opened at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("oral-exam sitting")
        verbose_name_plural = _("oral-exam sittings")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="decided", passed__isnull=False)
                | (~Q(state="decided") & Q(passed__isnull=True)),
                name="exams_sitting_decided_has_result",
            ),
        ]

    def __str__(self):
        return f"Sitting of {self.booking}"

    @property
    def criteria(self) -> list[dict]:
        return self.rubric["criteria"]


class ScoreSheet(models.Model):
    """One panel examiner's scores for one sitting, kept from the others
    until submitted. Submitted once; only an administrator can reopen it,
    with a reason."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="sheets"
    )
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="oral_score_sheets",
        verbose_name=_("examiner"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)

    class Meta:
        ordering = ["sitting", "pk"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        permissions = [
            (
                "score_oral_exam",
                _("Can score oral exams on the panels they sit on"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "examiner"], name="exams_scoresheet_one_per_examiner"
            ),
            models.CheckConstraint(
                condition=Q(state="submitted", submitted_at__isnull=False)
                | Q(state="draft"),
                name="exams_scoresheet_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.examiner} on {self.sitting}"


class CriterionScore(models.Model):
    """The level one examiner chose for one criterion of a sitting."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores"
    )
    criterion_key = models.CharField(max_length=20)
    points = models.IntegerField(_("points"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        ordering = ["sheet", "criterion_key"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion_key"], name="exams_criterionscore_once"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_key}: {self.points}"


class Reconciliation(models.Model):
    """The level the panel agreed on for a criterion its examiners scored two
    levels or more apart, with the note explaining it."""

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="reconciliations"
    )
    criterion_key = models.CharField(max_length=20)
    points = models.IntegerField(_("agreed points"))
    note = models.TextField(_("note"), max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["sitting", "criterion_key"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "criterion_key"],
                name="exams_reconciliation_once",
            ),
        ]

    def __str__(self):
        return f"{self.sitting}: {self.criterion_key} agreed at {self.points}"


class ScoreSheetReopening(models.Model):
    """One reopening of a submitted score sheet: who reopened it, when and
    why, with what the sheet and its sitting held just before, so a second
    reopening never hides the first and a withdrawn result stays on record."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="reopenings"
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    reason = models.TextField(_("why it was reopened"), max_length=2000)
    submitted_at = models.DateTimeField(_("had been submitted at"))
    # {criterion key: {"points": int, "comment": str}} as submitted.
    scores = models.JSONField(default=dict)
    sitting_state = models.CharField(_("sitting's state"), max_length=20)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(null=True)
    released_at = models.DateTimeField(null=True)
    # [{"criterion_key", "points", "note", "decided_by_id", "decided_at"}]
    reconciliations = models.JSONField(default=list)

    class Meta:
        ordering = ["reopened_at", "pk"]
        verbose_name = _("score-sheet reopening")
        verbose_name_plural = _("score-sheet reopenings")

    def __str__(self):
        return f"{self.sheet} reopened at {self.reopened_at}"
