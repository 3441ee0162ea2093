"""Records built once for a test module and shared by its tests, the way
Django's setUpTestData shares records among a test class's tests.

A module-scoped fixture builds the records inside ``module_transaction`` and
yields them; a function-scoped fixture hands each test ``fresh`` copies. Each
test still runs in its own savepoint, so its changes roll back when it ends,
and the module's records roll back after its last test. Every test of the
module sees the shared records, so share only what the whole module may see,
and never with transactional tests (their threads and live server could not
see records that are never committed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models, transaction


@contextmanager
def module_transaction(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(record: models.Model) -> models.Model:
    """The record as the database holds it now, in a new instance, so one
    test's changes to an instance never reach the next test."""
    return type(record)._default_manager.get(pk=record.pk)
