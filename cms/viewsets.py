"""Wagtail's user admin with the platform's extra profile fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class _ProfileFields(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        help_text=_("Exactly as it must appear on certificates."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PlatformUserCreationForm(UserCreationForm):
    legal_name = _ProfileFields.base_fields["legal_name"]
    date_of_birth = _ProfileFields.base_fields["date_of_birth"]


class PlatformUserEditForm(UserEditForm):
    legal_name = _ProfileFields.base_fields["legal_name"]
    date_of_birth = _ProfileFields.base_fields["date_of_birth"]


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return PlatformUserEditForm if for_update else PlatformUserCreationForm
