"""Table settings applied by migrations where the database has them, and
rows read without the query builder."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import timezone

from cms.backends import ModelBackend
from cms.db import SetFillfactor, fetch_one
from cms.models import User
from cms.session_backends.cached_db import SessionStore as CachedSessionStore
from cms.session_backends.db import SessionStore
from exams.models import Response
from tests.factories import UserFactory

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


# Reading one row without the query builder (cms.db.fetch_one), and the
# session store and sign-in backend that use it.


def _fields(instance) -> dict:
    return {
        f.attname: getattr(instance, f.attname) for f in type(instance)._meta.fields
    }


def test_a_row_read_by_statement_is_the_instance_the_orm_reads():
    user = UserFactory(date_of_birth=dt.date(1980, 2, 29), is_staff=True)
    read = fetch_one(User, pk=user.pk)
    assert type(read) is User
    assert _fields(read) == _fields(User.objects.get(pk=user.pk))
    assert read.date_of_birth == dt.date(1980, 2, 29)
    assert timezone.is_aware(read.date_joined)
    assert read._state.adding is False
    assert read._state.db == "default"


def test_nothing_matching_reads_as_none():
    user = UserFactory()
    assert fetch_one(User, pk=user.pk + 1000) is None
    assert fetch_one(User, pk=None) is None
    assert fetch_one(User, email=user.email, pk=user.pk + 1) is None
    assert fetch_one(User, email=user.email, pk=user.pk) == user


@pytest.mark.parametrize("pk", [2**63, -(2**63) - 1])
def test_a_number_the_column_cannot_hold_reads_as_none(pk):
    # A tampered number: the ORM matches nothing, and so does the statement,
    # where the database itself would refuse the value.
    assert fetch_one(User, pk=pk) is None


def test_a_later_than_lookup_compares_times(clock):
    store = SessionStore()
    store["note"] = "kept"
    store.set_expiry(60)
    store.create()
    now = timezone.now()
    assert fetch_one(Session, session_key=store.session_key, expire_date__gt=now)
    later = now + dt.timedelta(seconds=61)
    assert (
        fetch_one(Session, session_key=store.session_key, expire_date__gt=later) is None
    )


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("store_class", [SessionStore, CachedSessionStore])
def test_the_session_stores_load_a_live_session_and_not_an_expired_one(
    store_class, clock
):
    store = store_class()
    store["note"] = "kept"
    store.set_expiry(60)
    store.create()
    key = store.session_key
    cache.clear()  # the cached store must read the database
    assert store_class(key).load() == {"note": "kept", "_session_expiry": 60}
    clock.shift(dt.timedelta(seconds=61))
    cache.clear()
    expired = store_class(key)
    assert expired.load() == {}
    # As Django's own stores do: the key is dropped, so saving makes a new one.
    assert expired.session_key is None


def test_an_unknown_session_key_loads_nothing():
    store = SessionStore("k" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_the_backend_reads_the_signed_in_user_and_refuses_an_inactive_one():
    backend = ModelBackend()
    user = UserFactory()
    assert backend.get_user(user.pk) == user
    user.is_active = False
    user.save()
    assert backend.get_user(user.pk) is None
    assert backend.get_user(user.pk + 1000) is None


def test_a_deactivated_person_is_signed_out_on_their_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("account")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_project_reads_sessions_and_users_without_the_query_builder(settings):
    assert settings.SESSION_ENGINE == "cms.session_backends.db"
    assert "cms.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in (
        settings.AUTHENTICATION_BACKENDS
    )
