"""Forms for the public site: trainee sign-up."""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(BaseUserCreationForm):
    """A new trainee account. Every field is labelled and validated here."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "legal_name", "date_of_birth")
        labels = {
            "email": _("Email address"),
            "first_name": _("First name you go by"),
            "last_name": _("Last name you go by"),
            "legal_name": _("Legal name"),
            "date_of_birth": _("Date of birth"),
        }
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "legal_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["legal_name"].required = True
        self.fields["password1"].help_text = _(
            "At least 10 characters; not a common password, not only numbers, "
            "and not too like your name or email."
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this email address already exists. "
                    "Sign in, or reset your password if you have forgotten it."
                )
            )
        return email

    def clean_legal_name(self):
        name = " ".join(self.cleaned_data["legal_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your legal name."))
        return name


class OneTimeCodeForm(forms.Form):
    """A code from an authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        if help_text:
            self.fields["code"].help_text = help_text
