"""Forms for letters of reference: the trainee names a referee; the referee
writes or uploads the letter and signs it. Shape and range are checked here,
naming the field; the services check what needs the database."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cms.fields import ModelChoiceField
from cms.uploads import check_size

from .forms_supervision import SignatureFields
from .models import Credential
from .models.references import ReferenceRequirement
from .models.supervision import SupervisorCredentialType
from .services.references import LETTER_MAX_CHARACTERS
from .validators import sniff_evidence_type


class ReferenceRequestForm(forms.Form):
    """A referee: who, how to reach them, and the credential they hold."""

    credential = ModelChoiceField(queryset=None, label=_("For the credential"))
    referee_name = forms.CharField(label=_("Referee's full name"), max_length=200)
    referee_email = forms.EmailField(label=_("Referee's email"), max_length=254)
    credential_type = ModelChoiceField(
        queryset=None,
        label=_("Referee's credential"),
        help_text=_("Letters must come from a CADC or an LCADC."),
    )
    credential_number = forms.CharField(
        label=_("Referee's credential number"), max_length=60
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        credentials = Credential.objects.filter(
            pk__in=ReferenceRequirement.objects.values("credential_id")
        ).order_by("name")
        self.fields["credential"].queryset = credentials
        if len(credentials) == 1:
            self.fields["credential"].initial = credentials[0].pk
        self.fields[
            "credential_type"
        ].queryset = SupervisorCredentialType.objects.filter(may_give_reference=True)

    def clean_credential_number(self):
        number = self.cleaned_data["credential_number"].strip()
        if not number:
            raise ValidationError(_("Enter the referee's credential number."))
        return number


class RefereeLetterForm(SignatureFields):
    """The referee's letter, written here or uploaded, and their signature."""

    field_order = ["letter_text", "letter_file", "typed_name", "confirm"]

    letter_text = forms.CharField(
        label=_("Your letter"),
        required=False,
        max_length=LETTER_MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 14}),
    )
    letter_file = forms.FileField(
        label=_("Or upload your letter"),
        required=False,
        help_text=_("A PDF, PNG or JPEG, up to %(limit)s.")
        % {"limit": filesizeformat(settings.EVIDENCE_MAX_UPLOAD_SIZE)},
    )

    def __init__(self, *args, referee_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typed_name"].label = _("Type your name to sign")
        if referee_name:
            self.fields["typed_name"].help_text = _("As %(name)s.") % {
                "name": referee_name
            }

    def clean_letter_file(self):
        upload = self.cleaned_data.get("letter_file")
        if not upload:
            return None
        check_size(upload, limit=settings.EVIDENCE_MAX_UPLOAD_SIZE)
        upload.seek(0)
        kind = sniff_evidence_type(upload.read(16))
        upload.seek(0)
        if kind is None:
            raise ValidationError(
                _(
                    "Upload the letter as a PDF, PNG or JPEG file; this file "
                    "is none of those."
                )
            )
        upload.name = f"letter.{kind[0]}"
        return upload

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("letter_text") or "").strip()
            and not cleaned.get("letter_file")
            and "letter_text" not in self.errors
            and "letter_file" not in self.errors
        ):
            self.add_error(
                "letter_text", _("Write the letter here, or upload it as a file.")
            )
        return cleaned
