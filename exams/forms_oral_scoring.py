"""Forms of the oral-exam score sheet, reconciliation, reopening and release.

Fields are named after the frozen rubric's criterion keys (``level_<key>``,
``comment_<key>``, ``note_<key>``), as the services name their errors, so a
service's error lands on the field it is about.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.fields import ModelMultipleChoiceField

from .services.oral_scoring import (
    COMMENT_MAX,
    comment_field,
    level_field,
    note_field,
)

PREFIXES = ("level_", "comment_", "note_")


class _RubricForm(forms.Form):
    """A form over some criteria of a frozen rubric. Posted fields naming a
    criterion that is not there (a tampered or stale page) are reported, not
    silently dropped."""

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria

    def _level_field(self, criterion: dict, *, required: bool) -> forms.Field:
        return forms.TypedChoiceField(
            label=criterion["title"],
            choices=[
                (level["points"], f"{level['label']} ({level['points']})")
                for level in criterion["levels"]
            ],
            coerce=int,
            empty_value=None,
            required=required,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": _(
                    "“%(criterion)s”: choose one of its levels; %(value)s is not "
                    "one of them."
                )
                % {"criterion": criterion["title"], "value": "%(value)s"},
                "required": _("“%(criterion)s”: choose a level.")
                % {"criterion": criterion["title"]},
            },
        )

    def clean(self):
        cleaned = super().clean()
        if self.data:
            unknown = sorted(
                name
                for name in self.data
                if name.startswith(PREFIXES) and name not in self.fields
            )
            if unknown:
                raise forms.ValidationError(
                    _(
                        "This page sent fields for criteria it does not have "
                        "(%(fields)s); reload it and try again."
                    )
                    % {"fields": ", ".join(unknown)}
                )
        return cleaned

    def add_service_error(self, error) -> None:
        """A service's ValidationError, each message on its own field."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class ScoreSheetForm(_RubricForm):
    """One examiner's levels and comments: a draft may leave levels out."""

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, criteria=criteria, **kwargs)
        for criterion in criteria:
            key = criterion["key"]
            self.fields[level_field(key)] = self._level_field(criterion, required=False)
            self.fields[comment_field(key)] = forms.CharField(
                label=_("Comment on “%(criterion)s” (optional)")
                % {"criterion": criterion["title"]},
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> dict[str, int | None]:
        return {
            c["key"]: self.cleaned_data.get(level_field(c["key"]))
            for c in self.criteria
        }

    def comments(self) -> dict[str, str]:
        return {
            c["key"]: self.cleaned_data.get(comment_field(c["key"]), "")
            for c in self.criteria
        }


class ReconciliationForm(_RubricForm):
    """The agreed level and the reason, for each criterion reconciled."""

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, criteria=criteria, **kwargs)
        for criterion in criteria:
            key = criterion["key"]
            self.fields[level_field(key)] = self._level_field(criterion, required=True)
            self.fields[note_field(key)] = forms.CharField(
                label=_("Why the panel agreed on this level"),
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": _(
                        "“%(criterion)s”: say why the panel agreed on this level."
                    )
                    % {"criterion": criterion["title"]}
                },
            )

    def agreed(self) -> dict[str, int | None]:
        return {
            c["key"]: self.cleaned_data.get(level_field(c["key"]))
            for c in self.criteria
        }

    def notes(self) -> dict[str, str]:
        return {
            c["key"]: self.cleaned_data.get(note_field(c["key"]), "")
            for c in self.criteria
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen this sheet"),
        help_text=_(
            "Recorded with your name and the time. The sitting's decision is "
            "withdrawn until the panel submits again."
        ),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the sheet is reopened.")},
    )


class ReleaseForm(forms.Form):
    sittings = ModelMultipleChoiceField(
        label=_("Results to release"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one result."),
            "invalid_choice": _(
                "%(value)s is not a result waiting to be released; reload the "
                "page and choose again."
            ),
            "invalid_pk_value": _("“%(pk)s” is not a result."),
        },
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sittings"].queryset = queryset
