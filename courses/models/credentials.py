"""Hour categories, credentials and the rules that define them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel

from .progress import AuditLine, HourRule, RequirementFacts, RequirementProgress

if TYPE_CHECKING:
    from cms.models import User

HOURS_FIELD = {"max_digits": 6, "decimal_places": 2}

# HourEntry.Kind.TRAINING; the ledger module builds on this one, so the
# choices themselves are read from it when a form or check asks for them.
TRAINING = "training"


def hour_kind_choices() -> list[tuple[str, str]]:
    from .ledger import HourEntry

    return HourEntry.Kind.choices


def _kind_phrase(kind: str) -> str:
    from .ledger import HourEntry

    return {
        HourEntry.Kind.TRAINING: _("training"),
        HourEntry.Kind.SUPERVISION: _("supervision"),
        HourEntry.Kind.EXPERIENCE: _("experience"),
        HourEntry.Kind.CONTINUING_EDUCATION: _("continuing education"),
    }.get(kind, kind)


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


def requirements_prepare(
    requirements: Iterable[Requirement], *, facts: RequirementFacts | None = None
) -> None:
    """Let each requirement type load, once for all its rules, what describing
    them (and, given ``facts``, measuring them) reads."""
    by_type: dict[type[Requirement], list[Requirement]] = defaultdict(list)
    for requirement in requirements:
        by_type[type(requirement)].append(requirement)
    for requirement_type, group in by_type.items():
        requirement_type.prepare(group, facts=facts)


class Requirement(PolymorphicModel):
    """One rule a credential imposes. Subclasses say how it is measured.

    Rules change with the regulations, so each carries the citation it comes
    from and the date it takes effect; administrators edit them as data.

    This is the extension point for every kind of rule: a subclass describes
    itself (``describe``), says how far a trainee is with it (``progress``,
    from which ``is_met`` follows) and may load what it needs for many rules
    at once (``prepare``). Apps above courses add their own subclasses (the
    exams app: a written exam passed) without courses knowing them.
    """

    # A rule belongs to a credential, or to the completion rule of a course
    # (what a trainee must do for the course's certificate); never both.
    credential = models.ForeignKey(
        Credential,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("credential"),
    )
    completion_of = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="completion_requirements",
        verbose_name=_("completion rule of course"),
        help_text=_(
            "Instead of a credential: the course whose certificate this rule "
            "is part of. A trainee who meets every rule of a course's "
            "completion rule is issued its certificate."
        ),
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(credential__isnull=False, completion_of__isnull=True)
                | models.Q(credential__isnull=True, completion_of__isnull=False),
                name="courses_requirement_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.owner_label()}: {self.describe()}"

    def owner_label(self) -> str:
        if self.credential_id is not None:
            return str(self.credential)
        if self.completion_of_id is not None:
            return str(
                _("Completion of %(course)s") % {"course": self.completion_of.title}
            )
        return ""

    def clean(self):
        super().clean()
        if self.credential_id is None and self.completion_of_id is None:
            raise ValidationError(
                {
                    "credential": _(
                        "Choose the credential this rule belongs to, or the "
                        "course whose completion rule it is part of."
                    )
                }
            )
        if self.credential_id is not None and self.completion_of_id is not None:
            raise ValidationError(
                {
                    "completion_of": _(
                        "A rule belongs to a credential or to a course's "
                        "completion rule, not both: clear one of them."
                    )
                }
            )

    def describe(self) -> str:
        return str(_("A requirement this site cannot check"))

    @classmethod
    def prepare(
        cls,
        requirements: Sequence[Requirement],
        *,
        facts: RequirementFacts | None = None,
    ) -> None:
        """Load in bulk what ``describe()`` of these rules (all of this type)
        reads and, given ``facts``, what ``progress()`` reads about that
        trainee. Nothing to load by default."""

    def progress(
        self, trainee: User, *, facts: RequirementFacts | None = None
    ) -> RequirementProgress:
        """Where the trainee stands on this rule.

        A rule this site cannot measure is never met: a credential is ready
        only when every one of its rules says so.
        """
        return RequirementProgress(
            met=False,
            status=str(_("This requirement cannot be checked on this site")),
            next_step=str(_("Ask an administrator how to show that you meet it.")),
        )

    def is_met(self, trainee: User, *, facts: RequirementFacts | None = None) -> bool:
        return self.progress(trainee, facts=facts).met

    def hour_rule(self) -> HourRule | None:
        """The hours this rule asks for; None for rules not about hours."""
        return None

    def measure(
        self, *, hours_by_category: dict[int, Decimal], total_hours: Decimal
    ) -> AuditLine | None:
        """The training hours a curriculum offers against this rule, for the
        curriculum audit; None when the rule is not about training hours."""
        return None

    def _facts_for(
        self, trainee: User, facts: RequirementFacts | None
    ) -> RequirementFacts:
        """The facts given, or facts read for this one rule."""
        if facts is None:
            facts = RequirementFacts(trainee)
            type(self).prepare([self], facts=facts)
        return facts


def _hours_progress(rule: HourRule, facts: RequirementFacts) -> RequirementProgress:
    done = facts.verified_hours(kind=rule.kind, category_id=rule.category_id)
    status = _("%(done)s of %(minimum)s hours") % {
        "done": _format_hours(done),
        "minimum": _format_hours(rule.minimum),
    }
    if done >= rule.minimum:
        return RequirementProgress(met=True, status=status, fraction=1.0)
    if rule.kind == TRAINING:
        next_step = _(
            "Complete modules or class days, or submit training you took "
            "elsewhere for a trainer to verify."
        )
        next_url = reverse("courses:submit_hours")
    else:
        # Supervision and experience are logged and verified by supervisors.
        next_step = _("Ask your supervisor to record and verify these hours.")
        next_url = None
    return RequirementProgress(
        met=False,
        status=status,
        fraction=float(max(done, Decimal(0)) / rule.minimum),
        next_step=str(next_step),
        next_url=next_url,
    )


class HoursRequirement(Requirement):
    """At least so many hours of one kind in one hour category."""

    kind = models.CharField(
        _("kind of hours"),
        max_length=30,
        choices=hour_kind_choices,
        default=TRAINING,
    )
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
        FieldPanel("completion_of"),
        FieldPanel("kind"),
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

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude=exclude)
        # A database constraint cannot span the two tables of this subclass,
        # so the rule "one minimum per credential, category and kind" is
        # checked here, and only when all three fields are valid.
        if exclude and {"credential", "category", "kind"} & set(exclude):
            return
        duplicate = HoursRequirement.objects.filter(
            credential_id=self.credential_id,
            completion_of_id=self.completion_of_id,
            category_id=self.category_id,
            kind=self.kind,
        ).exclude(pk=self.pk)
        owner = self.credential_id or self.completion_of_id
        if owner and self.category_id and duplicate.exists():
            raise ValidationError(
                {
                    "category": _(
                        "This credential already has a minimum for this kind of "
                        "hours in this category; edit that one instead."
                    )
                }
            )

    @classmethod
    def prepare(cls, requirements, *, facts=None):
        missing = {
            r.category_id
            for r in requirements
            if not cls.category.is_cached(r) and r.category_id is not None
        }
        if not missing:
            return
        categories = HourCategory.objects.in_bulk(missing)
        for requirement in requirements:
            if requirement.category_id in categories:
                requirement.category = categories[requirement.category_id]

    def describe(self) -> str:
        values = {
            "hours": _format_hours(self.minimum_hours),
            "category": self.category.name,
            "kind": _kind_phrase(self.kind),
        }
        if self.kind == TRAINING:
            return _("%(hours)s hours of %(category)s") % values
        return _("%(hours)s hours of %(kind)s in %(category)s") % values

    def hour_rule(self) -> HourRule:
        return HourRule(self.kind, self.category_id, self.minimum_hours)

    def progress(self, trainee, *, facts=None):
        return _hours_progress(self.hour_rule(), self._facts_for(trainee, facts))

    def measure(self, *, hours_by_category, total_hours):
        # A curriculum offers training hours, nothing else.
        if self.kind != TRAINING:
            return None
        return AuditLine(
            label=self.category.name,
            offered=hours_by_category.get(self.category_id, Decimal(0)),
            minimum=self.minimum_hours,
            citation=self.source_citation,
        )


class TotalHoursRequirement(Requirement):
    """At least so many hours of one kind in all."""

    kind = models.CharField(
        _("kind of hours"),
        max_length=30,
        choices=hour_kind_choices,
        default=TRAINING,
    )
    minimum_hours = models.DecimalField(
        _("minimum hours"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **HOURS_FIELD,
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("completion_of"),
        FieldPanel("kind"),
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
        values = {
            "hours": _format_hours(self.minimum_hours),
            "kind": _kind_phrase(self.kind),
        }
        if self.kind == TRAINING:
            return _("%(hours)s training hours in total") % values
        return _("%(hours)s hours of %(kind)s in total") % values

    def hour_rule(self) -> HourRule:
        return HourRule(self.kind, None, self.minimum_hours)

    def progress(self, trainee, *, facts=None):
        return _hours_progress(self.hour_rule(), self._facts_for(trainee, facts))

    def measure(self, *, hours_by_category, total_hours):
        if self.kind != TRAINING:
            return None
        return AuditLine(
            label=str(_("Total")),
            offered=total_hours,
            minimum=self.minimum_hours,
            citation=self.source_citation,
            is_total=True,
        )


def _format_hours(value: Decimal) -> str:
    return f"{value.normalize():f}"
