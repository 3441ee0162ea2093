"""Database settings that migrations apply where the database has them."""

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
