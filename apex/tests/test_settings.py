import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import apex.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_secret_key_when_debug_off():
    result = run_settings({"DEBUG": "0"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_development_secret_key_only_with_debug():
    assert run_settings({"DEBUG": "1"}).returncode == 0


@pytest.mark.parametrize(
    "env,name",
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS"),
        ({"DEBUG": "1", "ENABLE_PUBLIC_PROFILES": "perhaps"}, "ENABLE_PUBLIC_PROFILES"),
        ({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"DEBUG": "1", "REQUEST_LOG_LEVEL": "verbose"}, "REQUEST_LOG_LEVEL"),
    ],
)
def test_bad_values_name_the_variable(env, name):
    result = run_settings(env)
    assert result.returncode != 0 and name in result.stderr


def test_sqlite_is_default_with_wal_and_immediate_transactions():
    result = run_settings({"DEBUG": "1"})
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_sqlite_connection_uses_wal_and_immediate(db):
    from django.db import connection

    if connection.vendor == "postgresql":
        assert connection.pg_version >= 130000  # type: ignore[attr-defined]  # PostgreSQL's wrapper has it
        return
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def test_postgres_url_parses():
    result = run_settings({"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x"})
    assert result.stdout.strip() == "django.db.backends.postgresql"
