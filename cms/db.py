"""Database settings that migrations apply where the database has them, and
reads of one row that do without the query builder."""

from functools import lru_cache

from django.db import connections, router
from django.db.migrations.operations.base import Operation


class SetFillfactor(Operation):
    """Leave part of each page of a table free on PostgreSQL, so that an
    update which changes no indexed column can write the new row version on
    the same page (a HOT update): no index is touched, and a checkpoint has
    fewer pages to write. Other databases have no such setting, and the
    operation does nothing there.

    ``model`` is an ``"app_label.ModelName"`` label; the migration must
    depend on the one that creates it.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model: str, fillfactor: int):
        if not 10 <= int(fillfactor) <= 100:
            raise ValueError("fillfactor is a percentage from 10 to 100.")
        self.model = model
        self.fillfactor = int(fillfactor)

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model, self.fillfactor], {})

    def state_forwards(self, app_label, state):
        pass

    def _alter(self, schema_editor, state, setting: str) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        table = state.apps.get_model(self.model)._meta.db_table
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} {setting}"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._alter(schema_editor, to_state, f"SET (fillfactor = {self.fillfactor})")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._alter(schema_editor, to_state, "RESET (fillfactor)")

    def describe(self):
        return f"Leave {100 - self.fillfactor}% of each page of {self.model} free"

    @property
    def migration_name_fragment(self):
        return f"{self.model.split('.')[-1].lower()}_fillfactor"


# Reading one row by a statement written once from a model's metadata.
#
# The ORM builds and compiles a query afresh for every ``get()``: for the
# session and the user, read on every signed-in request, that took more of
# the request's time than the database did (``benchmarks/save_profile.py``).

_OPERATORS = {"exact": "=", "gt": ">"}


def in_range(model, name: str, value) -> bool:
    """Whether ``value`` fits the integer column ``name`` (always true for
    other columns): a tampered request's number may not, and the database
    would refuse it where the ORM's lookups match nothing."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if field.is_relation:
        field = field.target_field
    ops = connections[router.db_for_read(model)].ops
    if field.get_internal_type() not in ops.integer_field_ranges:
        return True
    low, high = ops.integer_field_range(field.get_internal_type())
    return (low is None or value >= low) and (high is None or value <= high)


def converted(connection, model, fields, values) -> list:
    """A row's values made into Python values by the converters the ORM
    applies to ``model``'s ``fields`` (dates on SQLite, JSON, and so on)."""
    table = model._meta.db_table
    result = []
    for field, value in zip(fields, values, strict=True):
        expression = field.get_col(table)
        for convert in connection.ops.get_db_converters(
            expression
        ) + field.get_db_converters(connection):
            value = convert(value, expression, connection)
        result.append(value)
    return result


@lru_cache(maxsize=64)
def _select_one(model, lookups: tuple[str, ...], alias: str) -> tuple[str, list]:
    """The statement reading ``model``'s row by ``lookups`` on ``alias``,
    and the fields each condition compares."""
    ops = connections[alias].ops
    conditions = []
    compared = []
    for lookup in lookups:
        name, _, operator = lookup.partition("__")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        compared.append(field)
        comparison = _OPERATORS[operator or "exact"]
        conditions.append(f"{ops.quote_name(field.column)} {comparison} %s")
    columns = ", ".join(ops.quote_name(f.column) for f in model._meta.concrete_fields)
    # Only identifiers from the model's metadata, quoted, are written into
    # the statement; the values are parameters.
    sql = (
        f"SELECT {columns} FROM {ops.quote_name(model._meta.db_table)}"  # noqa: S608
        f" WHERE {' AND '.join(conditions)}"
    )
    return sql, compared


def fetch_one(model, **lookups):
    """The one instance of ``model`` matching ``lookups``, or None: what
    ``model._default_manager.filter(**lookups).first()`` would give for a
    unique match, without building a query. A lookup is a field's name (or
    ``pk``), optionally with ``__gt``."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    names = tuple(lookups)
    sql, compared = _select_one(model, names, alias)
    params = []
    for field, value in zip(compared, lookups.values(), strict=True):
        if value is None:
            return None  # matches nothing, as a comparison with NULL
        if isinstance(value, int) and not in_range(model, field.name, value):
            return None
        params.append(field.get_db_prep_value(value, connection, prepared=False))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    fields = model._meta.concrete_fields
    return model.from_db(
        alias, [f.attname for f in fields], converted(connection, model, fields, row)
    )
