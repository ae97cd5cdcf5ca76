"""Migration operations shared by the apps."""

from django.db.migrations.operations.base import Operation


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

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operation], {}

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} ({self.vendor} only)"


class OnSqliteOnly(OnPostgresOnly):
    """Run ``operation`` on SQLite only (FTS5 tables and their triggers), outside the model state."""

    vendor = "sqlite"
