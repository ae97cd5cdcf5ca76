"""backup_db and restore_db: a backup restored into a fresh database has every row.

PostgreSQL: pg_dump -Fc, then pg_restore into a separate database created
(and dropped) here. SQLite: the online backup API into a temporary file.
"""

import io
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from apex.tests.fixtures import make_user
from ops.management.commands import backup_db
from profiles import services
from profiles.models import RacerProfile, Sponsor, User
from racing.models import Vehicle

RESTORED = "restored"


def fill() -> None:
    for n in range(3):
        owner = make_user(f"rider{n}")
        for name in ["Kid", "Teammate"]:
            racer = services.create_profile(owner, f"{name} {n}", sponsors=["Tamiya", "Yokomo"])
            Vehicle.objects.create(racer=racer, brand="Xray", model=f"T4 {n}", nickname="Blue")
        services.set_default_profile(owner, racer.pk)


def snapshot(alias: str) -> dict[str, list[dict]]:
    """Every table's rows, by model, ordered by primary key."""
    return {
        model._meta.label: list(model._base_manager.using(alias).order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


@contextmanager
def fresh_database(tmp_path: Path):
    """A new, empty database under the alias ``restored``; dropped afterwards."""
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    # Registered as a connection but not as a configured alias, which the
    # test framework treats as created on the fly and lets this test use.
    backend = load_backend(connection.settings_dict["ENGINE"])
    wrapper = backend.DatabaseWrapper({**connection.settings_dict, "NAME": name}, RESTORED)
    # Django keeps its per-thread connections here; the stubs do not declare it.
    setattr(connections._connections, RESTORED, wrapper)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        wrapper.close()
        delattr(connections._connections, RESTORED)  # type: ignore[attr-defined]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def backup_file(transactional_db, tmp_path) -> Path:
    # Committed data (transactional_db): pg_dump reads from its own connection.
    fill()
    path = tmp_path / "apex.backup"
    call_command("backup_db", output=str(path))
    assert path.stat().st_size > 0
    return path


def test_restore_into_a_fresh_database_has_every_row(backup_file, tmp_path):
    original = snapshot("default")
    assert len(original["profiles.RacerProfile"]) == 6
    assert len(original["profiles.Sponsor"]) == 12
    assert len(original["racing.Vehicle"]) == 6
    with fresh_database(tmp_path):
        call_command("restore_db", str(backup_file), database=RESTORED, interactive=False)
        assert snapshot(RESTORED) == original
        # Sequences came along: new rows do not collide with restored ones.
        newcomer = User.objects.using(RESTORED).create(username="after-restore")
        assert newcomer.pk > max(row["id"] for row in original["profiles.User"])


def test_restore_replaces_what_the_database_holds(backup_file, tmp_path):
    original = snapshot("default")
    with fresh_database(tmp_path):
        call_command("restore_db", str(backup_file), database=RESTORED, interactive=False)
        Sponsor.objects.using(RESTORED).all().delete()
        RacerProfile.objects.using(RESTORED).filter(name__startswith="Kid").update(name="Renamed")
        User.objects.using(RESTORED).create(username="added-after-backup")
        call_command("restore_db", str(backup_file), database=RESTORED, interactive=False)
        assert snapshot(RESTORED) == original


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_asks_before_replacing(backup_file, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with fresh_database(tmp_path):
        with pytest.raises(CommandError, match="cancelled"):
            call_command("restore_db", str(backup_file), database=RESTORED)
        assert connections[RESTORED].introspection.table_names() == []


def test_restore_without_a_terminal_says_to_pass_noinput(backup_file, tmp_path, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))  # piped, as under make in a script
    with fresh_database(tmp_path):
        with pytest.raises(CommandError, match="No terminal.*--noinput"):
            call_command("restore_db", str(backup_file), database=RESTORED)
        assert connections[RESTORED].introspection.table_names() == []


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_db", str(tmp_path / "nope.dump"), interactive=False)


def test_backup_names_the_file_by_time(transactional_db, tmp_path, monkeypatch):
    monkeypatch.setattr(backup_db, "BACKUP_DIR", tmp_path / "backups")
    call_command("backup_db")
    [made] = (tmp_path / "backups").iterdir()
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    assert made.name.startswith("apex-") and made.name.endswith(suffix)
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_restore_run_from_a_script_stops_without_a_traceback(tmp_path):
    """What ``make restore BACKUP=…`` runs, with stdin not a terminal (cron, CI)."""
    backup = tmp_path / "apex.sqlite3"
    backup.write_bytes(b"")
    done = subprocess.run(  # noqa: S603 - this interpreter, the project's own manage.py
        [sys.executable, "manage.py", "restore_db", str(backup)],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "pass --noinput" in done.stderr and "NOINPUT=1" in done.stderr
    assert "Traceback" not in done.stderr
