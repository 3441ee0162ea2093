"""Hour categories, credentials and the rules that define them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel

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
    """Hours measured against one rule: a curriculum's offer in the audit, a
    trainee's earned hours on their dashboard."""

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

    @property
    def percent(self) -> int:
        if self.minimum <= 0:
            return 100
        return min(100, int(self.offered * 100 / self.minimum))


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

    def measure(
        self, *, hours_by_category: dict[int, Decimal], total_hours: Decimal
    ) -> AuditLine | None:
        """Hours (offered by a curriculum, or earned by a trainee) against this
        rule; None when the rule is not about hours."""
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

    def measure(self, *, hours_by_category, total_hours):
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

    def measure(self, *, hours_by_category, total_hours):
        return AuditLine(
            label=str(_("Total")),
            offered=total_hours,
            minimum=self.minimum_hours,
            citation=self.source_citation,
            is_total=True,
        )


def _format_hours(value: Decimal) -> str:
    return f"{value.normalize():f}"
