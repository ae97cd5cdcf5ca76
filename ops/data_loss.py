"""What a migration plan would delete: the tables and columns that its backwards steps drop, with their rows.

Read from the plan's schema operations: unapplying ``CreateModel`` drops the
model's table (and its many-to-many tables), unapplying ``AddField`` drops
the column (or the many-to-many table). Both are looked at inside
``SeparateDatabaseAndState`` (its database side) and inside the vendor
wrappers of ``apex.migration_operations`` when they run on this database.
``RunSQL`` and ``RunPython`` are opaque; the project's reversible ones drop
only what they derive from other columns (search columns and indexes),
which going forward again rebuilds.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations import operations
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from django.db.models import Field, Model


@dataclass(frozen=True)
class Loss:
    """A table, or a table's column, that holds ``rows`` rows and the plan would drop."""

    migration: str
    table: str
    column: str | None
    rows: int

    def __str__(self) -> str:
        what = f"column {self.table}.{self.column}" if self.column else f"table {self.table}"
        return f"{what}: {self.rows:,} row{'s' if self.rows != 1 else ''} (unapplying {self.migration})"


def _tables_of(model: type[Model]) -> list[str]:
    """The model's table and its auto-created many-to-many tables."""
    if not model._meta.managed or model._meta.proxy:
        return []
    tables = [model._meta.db_table]
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through
        if through is not None and through._meta.auto_created:
            tables.append(through._meta.db_table)
    return tables


def _dropped(
    operation: Operation, app_label: str, after: ProjectState, vendor: str
) -> list[tuple[str, str | None]]:
    """(table, column or None) that unapplying ``operation`` drops, read in ``after`` (the state it made)."""
    if isinstance(operation, operations.CreateModel):
        return [(table, None) for table in _tables_of(after.apps.get_model(app_label, operation.name))]
    if isinstance(operation, operations.AddField):
        model = after.apps.get_model(app_label, operation.model_name)
        field = model._meta.get_field(operation.name)
        if not model._meta.managed or model._meta.proxy:
            return []
        if field.many_to_many:
            through = field.remote_field.through
            return (
                [(through._meta.db_table, None)] if through is not None and through._meta.auto_created else []
            )
        assert isinstance(field, Field)
        return [(model._meta.db_table, field.column)] if field.column else []
    if isinstance(operation, operations.SeparateDatabaseAndState):
        # Its database side, named in the state its state side made.
        return [
            found for op in operation.database_operations for found in _dropped(op, app_label, after, vendor)
        ]
    inner = getattr(operation, "operation", None)
    if isinstance(inner, Operation) and getattr(operation, "vendor", None) == vendor:
        return _dropped(inner, app_label, after, vendor)
    return []


def _dropped_by(
    ops: Sequence[Operation], app_label: str, state: ProjectState, vendor: str
) -> list[tuple[str, str | None]]:
    """What unapplying ``ops`` drops; ``state`` is the state before them."""
    found: list[tuple[str, str | None]] = []
    for operation in ops:
        after = state.clone()
        operation.state_forwards(app_label, after)
        found += _dropped(operation, app_label, after, vendor)
        state = after
    return found


def plan_losses(
    plan: list[tuple[Migration, bool]],
    states: dict[tuple[str, str], ProjectState],
    connection: BaseDatabaseWrapper,
) -> list[Loss]:
    """Every table or column that a backwards step of ``plan`` drops while it holds rows.

    ``states`` gives each backwards migration's state before it was applied.
    """
    existing = set(connection.introspection.table_names())
    losses: list[Loss] = []
    seen: set[tuple[str, str | None]] = set()
    for migration, backwards in plan:
        if not backwards:
            continue
        key = (migration.app_label, migration.name)
        for table, column in _dropped_by(
            migration.operations, migration.app_label, states[key], connection.vendor
        ):
            if table not in existing or (table, column) in seen:
                continue
            seen.add((table, column))
            rows = _count(connection, table, column)
            if rows:
                losses.append(Loss(f"{migration.app_label} {migration.name}", table, column, rows))
    return losses


def _count(connection: BaseDatabaseWrapper, table: str, column: str | None) -> int:
    quote = connection.ops.quote_name
    where = f" WHERE {quote(column)} IS NOT NULL" if column else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}{where}")
        (rows,) = cursor.fetchone()
    return int(rows)
