"""Replace the database's contents with a backup made by ``backup_db``.

PostgreSQL: ``pg_restore --clean --if-exists --no-owner`` in one
transaction, so a failed restore leaves the database as it was. SQLite: the
online backup API copies the backup file over the live database.
"""

import sqlite3
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from ops.management.commands.backup_db import postgres_client_args, run_client


class Command(BaseCommand):
    help = "Restore the database from a backup_db file, replacing what is there now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="The backup file.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(
        self,
        *args: Any,
        backup: str,
        database: str = DEFAULT_DB_ALIAS,
        interactive: bool = True,
        **options: Any,
    ) -> None:
        source = Path(backup)
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        if interactive:
            if not sys.stdin.isatty():
                raise CommandError(
                    "No terminal to confirm the restore on: pass --noinput to restore without asking "
                    "(make restore BACKUP=... NOINPUT=1). Nothing was changed."
                )
            try:
                answer = input(
                    f"This replaces everything in database {name!r} with {source}. Type 'yes' to go on: "
                )
            except EOFError:
                answer = ""
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        # Our own open connection would hold locks (PostgreSQL) or a stale
        # snapshot (SQLite); the restore runs beside it, so close it first.
        connection.close()
        if connection.vendor == "postgresql":
            client_args, env = postgres_client_args(connection.settings_dict)
            run_client(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *client_args,
                    "--dbname",
                    name,
                    str(source),
                ],
                env,
            )
        elif connection.vendor == "sqlite":
            self._restore_sqlite(source, name)
        else:
            raise CommandError(f"Cannot restore a {connection.vendor} database.")
        self.stdout.write(f"Restored {connection.vendor} database {database!r} from {source}")

    @staticmethod
    def _restore_sqlite(source: Path, name: str) -> None:
        backup = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            if backup.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CommandError(f"{source} is not a healthy SQLite database.")
            # Django opens SQLite names as URIs; a plain path works the same way.
            live = sqlite3.connect(name, uri=True, timeout=20)
            try:
                backup.backup(live)
            finally:
                live.close()
        finally:
            backup.close()
