import os

import pytest
from django.db import connections

from cms.services import LoadReport
from courses.management.commands.load_fixtures import load_all_fixtures
from courses.models import CoursePage

from .factories import ROLE_NAMES, user_with_role

# Playwright's sync API runs an event loop in the test thread; the test's own
# ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def ensure_fixtures_loaded() -> None:
    if not CoursePage.objects.exists():
        load_all_fixtures(LoadReport())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the curricula once per test database; each test rolls back."""
    with django_db_blocker.unblock():
        ensure_fixtures_loaded()
        # Transactional tests (browser, concurrency) empty the database when
        # they finish; with serialized_rollback they start from this snapshot,
        # curricula included, instead of from bare migrations.
        for connection in connections.all(initialized_only=True):
            connection._test_serialized_contents = (
                connection.creation.serialize_db_to_string()
            )


@pytest.fixture
def curriculum(db):
    """The shipped curricula (already loaded for ordinary tests)."""
    ensure_fixtures_loaded()


@pytest.fixture
def make_user(db):
    def make(role_key: str | None = None, **kwargs):
        if role_key is None:
            from .factories import UserFactory

            return UserFactory(**kwargs)
        return user_with_role(ROLE_NAMES[role_key], **kwargs)

    return make


@pytest.fixture
def client_as(client, make_user):
    """A test client signed in as a fresh user with the given role."""

    def login(role_key: str | None):
        if role_key is None:
            return client
        client.force_login(make_user(role_key))
        return client

    return login


@pytest.fixture
def on_postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(path):
        pytest.fail(f"Chromium not found at {path}; run `make test` to install it.")
    return path


@pytest.fixture
def browser_page(chromium_path, live_server, transactional_db):
    """A Playwright page in headless system Chromium, against the live server."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # Playwright runs an event loop in this thread, so database
            # connections the test opened belong to that context; close
            # them here, or PostgreSQL refuses to drop the test database.
            from django.db import connections

            connections.close_all()
