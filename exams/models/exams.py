"""Written exams, their blueprints, and accommodations."""

from __future__ import annotations

import datetime
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel

from courses.models import CoursePage, ModulePage

from ..forms import WrittenExamForm
from .questions import QuestionCategory

# People granted exams.add_attempt (the permission that lets a person sit
# exams, see exams.permissions), through a group or directly: only they may
# be given an accommodation.
MAY_TAKE_EXAMS = Q(
    groups__permissions__codename="add_attempt",
    groups__permissions__content_type__app_label="exams",
) | Q(
    user_permissions__codename="add_attempt",
    user_permissions__content_type__app_label="exams",
)


class WrittenExam(ClusterableModel):
    """A written test of a course, drawn from the bank by its blueprint."""

    base_form_class = WrittenExamForm

    class Review(models.TextChoices):
        SCORE_ONLY = "score_only", _("Score only")
        AFTER_CLOSE = (
            "after_close",
            _("Score, then correct answers once the exam closes"),
        )

    course = models.ForeignKey(
        CoursePage,
        on_delete=models.PROTECT,
        related_name="written_exams",
        verbose_name=_("course"),
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no time limit."),
    )
    pass_mark_percent = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=1, validators=[MinValueValidator(1)]
    )
    wait_between_attempts_hours = models.PositiveIntegerField(
        _("waiting period between attempts (hours)"), default=0
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    review = models.CharField(
        _("after the attempt, trainees see"),
        max_length=20,
        choices=Review.choices,
        default=Review.SCORE_ONLY,
    )
    prerequisite_modules = models.ManyToManyField(
        ModulePage,
        blank=True,
        related_name="+",
        verbose_name=_("modules to complete first"),
    )
    is_published = models.BooleanField(_("open to trainees"), default=False)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("instructions"),
        MultiFieldPanel(
            [
                FieldPanel("time_limit_minutes"),
                FieldPanel("pass_mark_percent"),
                FieldPanel("attempts_allowed"),
                FieldPanel("wait_between_attempts_hours"),
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("shuffle_questions"),
                FieldPanel("shuffle_choices"),
                FieldPanel("review"),
                FieldPanel("prerequisite_modules"),
                FieldPanel("is_published"),
            ],
            heading=_("Delivery"),
        ),
        InlinePanel("blueprint", heading=_("Blueprint"), min_num=1),
    ]

    class Meta:
        ordering = ["course", "title"]
        verbose_name = _("written exam")
        verbose_name_plural = _("written exams")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__isnull=True)
                | models.Q(opens_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="exams_writtenexam_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The exam must close after it opens.")}
            )

    @property
    def question_count(self) -> int:
        return sum(rule.count for rule in self.blueprint.all())

    # What a trainee's accommodation changes: every rule that extends the
    # exam for one person reads it here, so they can never disagree.

    def attempts_allowed_for(self, accommodation: Accommodation | None) -> int:
        extra = accommodation.extra_attempts if accommodation else 0
        return self.attempts_allowed + extra

    def time_limit_for(self, accommodation: Accommodation | None) -> int | None:
        """Minutes an attempt may last, or None for no limit."""
        if not self.time_limit_minutes or accommodation is None:
            return self.time_limit_minutes
        return accommodation.extended_minutes(self.time_limit_minutes)

    def closes_at_for(
        self, accommodation: Accommodation | None
    ) -> datetime.datetime | None:
        """The closing time, moved on by all the time an accommodation adds,
        so that a trainee who starts late is not cut short."""
        if self.closes_at is None or accommodation is None:
            return self.closes_at
        return self.closes_at + accommodation.extra_time(self.time_limit_minutes)


class BlueprintRule(models.Model):
    """Draw so many active questions from one category."""

    exam = ParentalKey(WrittenExam, on_delete=models.CASCADE, related_name="blueprint")
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, verbose_name=_("category")
    )
    count = models.PositiveIntegerField(
        _("number of questions"), validators=[MinValueValidator(1)]
    )
    points = models.DecimalField(
        _("points each"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use each question's own points."),
    )
    sort_order = models.PositiveIntegerField(default=0)

    panels = [FieldPanel("category"), FieldPanel("count"), FieldPanel("points")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("blueprint rule")
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "category"],
                name="exams_blueprint_one_rule_per_category",
            ),
        ]

    def __str__(self):
        return f"{self.count} from {self.category}"


class Accommodation(models.Model):
    """Extra time or attempts for one trainee, honoured by every exam."""

    trainee = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accommodation",
        verbose_name=_("trainee"),
        limit_choices_to=MAY_TAKE_EXAMS,
    )
    extra_minutes = models.PositiveIntegerField(_("extra minutes"), default=0)
    time_multiplier = models.DecimalField(
        _("time multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(Decimal(5))],
        help_text=_("1.5 gives time and a half. Applied before extra minutes."),
    )
    extra_attempts = models.PositiveIntegerField(_("extra attempts"), default=0)
    note = models.TextField(
        _("note"), blank=True, help_text=_("For staff; not shown to the trainee.")
    )

    panels = [
        FieldPanel("trainee"),
        FieldPanel("time_multiplier"),
        FieldPanel("extra_minutes"),
        FieldPanel("extra_attempts"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")

    def __str__(self):
        return f"{self.trainee}: x{self.time_multiplier} +{self.extra_minutes} min"

    def extended_minutes(self, minutes: int) -> int:
        total = (Decimal(minutes) * self.time_multiplier).to_integral_value(
            ROUND_CEILING
        )
        return int(total) + self.extra_minutes

    def extra_time(self, time_limit_minutes: int | None) -> datetime.timedelta:
        """All the time this accommodation adds to an attempt: the closing
        time moves by the same amount, so a late start is not cut short."""
        if time_limit_minutes:
            extra = self.extended_minutes(time_limit_minutes) - time_limit_minutes
        else:
            extra = self.extra_minutes
        return datetime.timedelta(minutes=extra)
