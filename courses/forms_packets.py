"""Forms of the application packet pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DATE_INPUT


class PacketGenerateForm(forms.Form):
    include_sensitive = forms.BooleanField(
        label=_(
            "Include sensitive documents (Attestation of Recovery, letters of "
            "reference) in this packet"
        ),
        required=False,
        help_text=_(
            "Only administrators allowed to view sensitive documents may tick "
            "this; it is written to the audit log."
        ),
    )


class PacketSentForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent to the board on"), widget=DATE_INPUT)
    board_reference = forms.CharField(
        label=_("Board reference (optional)"), max_length=100, required=False
    )
