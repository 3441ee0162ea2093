from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    # This module holds more than one AppConfig, so Django picks this one for
    # "cms" only when told to; without it ready() (the deploy checks, the
    # sign-in signal) never ran.
    default = True
    name = "cms"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (  # noqa: F401 - registers the deploy checks, audit signals
            audit,
            checks,
            sites,  # forgets cached site names when a site changes
        )
        from .sessions import session_started

        user_logged_in.connect(session_started, dispatch_uid="cms-session-started")

        from axes.signals import user_locked_out

        from .lockouts import record_lockout

        user_locked_out.connect(record_lockout, dispatch_uid="cms-audit-locked-out")


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know the legal name and birth date."""

    user_viewset = "cms.viewsets.UserViewSet"
