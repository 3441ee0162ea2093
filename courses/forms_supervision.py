"""Forms for supervision: agreements, sessions, experience hours and the
signature each carries. The services do the checks that need the database;
the forms check shape and range, naming the field."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.fields import ModelChoiceField, ModelMultipleChoiceField
from cms.models import User

from .forms import DATE_INPUT
from .models import Credential
from .models.supervision import (
    MINUTES_IN_A_DAY,
    SupervisionDomain,
    SupervisionSession,
    SupervisorCredentialType,
)


class SignatureFields(forms.Form):
    """The explicit act of signing: the typed name and the intent."""

    typed_name = forms.CharField(
        label=_("Type your full legal name to sign"), max_length=200
    )
    confirm = forms.BooleanField(
        label=_(
            "I intend my typed name to be my electronic signature on the text "
            "shown, and I confirm that it is true."
        ),
        error_messages={"required": _("Tick the box to sign.")},
    )


class SignForm(SignatureFields):
    pass


class AgreementForm(SignatureFields):
    trainee_email = forms.EmailField(label=_("Trainee's email address"))
    credential = ModelChoiceField(
        label=_("Credential"), queryset=Credential.objects.all()
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    end_date = forms.DateField(label=_("End date"), widget=DATE_INPUT)
    supervisor_credential_type = ModelChoiceField(
        label=_("Your credential"), queryset=SupervisorCredentialType.objects.all()
    )
    supervisor_credential_number = forms.CharField(
        label=_("Your credential number"), max_length=60
    )

    field_order = [
        "trainee_email",
        "credential",
        "start_date",
        "end_date",
        "supervisor_credential_type",
        "supervisor_credential_number",
        "typed_name",
        "confirm",
    ]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["trainee_email"]
            del self.fields["credential"]

    def clean_trainee_email(self):
        email = self.cleaned_data["trainee_email"].strip().lower()
        trainee = User.objects.filter(email__iexact=email, is_active=True).first()
        if trainee is None:
            raise ValidationError(_("No one on this site has that email address."))
        return trainee

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return cleaned


class SessionForm(SignatureFields):
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MINUTES_IN_A_DAY,
        error_messages={
            "min_value": _("Enter at least 1 minute."),
            "max_value": _("A day has %(limit_value)s minutes; enter fewer."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=SupervisionSession.Format.choices
    )
    is_direct = forms.BooleanField(
        label=_("Direct supervision (face to face or by live video)"),
        required=False,
        initial=True,
    )
    domains = ModelMultipleChoiceField(
        label=_("Domains covered"),
        queryset=SupervisionDomain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one domain.")},
    )
    note = forms.CharField(
        label=_("Short note (nothing clinical)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("What was corrected"), max_length=300, required=False
    )

    field_order = [
        "date",
        "minutes",
        "format",
        "is_direct",
        "domains",
        "note",
        "reason",
        "typed_name",
        "confirm",
    ]

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["reason"]


class ExperienceForm(SignatureFields):
    period_start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    period_end = forms.DateField(label=_("To"), widget=DATE_INPUT)
    site = forms.CharField(label=_("Site or employer"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours with people with a substance use disorder"),
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
    )
    domain = ModelChoiceField(
        label=_("Main domain"), queryset=SupervisionDomain.objects.all()
    )
    description = forms.CharField(
        label=_("What the work was"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("What was corrected"), max_length=300, required=False
    )

    field_order = [
        "period_start",
        "period_end",
        "site",
        "hours",
        "domain",
        "description",
        "reason",
        "typed_name",
        "confirm",
    ]

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not correcting:
            del self.fields["reason"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end is before the start."))
        return cleaned


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you send it back (the other person reads this)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=_("Board approved on"), widget=DATE_INPUT)
    reference = forms.CharField(
        label=_("Board reference"), max_length=100, required=False
    )


def errors_to_form(form: forms.Form, error: ValidationError) -> None:
    """Put a service's error on the fields it names that the form has, and
    the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class EvaluationForm(SignatureFields):
    """A rating and a comment for each domain of supervision."""

    summary = forms.CharField(
        label=_("Overall comments"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, domains, **kwargs):
        from .models.supervision import RATING_CHOICES

        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        fields = {}
        for domain in self.domains:
            fields[f"rating_{domain.slug}"] = forms.TypedChoiceField(
                label=_("%(domain)s: rating") % {"domain": domain.name},
                choices=[("", "---"), *RATING_CHOICES],
                coerce=int,
                error_messages={
                    "required": _("Rate %(domain)s.") % {"domain": domain.name}
                },
            )
            fields[f"comment_{domain.slug}"] = forms.CharField(
                label=_("%(domain)s: comments") % {"domain": domain.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}

    def ratings(self) -> dict[str, int]:
        return {d.slug: self.cleaned_data[f"rating_{d.slug}"] for d in self.domains}

    def comments(self) -> dict[str, str]:
        return {d.slug: self.cleaned_data[f"comment_{d.slug}"] for d in self.domains}


class FeedbackForm(forms.Form):
    """A rating from 1 (rarely) to 5 (always) for each supervisor competency."""

    comment = forms.CharField(
        label=_("Anything else (never shown to your supervisor)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = list(competencies)
        scale = [
            ("", "---"),
            (1, _("1: rarely")),
            (2, "2"),
            (3, "3"),
            (4, "4"),
            (5, _("5: always")),
        ]
        fields = {
            f"rating_{c.slug}": forms.TypedChoiceField(
                label=c.name,
                choices=scale,
                coerce=int,
                error_messages={"required": _("Rate %(name)s.") % {"name": c.name}},
            )
            for c in self.competencies
        }
        self.fields = {**fields, **self.fields}

    def ratings(self) -> dict[str, int]:
        return {
            c.slug: self.cleaned_data[f"rating_{c.slug}"] for c in self.competencies
        }


class DocumentUploadForm(forms.Form):
    """A checklist document: its kind, the file and, for a training
    certificate, the hours and date it shows."""

    kind = ModelChoiceField(queryset=None, label=_("Document"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, PNG or JPEG, up to %(limit)s.")
        % {"limit": filesizeformat(settings.EVIDENCE_MAX_UPLOAD_SIZE)},
    )
    title = forms.CharField(
        label=_("Training title"),
        max_length=300,
        required=False,
        help_text=_("For a training certificate, as it is printed on it."),
    )
    hours = forms.DecimalField(
        label=_("Hours (training certificate)"),
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal("200"),
        decimal_places=2,
        max_digits=6,
    )
    completed_on = forms.DateField(
        label=_("Date completed (training certificate)"),
        required=False,
        widget=DATE_INPUT,
    )
    screening_referral_only = forms.BooleanField(
        label=_("My role is limited to screening and referral (KRS 210.366)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models.documents import DocumentKind

        self.fields["kind"].queryset = DocumentKind.objects.all()

    def clean_file(self):
        from .validators import validate_evidence_file

        upload = self.cleaned_data["file"]
        extension = validate_evidence_file(upload)
        upload.name = f"document.{extension}"
        return upload

    def clean_completed_on(self):
        completed_on = self.cleaned_data.get("completed_on")
        if completed_on and completed_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return completed_on

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind is not None and kind.records_training:
            if cleaned.get("hours") is None and "hours" not in self.errors:
                self.add_error("hours", _("Enter the hours shown on the certificate."))
            if (
                cleaned.get("completed_on") is None
                and "completed_on" not in self.errors
            ):
                self.add_error(
                    "completed_on", _("Enter the date shown on the certificate.")
                )
        return cleaned


class DocumentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", _("Verify")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (the trainee will see this)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "reject"
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why the document is rejected."))
        return cleaned


class FeePaymentForm(forms.Form):
    trainee_email = forms.EmailField(label=_("Trainee's email"))
    credential = ModelChoiceField(
        queryset=Credential.objects.all(), label=_("Credential")
    )
    amount = forms.DecimalField(
        label=_("Amount (USD)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("100000"),
        decimal_places=2,
        max_digits=8,
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE_INPUT)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        help_text=_("Receipt, check or transaction number."),
    )

    def clean_trainee_email(self):
        from .permissions_supervision import user_can_upload_documents

        email = self.cleaned_data["trainee_email"]
        trainee = User.objects.filter(email__iexact=email).first()
        if trainee is None or not user_can_upload_documents(trainee):
            raise forms.ValidationError(_("No trainee has this email address."))
        self.trainee = trainee
        return email

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return paid_on
