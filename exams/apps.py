from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Exams")
    default_auto_field = "django.db.models.BigAutoField"
    site_urls = True

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms.menus import register_account_menu
        from cms.sessions import register_session_hold
        from courses.signals import demo_data_loaded, fixtures_loaded

        from .loaders import exam_fixtures_load, oral_demo_slots_load
        from .menus import account_links
        from .selectors import attempt_running_for, forget_cached_question

        register_account_menu(account_links)
        register_session_hold(attempt_running_for)
        # Every model: a question is saved as its own type, so the sender is
        # whichever question type it is.
        post_save.connect(forget_cached_question, dispatch_uid="exams-question-saved")
        post_delete.connect(
            forget_cached_question, dispatch_uid="exams-question-deleted"
        )
        fixtures_loaded.connect(exam_fixtures_load, dispatch_uid="exams-fixtures")
        demo_data_loaded.connect(oral_demo_slots_load, dispatch_uid="exams-demo-slots")
