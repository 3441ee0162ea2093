"""Table settings applied by migrations where the database has them."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.state import ProjectState

from cms.db import SetFillfactor
from exams.models import Response

pytestmark = pytest.mark.django_db


def _reloptions(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0] or []


@pytest.mark.parametrize("model", [Response, Session])
def test_saved_answers_and_sessions_leave_room_on_each_page(model, on_postgres):
    assert _reloptions(model._meta.db_table) == ["fillfactor=80"]


def _sql(operation, direction: str) -> list[str]:
    state = ProjectState.from_apps(apps)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        getattr(operation, f"database_{direction}")("cms", editor, state, state)
    return [sql for sql in editor.collected_sql if not sql.startswith("--")]


def test_the_setting_is_applied_and_undone_on_postgres(on_postgres):
    operation = SetFillfactor("exams.Response", 70)
    assert _sql(operation, "forwards") == [
        'ALTER TABLE "exams_response" SET (fillfactor = 70);'
    ]
    assert _sql(operation, "backwards") == [
        'ALTER TABLE "exams_response" RESET (fillfactor);'
    ]


class _OtherDatabase:
    connection = SimpleNamespace(vendor="sqlite")

    def __init__(self):
        self.executed = []

    def execute(self, sql, params=()):
        self.executed.append(sql)

    def quote_name(self, name):
        return f'"{name}"'


def test_other_databases_are_left_alone():
    editor = _OtherDatabase()
    state = ProjectState.from_apps(apps)
    operation = SetFillfactor("exams.Response", 70)
    operation.database_forwards("exams", editor, state, state)
    operation.database_backwards("exams", editor, state, state)
    assert editor.executed == []


@pytest.mark.parametrize("fillfactor", [0, 9, 101])
def test_a_fillfactor_is_a_percentage_from_10(fillfactor):
    with pytest.raises(ValueError, match="percentage"):
        SetFillfactor("exams.Response", fillfactor)
