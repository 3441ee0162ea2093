"""Requirements that are not about hours: modules completed, a minimum age."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel

from .credentials import Requirement, RequirementProgress
from .curriculum import CoursePage, ModulePage


class ModuleCompletionRequirementForm(WagtailAdminModelForm):
    """Chosen modules are saved after the rule itself, so the model's own
    ``clean()`` cannot see them: they are checked against the course here."""

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course")
        modules = cleaned.get("modules")
        if course is not None and modules:
            try:
                ModuleCompletionRequirement.validate_modules(
                    course=course, modules=list(modules)
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class ModuleCompletionRequirement(Requirement):
    """Modules of a course completed: every published one, or those chosen.

    What "complete" means is defined once, in
    ``courses.selectors.modules_completed``: every live lesson marked
    complete, or, for a classroom module, a class day covering it attended.
    """

    base_form_class = ModuleCompletionRequirementForm

    # Deleting the course leaves the rule without one, and so never met,
    # rather than blocking the deletion or quietly dropping the rule.
    course = models.ForeignKey(
        CoursePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("course"),
    )
    modules = models.ManyToManyField(
        ModulePage,
        blank=True,
        related_name="+",
        verbose_name=_("modules"),
        help_text=_(
            "Leave empty to require every published module of the course; "
            "modules chosen must belong to that course."
        ),
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("completion_of"),
        FieldPanel("course"),
        FieldPanel("modules", widget=forms.CheckboxSelectMultiple),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("module-completion requirement")
        verbose_name_plural = _("module-completion requirements")

    @staticmethod
    def validate_modules(*, course: CoursePage, modules: list[ModulePage]) -> None:
        outside = [
            module.title
            for module in modules
            if not module.path.startswith(course.path)
            or module.depth != course.depth + 1
        ]
        if outside:
            raise ValidationError(
                {
                    "modules": _(
                        "These modules are not modules of %(course)s: "
                        "%(modules)s. Choose modules of that course, or "
                        "change the course."
                    )
                    % {"course": course.title, "modules": ", ".join(outside)}
                }
            )

    @classmethod
    def prepare(cls, requirements, *, facts=None):
        """The courses, the chosen modules and every live module of those
        courses, three queries for all the rules; then, with ``facts``, which
        of those modules the trainee has completed."""
        courses = CoursePage.objects.in_bulk(
            {r.course_id for r in requirements if r.course_id is not None}
        )
        chosen: dict[int, list[ModulePage]] = {r.pk: [] for r in requirements}
        through = cls.modules.through.objects.filter(
            modulecompletionrequirement_id__in=list(chosen)
        ).select_related("modulepage")
        for row in through:
            chosen[row.modulecompletionrequirement_id].append(row.modulepage)
        course_modules: dict[int, list[ModulePage]] = {pk: [] for pk in courses}
        if courses:
            depth = next(iter(courses.values())).depth + 1
            paths = models.Q()
            for course in courses.values():
                paths |= models.Q(path__startswith=course.path)
            by_path = {course.path: course.pk for course in courses.values()}
            for module in (
                ModulePage.objects.live().filter(paths, depth=depth).order_by("path")
            ):
                course_id = by_path.get(module.path[: -ModulePage.steplen])
                if course_id is not None:
                    course_modules[course_id].append(module)
        for requirement in requirements:
            requirement.course = courses.get(requirement.course_id)
            live = course_modules.get(requirement.course_id, [])
            picked = {module.pk for module in chosen.get(requirement.pk, [])}
            # Unpublished modules cannot be taken, so only live ones count.
            requirement._required_modules = (
                [module for module in live if module.pk in picked] if picked else live
            )
            requirement._chose_modules = bool(picked)
        if facts is not None:
            facts.modules_completed(
                [m for r in requirements for m in r._required_modules]
            )

    def required_modules(self) -> list[ModulePage]:
        """The live modules this rule asks for, in course order."""
        if not hasattr(self, "_required_modules"):
            type(self).prepare([self])
        return self._required_modules

    def describe(self) -> str:
        modules = self.required_modules()
        if self.course is None:
            return str(_("Complete the modules of a course that was deleted"))
        if self._chose_modules:
            return _("Complete %(modules)s of %(course)s") % {
                "modules": ", ".join(module.title for module in modules),
                "course": self.course.title,
            }
        return _("Complete every module of %(course)s") % {"course": self.course.title}

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        modules = self.required_modules()
        if not modules:
            status = (
                _("The course has no published modules to complete")
                if self.course is not None
                else _("The course of this requirement was deleted")
            )
            return RequirementProgress(
                met=False,
                status=str(status),
                next_step=str(_("Ask an administrator to check this rule.")),
            )
        done = facts.modules_completed(modules)
        status = ngettext(
            "%(done)s of %(total)s module completed",
            "%(done)s of %(total)s modules completed",
            len(modules),
        ) % {"done": len(done), "total": len(modules)}
        incomplete = [module for module in modules if module.pk not in done]
        if not incomplete:
            return RequirementProgress(met=True, status=status, fraction=1.0)
        first = incomplete[0]
        return RequirementProgress(
            met=False,
            status=status,
            fraction=len(done) / len(modules),
            next_step=_("Next: %(module)s") % {"module": first.title},
            next_url=first.url,
        )


class AgeRequirement(Requirement):
    """A minimum age in years, from the date of birth on the trainee's account."""

    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age (years)"), validators=[MaxValueValidator(120)]
    )

    panels = [
        FieldPanel("credential"),
        FieldPanel("completion_of"),
        FieldPanel("minimum_age"),
        FieldPanel("source_citation"),
        FieldPanel("effective_date"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("age requirement")
        verbose_name_plural = _("age requirements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__gte=1),
                name="courses_agerequirement_positive",
            ),
        ]

    def clean(self):
        super().clean()
        if self.minimum_age is not None and self.minimum_age < 1:
            raise ValidationError(
                {"minimum_age": _("Enter a minimum age of at least 1 year.")}
            )

    def describe(self) -> str:
        return _("%(age)s or older") % {"age": self.minimum_age}

    def progress(self, trainee, *, facts=None):
        facts = self._facts_for(trainee, facts)
        born = trainee.date_of_birth
        if born is None:
            # Trainees give their date of birth when they sign up and cannot
            # change it afterwards; administrators can, in the user admin.
            return RequirementProgress(
                met=False,
                status=str(_("Date of birth not recorded")),
                next_step=str(
                    _(
                        "Your account has no date of birth. Ask an administrator "
                        "to add it; they record it in the user admin."
                    )
                ),
                next_url=reverse("account"),
            )
        age = _years_between(born, facts.today)
        if age >= self.minimum_age:
            return RequirementProgress(
                met=True,
                status=_("%(age)s years old") % {"age": age},
                fraction=1.0,
                met_on=_anniversary(born, self.minimum_age),
            )
        comes_of_age = _anniversary(born, self.minimum_age)
        return RequirementProgress(
            met=False,
            status=_("%(age)s years old; %(minimum)s on %(date)s")
            % {
                "age": age,
                "minimum": self.minimum_age,
                "date": date_format(comes_of_age, "DATE_FORMAT"),
            },
            fraction=age / self.minimum_age,
            next_step=_("You meet this requirement from %(date)s.")
            % {"date": date_format(comes_of_age, "DATE_FORMAT")},
        )


def _anniversary(born: datetime.date, years: int) -> datetime.date:
    """The date someone born on ``born`` turns ``years``; a February 29
    birthday falls on March 1 in other years."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return datetime.date(born.year + years, 3, 1)


def _years_between(born: datetime.date, today: datetime.date) -> int:
    years = today.year - born.year
    if today < _anniversary(born, years):
        years -= 1
    return years
