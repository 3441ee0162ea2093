from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .permissions import user_can_reset_mfa, user_can_unlock_sign_ins


@hooks.register("register_admin_urls")
def register_security_urls():
    return [
        path("lockouts/", admin_views.lockout_list, name="cms_lockouts"),
        path("lockouts/unlock/", admin_views.lockout_unlock, name="cms_lockout_unlock"),
        path("two-step/", admin_views.mfa_staff, name="cms_mfa_staff"),
        path(
            "two-step/<int:user_id>/reset/",
            admin_views.mfa_reset,
            name="cms_mfa_reset",
        ),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_unlock_sign_ins(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(
        _("Sign-in lockouts"),
        reverse("cms_lockouts"),
        icon_name="lock",
        order=650,
        name="sign-in-lockouts",
    )


class MfaMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_reset_mfa(request.user)


@hooks.register("register_settings_menu_item")
def register_mfa_menu_item():
    return MfaMenuItem(
        _("Two-step verification"),
        reverse("cms_mfa_staff"),
        icon_name="key",
        order=651,
        name="two-step-verification",
    )


@hooks.register("register_permissions")
def register_security_permissions():
    return Permission.objects.filter(
        content_type__app_label="cms", codename__in=["unlock_sign_in", "reset_mfa"]
    )
