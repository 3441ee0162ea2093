from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"
    site_urls = True

    def ready(self):
        from cms.menus import register_account_menu

        from . import checks  # noqa: F401 - registers the deploy checks
        from .menus import account_links
        from .signals import connect_course_trainer_audit

        register_account_menu(account_links)
        connect_course_trainer_audit()
