"""Wagtail's user admin with the platform's extra profile fields, and with
the powers an administrator may grant limited to those they hold.

An administrator who is not a superuser never sees the "Administrator"
(superuser) checkbox, so a posted ``is_superuser`` is ignored; never edits a
superuser's account (changing its password or email would take it over);
and grants, besides the five role groups, only groups whose permissions
they hold themselves. Every change
of groups or flags is audited (``cms.audit``).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView as WagtailCreateView
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from . import fields, roles


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


def _permission_names(permissions) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


class _GrantsOnlyWhatTheyHold:
    """Limits what the person filling in the form may grant."""

    def _limit_powers(self, acting_user) -> None:
        self.acting_user = acting_user
        groups = self.fields.get("groups")
        if groups is not None:  # Django's field sends any posted id to the query
            safe = fields.ModelMultipleChoiceField(
                queryset=groups.queryset,
                required=groups.required,
                widget=groups.widget,
                label=groups.label,
                help_text=groups.help_text,
            )
            self.fields["groups"] = safe
        if acting_user is not None and not acting_user.is_superuser:
            self.fields.pop("is_superuser", None)

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        acting_user = getattr(self, "acting_user", None)
        if groups is None or acting_user is None or acting_user.is_superuser:
            return groups
        held = acting_user.get_all_permissions()
        current = set(self.instance.groups.all()) if self.instance.pk else set()
        beyond = [
            group.name
            for group in groups
            if group not in current
            and group.name not in roles.ROLES
            and not _permission_names(group.permissions.all()) <= held
        ]
        if beyond:
            raise forms.ValidationError(
                _(
                    "Besides the role groups, you can only give groups whose "
                    "permissions you hold yourself: %(groups)s."
                )
                % {"groups": ", ".join(sorted(beyond))}
            )
        return groups


class PlatformUserCreationForm(_GrantsOnlyWhatTheyHold, UserCreationForm):
    legal_name = _ProfileFields.base_fields["legal_name"]
    date_of_birth = _ProfileFields.base_fields["date_of_birth"]

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_powers(acting_user)


class PlatformUserEditForm(_GrantsOnlyWhatTheyHold, UserEditForm):
    legal_name = _ProfileFields.base_fields["legal_name"]
    date_of_birth = _ProfileFields.base_fields["date_of_birth"]

    def __init__(self, *args, acting_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_powers(acting_user)


class UserCreateView(WagtailCreateView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class UserEditView(WagtailEditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.object.is_superuser and not request.user.is_superuser:
            # Only a superuser changes a superuser's account.
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "acting_user": self.request.user}


class UserViewSet(WagtailUserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView

    def get_form_class(self, for_update=False):
        return PlatformUserEditForm if for_update else PlatformUserCreationForm
