"""Back up the database to one file.

PostgreSQL: ``pg_dump -Fc`` (custom format, compressed, restorable with
``pg_restore``). SQLite: SQLite's online backup API, which copies a
consistent snapshot even while the app writes (WAL mode), unlike copying the
file.
"""

import datetime as dt
import os
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"


def postgres_client_args(settings_dict: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump / pg_restore."""
    args: list[str] = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS", {})
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            env[variable] = str(options[option])
    return args, env


def run_client(argv: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise CommandError(f"{argv[0]} is not installed (the PostgreSQL client tools are needed).") from None
    if result.returncode != 0:
        raise CommandError(f"{argv[0]} failed: {result.stderr.strip()}")


def default_output(vendor: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return BACKUP_DIR / f"apex-{stamp}.{'dump' if vendor == 'postgresql' else 'sqlite3'}"


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc on PostgreSQL, the online backup API on SQLite)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", help="Backup file (default: backups/apex-<UTC timestamp>.dump|.sqlite3)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(
        self, *args: Any, output: str | None = None, database: str = DEFAULT_DB_ALIAS, **options: Any
    ) -> None:
        connection = connections[database]
        target = Path(output) if output else default_output(connection.vendor)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a failed backup never leaves
        # a truncated file that looks like a good one.
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            if connection.vendor == "postgresql":
                client_args, env = postgres_client_args(connection.settings_dict)
                name = connection.settings_dict["NAME"]
                run_client(
                    ["pg_dump", "--format=custom", *client_args, "--file", str(partial), "--dbname", name],
                    env,
                )
            elif connection.vendor == "sqlite":
                # Django's own connection: works for file and in-memory databases.
                connection.ensure_connection()
                destination = sqlite3.connect(partial)
                try:
                    connection.connection.backup(destination)
                    # One self-contained file: no -wal/-shm beside it.
                    destination.execute("PRAGMA journal_mode=DELETE")
                finally:
                    destination.close()
            else:
                raise CommandError(f"Cannot back up a {connection.vendor} database.")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"Backed up {connection.vendor} database {database!r} to {target}")
