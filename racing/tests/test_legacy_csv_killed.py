"""A killed import_legacy_csv leaves the account as it was: the run is one transaction."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from profiles.models import RacerProfile

SAMPLES = Path(__file__).parent / "legacy_csv_samples"
ROOT = Path(__file__).resolve().parents[2]


def database_url(tmp_path: Path) -> str:
    """A URL another process can open: the test database itself, or a file copy of SQLite's."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    path = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def racers_in(url: str) -> int:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute("SELECT count(*) FROM profiles_racerprofile").fetchone()[0]
    return RacerProfile.objects.count()


# The command as ``manage.py`` runs it, the fourth importer wrapped to say when
# it has written its rows (still inside the run's transaction) and to wait.
RUN_AND_WAIT = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apex.settings")
import django
django.setup()
from django.core.management import call_command
from racing.legacy_csv import importing

write_track_logs = importing._import_track_logs

def write_then_wait(rows, owner, result):
    write_track_logs(rows, owner, result)
    print("fourth file written", file=sys.stderr, flush=True)
    time.sleep(120)

importing._import_track_logs = write_then_wait
call_command("import_legacy_csv", sys.argv[1], "--owner", sys.argv[2])
"""


@pytest.mark.django_db(transaction=True)
def test_killed_during_the_fourth_file_keeps_nothing_of_the_first_three(tmp_path, user):
    folder = Path(shutil.copytree(SAMPLES / "clean", tmp_path / "in"))
    url = database_url(tmp_path)
    process = subprocess.Popen(  # noqa: S603 - this interpreter, the project's own code
        [sys.executable, "-c", RUN_AND_WAIT, str(folder), user.username],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        said = process.stderr.readline()  # blocks until the marker, or the end on a failure
        assert said == "fourth file written\n", said + process.stderr.read()[-2000:]
    finally:
        process.kill()
        process.wait(timeout=30)
    assert process.returncode < 0  # killed, not finished
    assert racers_in(url) == 0
