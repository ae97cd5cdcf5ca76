"""Migration operations shared by the apps."""

from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState


class OnPostgresOnly(Operation):
    """Run ``operation`` on PostgreSQL only, without touching Django's model state.

    For PostgreSQL-only database objects (trigram GIN indexes, triggers): kept
    out of the model state, a later SQLite table rebuild never tries to
    create them, and ``makemigrations`` sees no change.
    """

    reversible = True
    vendor = "postgresql"

    def __init__(self, operation: Operation):
        self.operation = operation

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [self.operation], {}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"{self.operation.describe()} ({self.vendor} only)"


class RenameConstraints(Operation):
    """Rename constraints of ``table`` in the database only, without touching its rows.

    For a model that moves between apps: its check constraints are named
    ``<app>_<model>_<field>_range`` and must follow the app label the model
    state declares. ``renames`` is a list of (old name, new name).

    - PostgreSQL: ``ALTER TABLE ... RENAME CONSTRAINT``, a catalogue change.
    - SQLite has no RENAME CONSTRAINT and Django would rebuild (copy) the
      table. A constraint's name lives only in the table's CREATE TABLE text,
      so the text is edited in place: the procedure SQLite documents for
      changing constraints without touching stored data
      (https://www.sqlite.org/lang_altertable.html#otheralter: writable
      schema, then a bumped schema version so every connection re-reads it).
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str, renames: list[tuple[str, str]]):
        self.table = table
        self.renames = [(old, new) for old, new in renames]

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [self.table, [list(pair) for pair in self.renames]], {}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._rename(schema_editor, self.renames)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._rename(schema_editor, [(new, old) for old, new in self.renames])

    def _rename(self, schema_editor: BaseDatabaseSchemaEditor, renames: list[tuple[str, str]]) -> None:
        quote = schema_editor.quote_name
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            for old, new in renames:
                schema_editor.execute(
                    f"ALTER TABLE {quote(self.table)} RENAME CONSTRAINT {quote(old)} TO {quote(new)}"
                )
        elif vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("PRAGMA schema_version")
                (version,) = cursor.fetchone()
            sql = "sql"
            for old, new in renames:
                sql = f"replace({sql}, 'CONSTRAINT {quote(old)} ', 'CONSTRAINT {quote(new)} ')"
            schema_editor.execute("PRAGMA writable_schema = ON")
            schema_editor.execute(
                f"UPDATE sqlite_master SET sql = {sql} WHERE type = 'table' AND name = %s", [self.table]
            )
            schema_editor.execute(f"PRAGMA schema_version = {version + 1}")
            schema_editor.execute("PRAGMA writable_schema = OFF")
            if not schema_editor.collect_sql:
                self._check_sqlite(schema_editor, renames)
        else:
            raise NotImplementedError(f"RenameConstraints does not support {vendor}.")

    def _check_sqlite(self, schema_editor: BaseDatabaseSchemaEditor, renames: list[tuple[str, str]]) -> None:
        """Every constraint was found under its old name: refuse (and roll back) otherwise."""
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [self.table])
            row = cursor.fetchone()
        missing = [new for _old, new in renames if row is None or f'CONSTRAINT "{new}" ' not in row[0]]
        if missing:
            raise ValueError(f"{self.table}: constraints not found to rename: {', '.join(missing)}")

    def describe(self) -> str:
        return f"Rename {len(self.renames)} constraints of {self.table}"


class OnSqliteOnly(OnPostgresOnly):
    """Run ``operation`` on SQLite only (FTS5 tables and their triggers), outside the model state."""

    vendor = "sqlite"
