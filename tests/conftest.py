import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from .factories import ROLE_NAMES, user_with_role
from .shared import module_transaction

# Property tests: no per-example deadline (a shared CI machine makes timings
# meaningless, and a deadline only turns slowness into flaky failures), a
# modest number of examples so the suite stays fast, and function-scoped
# fixtures allowed (a test's examples share its database transaction; tests
# that write roll each example back themselves). CI runs derandomized, so a
# failure there reproduces; locally each run explores new examples.
# HYPOTHESIS_PROFILE=thorough explores ten times as far.
hypothesis_settings.register_profile(
    "default",
    deadline=None,
    max_examples=50,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("default"), derandomize=True
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("default"), max_examples=500
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI") else "default")
)

# Playwright's sync API runs an event loop in the test thread; the test's own
# ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Each test builds the data it asserts on (tests/factories.py); the database
# starts as the migrations leave it. Transactional tests (browser,
# concurrency) restore that state from the snapshot pytest-django serializes
# after migrating, and empty the database when they finish.


@pytest.fixture(scope="module")
def curriculum(request, django_db_setup, django_db_blocker):
    """The shipped fixtures (hour categories, credentials, site pages, both
    curricula, the question bank and exams), loaded once for the module that
    asks for them and rolled back after its last test; each test still rolls
    back its own changes. Only for tests of the shipped data and its loaders,
    and only for ordinary (not transactional) tests."""
    from cms.services import LoadReport
    from courses.management.commands.load_fixtures import load_all_fixtures

    with module_transaction(request, django_db_blocker):
        load_all_fixtures(LoadReport())
        yield


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rate limits count per client address, and every test client has the
    same one: each test starts from zero. Nor does a test see what another
    cached (a site's name, under a database another test rolled back)."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    caches["default"].clear()


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded evidence goes to a directory of the test's own."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


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
