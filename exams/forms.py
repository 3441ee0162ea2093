"""Turning the attempt page's form fields into an answer; grading and exam forms."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


def answer_from_post(content: dict, data) -> dict | None:
    """The answer the no-JavaScript form posted, in the shape saves take."""
    from .models import question_type

    try:
        question_class = question_type(content["type"])
    except KeyError:
        return None
    return question_class.answer_from_post(content, data)


class EssayGradeForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=Decimal(0), decimal_places=2)
    comment = forms.CharField(
        label=_("Comment for the trainee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def __init__(self, *args, max_points: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_points = max_points
        self.fields["score"].help_text = _("From 0 to %(max)s points.") % {
            "max": max_points
        }

    def clean_score(self):
        score = self.cleaned_data["score"]
        if score > self.max_points:
            raise forms.ValidationError(
                _("The most this question can earn is %(max)s.")
                % {"max": self.max_points}
            )
        return score


class WrittenExamForm(WagtailAdminModelForm):
    """The exam editor. Its prerequisites are modules of its own course, and
    an exam open to trainees asks no blueprint category for more questions
    than it has active (each category's single rule is the rule model's own
    constraint)."""

    def clean(self):
        cleaned = super().clean()
        course = cleaned.get("course")
        modules = cleaned.get("prerequisite_modules")
        if course and modules:
            elsewhere = [m.title for m in modules if not m.is_descendant_of(course)]
            if elsewhere:
                self.add_error(
                    "prerequisite_modules",
                    _("Not modules of %(course)s: %(modules)s.")
                    % {"course": course.title, "modules": ", ".join(elsewhere)},
                )
        return cleaned

    def is_valid(self):
        return super().is_valid() and self._blueprint_is_drawable()

    def _blueprint_is_drawable(self) -> bool:
        from .selectors import blueprint_shortfalls

        if not self.cleaned_data.get("is_published"):
            return True  # a draft may wait for its questions
        forms_by_category = {
            form.cleaned_data["category"].pk: form
            for form in self.formsets["blueprint"].forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        shortfalls = blueprint_shortfalls(
            rules=[
                (form.cleaned_data["category"], form.cleaned_data["count"])
                for form in forms_by_category.values()
            ]
        )
        for shortfall in shortfalls:
            forms_by_category[shortfall.category.pk].add_error("count", str(shortfall))
        return not shortfalls
