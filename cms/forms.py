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
        # Whether the address already has an account is never said here:
        # cms.services.account_sign_up emails the address instead.
        return self.cleaned_data["email"].strip().lower()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        exclusions.add("email")  # not unique-checked: see clean_email
        return exclusions

    def validate_unique(self):
        pass  # see clean_email

    def clean_legal_name(self):
        name = " ".join(self.cleaned_data["legal_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your legal name."))
        return name


class ConfirmSignUpForm(forms.Form):
    """Confirming a sign-up asks for the password chosen with it, so the
    link alone signs nobody in."""

    password = forms.CharField(
        label=_("The password you chose"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _(
                    "That is not the password you chose when you signed up. "
                    "Forgotten it? Sign up again to choose another."
                )
            )
        return password


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
