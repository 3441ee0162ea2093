"""Records built once for a test module and shared by its tests, the way
Django's setUpTestData shares records among a test class's tests.

A module-scoped fixture builds the records inside ``module_transaction`` and
yields them; a function-scoped fixture hands each test ``fresh`` copies. Each
test still runs in its own savepoint, so its changes roll back when it ends,
and the module's records roll back after its last test. Every test of the
module sees the shared records, so share only what the whole module may see.
Transactional tests (browser, races) cannot share: their live server and
threads read through other connections, which never see records that are
not committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import models, transaction

TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
}


def module_has_transactional_tests(request: pytest.FixtureRequest) -> bool:
    """Whether any test of the module asking for a module fixture commits."""
    module = request.node
    for item in request.session.items:
        if item.getparent(pytest.Module) is not module:
            continue
        marker = item.get_closest_marker("django_db")
        if marker is not None and (
            marker.kwargs.get("transaction") or marker.args[:1] == (True,)
        ):
            return True
        if TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
            return True
    return False


@contextmanager
def module_transaction(
    request: pytest.FixtureRequest, django_db_blocker
) -> Iterator[None]:
    if module_has_transactional_tests(request):
        raise pytest.UsageError(
            f"{request.node.name} has transactional tests, which cannot share "
            "records built in a module transaction."
        )
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(record: models.Model) -> models.Model:
    """The record as the database holds it now, in a new instance, so one
    test's changes to an instance never reach the next test."""
    return type(record)._default_manager.get(pk=record.pk)
