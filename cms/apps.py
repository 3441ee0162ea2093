from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (  # noqa: F401 - registers the deploy checks, audit signals
            audit,
            checks,
        )


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know the legal name and birth date."""

    user_viewset = "cms.viewsets.UserViewSet"
