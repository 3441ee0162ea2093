"""Load hour categories, credentials, site pages and the curricula.

Safe to run any number of times and in production: it creates what is
missing and never overwrites records edited since.
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.services import (
    LoadReport,
    home_page_content_load,
    home_page_get,
    site_pages_load,
)
from courses.loaders import (
    course_completion_load,
    course_index_ensure,
    course_requirements_load,
    credentials_load,
    curriculum_load,
    hour_categories_load,
)
from courses.loaders_supervision import supervision_load
from courses.signals import fixtures_loaded

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def read_toml(name: str) -> dict:
    with (FIXTURES_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


def load_all_fixtures(report: LoadReport) -> None:
    hour_categories_load(
        categories=read_toml("hour_categories.toml")["categories"], report=report
    )
    credentials = read_toml("credentials.toml")["credentials"]
    credentials_load(credentials=credentials, report=report)
    supervision_load(data=read_toml("supervision.toml"), report=report)
    site = read_toml("site.toml")
    # The catalogue comes first so it leads the main menu and the home page's
    # main button can point at it.
    index = course_index_ensure(
        home=home_page_get(), spec=site["catalogue"], report=report
    )
    home_page_content_load(data=site, report=report, call_to_action=index)
    site_pages_load(data=site, report=report)
    for path in sorted((FIXTURES_DIR / "curricula").glob("*.toml")):
        curriculum_load(
            index=index, data=read_toml(f"curricula/{path.name}"), report=report
        )
    # Rules that name a course can only be made once the courses exist.
    course_requirements_load(credentials=credentials, report=report)
    course_completion_load(
        courses=read_toml("completion.toml").get("courses", []), report=report
    )
    fixtures_loaded.send(sender=None, report=report, fixtures_dir=FIXTURES_DIR)


class Command(BaseCommand):
    help = "Load categories, credentials, site pages and curricula (idempotent)."

    def handle(self, *args, **options):
        report = LoadReport()
        load_all_fixtures(report)
        self.stdout.write(
            self.style.SUCCESS(
                f"Fixtures loaded: {len(report.created)} records created."
            )
        )
