"""Form fields every app uses."""

from __future__ import annotations

from django import forms
from django.db import models

# The range of the 64-bit integers primary keys are stored in.
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


def _refuse_out_of_range(field: forms.ModelChoiceField, values) -> None:
    """Refuse a posted id too large for the database as any other id that is
    not a choice. Django's own fields pass it to the query, where SQLite
    raises OverflowError (a server error) for an ``IN`` lookup, or for any
    lookup when the key is a relation (a page's or a polymorphic model's)."""
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    while key.is_relation:
        key = key.target_field
    if not isinstance(key, models.IntegerField | models.AutoField):
        return
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            continue  # Django's own check refuses it
        if not _SMALLEST <= number <= _LARGEST:
            if isinstance(field, forms.ModelMultipleChoiceField):
                raise forms.ValidationError(
                    field.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": value},
                )
            raise forms.ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, refusing an id too large for the database."""

    def to_python(self, value):
        if value not in self.empty_values:
            _refuse_out_of_range(self, [value])
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id too large for the database."""

    def _check_values(self, value):
        _refuse_out_of_range(self, value)
        return super()._check_values(value)
