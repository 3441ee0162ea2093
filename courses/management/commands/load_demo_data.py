"""Everything `load_fixtures` loads, plus one demo user per role.

Refuses to run under production settings: the demo password is public.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms.services import LoadReport, demo_users_load
from courses.loaders import demo_cohorts_load
from courses.signals import demo_data_loaded

from .load_fixtures import load_all_fixtures, read_toml


class Command(BaseCommand):
    help = "Load fixtures and demo users (development and test only)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Refusing to create demo users: these settings do not allow demo "
                "data (DEMO_DATA_ALLOWED is off, as in production)."
            )
        report = LoadReport()
        load_all_fixtures(report)
        demo_users_load(users=read_toml("demo_users.toml")["users"], report=report)
        demo_cohorts_load(report=report, today=timezone.localdate())
        demo_data_loaded.send(sender=None, report=report, today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(report.created)} records created. "
                "Sign in with any demo user and the password kps-demo-pass."
            )
        )
