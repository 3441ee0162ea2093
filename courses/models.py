"""Curriculum pages, hour categories and credential rules."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES
from cms.models import BasePage

from .blocks import LessonStreamBlock, ObjectivesBlock

HOURS_FIELD = {"max_digits": 6, "decimal_places": 2}


class HourCategory(models.Model):
    """A topic that training hours are credited in, such as Ethics."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("hour category")
        verbose_name_plural = _("hour categories")

    def __str__(self):
        return self.name


class Credential(models.Model):
    """A credential a trainee works towards, defined by its requirements."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    authority = models.CharField(
        _("issuing authority"),
        max_length=200,
        blank=True,
        help_text=_("Who grants the credential, such as a state board."),
    )
    regulation = models.CharField(
        _("governing regulation"),
        max_length=200,
        blank=True,
        help_text=_("For example 201 KAR 35:050."),
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("authority"),
        FieldPanel("regulation"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        permissions = [
            ("audit_curriculum", _("Can view curriculum audits")),
        ]

    def __str__(self):
        return self.name


@dataclass(frozen=True)
class AuditLine:
    """One row of a curriculum audit: what the curriculum offers against a rule."""

    label: str
    offered: Decimal
    minimum: Decimal
    citation: str
    is_total: bool = False

    @property
    def is_short(self) -> bool:
        return self.offered < self.minimum

    @property
    def shortfall(self) -> Decimal:
        return max(self.minimum - self.offered, Decimal(0))


class Requirement(PolymorphicModel):
    """One rule a credential imposes. Subclasses say how it is measured.

    Rules change with the regulations, so each carries the citation it comes
    from and the date it takes effect; administrators edit them as data.
    """

    credential = models.ForeignKey(
        Credential,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("credential"),
    )
    source_citation = models.CharField(
        _("source citation"),
        max_length=300,
        help_text=_("The regulation, statute or document this rule comes from."),
    )
    effective_date = models.DateField(
        _("effective date"), help_text=_("The date the rule takes effect.")
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = PolymorphicManager()
    # Django's internals (serialization, cascades) read through the base
    # manager and must see the base table's own rows; a polymorphic base
    # manager would hand them subclass rows and lose the base ones. Queries
    # in this project go through ``objects``, which stays polymorphic.
    plain_objects = models.Manager()

    class Meta:
        base_manager_name = "plain_objects"
        ordering = ["credential", "sort_order", "pk"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self):
        return f"{self.credential}: {self.describe()}"

    def describe(self) -> str:
        raise NotImplementedError

    def audit_curriculum(
        self, *, hours_by_category: dict[int, Decimal], total_hours: Decimal
    ) -> AuditLine | None:
        """What a curriculum offers towards this rule; None if not about hours."""
        return None


class HoursRequirement(Requirement):
    """At least so many hours in one hour category."""

    category = models.ForeignKey(
        HourCategory,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("hour category"),
    )
    minimum_hours = models.DecimalField(
        _("minimum hours"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **HOURS_FIELD,
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("category"),
        FieldPanel("minimum_hours"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("hours-per-category requirement")
        verbose_name_plural = _("hours-per-category requirements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_hours__gt=0),
                name="courses_hoursrequirement_positive",
            ),
        ]

    def clean(self):
        super().clean()
        # A database constraint cannot span the two tables of this subclass.
        duplicate = HoursRequirement.objects.filter(
            credential_id=self.credential_id, category_id=self.category_id
        ).exclude(pk=self.pk)
        if self.credential_id and self.category_id and duplicate.exists():
            raise ValidationError(
                {
                    "category": _(
                        "This credential already has a minimum for this "
                        "category; edit that one instead."
                    )
                }
            )

    def describe(self) -> str:
        return _("%(hours)s hours of %(category)s") % {
            "hours": _format_hours(self.minimum_hours),
            "category": self.category.name,
        }

    def audit_curriculum(self, *, hours_by_category, total_hours):
        return AuditLine(
            label=self.category.name,
            offered=hours_by_category.get(self.category_id, Decimal(0)),
            minimum=self.minimum_hours,
            citation=self.source_citation,
        )


class TotalHoursRequirement(Requirement):
    """At least so many training hours in all."""

    minimum_hours = models.DecimalField(
        _("minimum hours"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **HOURS_FIELD,
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("minimum_hours"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("total-hours requirement")
        verbose_name_plural = _("total-hours requirements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_hours__gt=0),
                name="courses_totalhoursrequirement_positive",
            ),
        ]

    def describe(self) -> str:
        return _("%(hours)s training hours in total") % {
            "hours": _format_hours(self.minimum_hours)
        }

    def audit_curriculum(self, *, hours_by_category, total_hours):
        return AuditLine(
            label=str(_("Total")),
            offered=total_hours,
            minimum=self.minimum_hours,
            citation=self.source_citation,
            is_total=True,
        )


def _format_hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


class CourseIndexPage(BasePage):
    """The course catalogue."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    max_count = 1
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.live()
            .public()
            .child_of(self)
            .select_related("credential")
        )
        return context


class CoursePage(BasePage):
    """A training program made of modules."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)
    credential = models.ForeignKey(
        Credential,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        verbose_name=_("credential"),
        help_text=_("The credential whose requirements this course works towards."),
    )
    is_sample = models.BooleanField(
        _("sample curriculum"),
        default=False,
        help_text=_(
            "Shows a notice that this is a sample curriculum for trainers to adapt."
        ),
    )

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("credential"), FieldPanel("is_sample")],
            heading=_("Credential"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = course_outline(course=self)
        return context


class ModulePage(BasePage):
    """A unit of a course, credited in one hour category when completed."""

    class Delivery(models.TextChoices):
        ONLINE = "online", _("Online")
        CLASSROOM = "classroom", _("Classroom")

    objectives = StreamField(
        ObjectivesBlock(), blank=True, verbose_name=_("learning objectives")
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("Hours credited when the module is completed."),
        **HOURS_FIELD,
    )
    hour_category = models.ForeignKey(
        HourCategory,
        on_delete=models.PROTECT,
        related_name="modules",
        verbose_name=_("hour category"),
    )
    delivery = models.CharField(
        _("delivery mode"),
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.ONLINE,
    )

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("credit_hours"),
                FieldPanel("hour_category"),
                FieldPanel("delivery"),
            ],
            heading=_("Credit"),
        ),
        FieldPanel("objectives"),
    ]
    # The summary is edited with the content of modules and lessons.
    promote_panels = BasePage.promote_panels[:-1]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = (
            LessonPage.objects.live().public().child_of(self).specific()
        )
        return context


class LessonPage(BasePage):
    """One lesson: the teaching content itself."""

    duration_minutes = models.PositiveIntegerField(
        _("planned duration (minutes)"), null=True, blank=True
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"))

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
    ]
    promote_panels = BasePage.promote_panels[:-1]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("lesson")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_neighbours

        context = super().get_context(request, *args, **kwargs)
        context["previous_lesson"], context["next_lesson"] = lesson_neighbours(
            lesson=self
        )
        context["module"] = self.get_parent().specific
        return context
