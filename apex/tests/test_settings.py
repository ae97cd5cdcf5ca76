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
        ({"DEBUG": "1", "DB_CONNECT_TIMEOUT": "soon"}, "DB_CONNECT_TIMEOUT"),
        ({"DEBUG": "1", "DB_STATEMENT_TIMEOUT": "-1"}, "DB_STATEMENT_TIMEOUT"),
        ({"DEBUG": "1", "HEALTHZ_DATABASE_TIMEOUT": "x"}, "HEALTHZ_DATABASE_TIMEOUT"),
        ({"DEBUG": "1", "DATABASE_POOL": "sometimes"}, "DATABASE_POOL"),
        ({"DEBUG": "1", "REQUEST_MAX_BYTES": "1MB"}, "REQUEST_MAX_BYTES"),
        ({"DEBUG": "1", "CACHE_URL": "memcached://x"}, "CACHE_URL"),
        ({"DEBUG": "1", "EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"DEBUG": "1", "EMAIL_USE_TLS": "please"}, "EMAIL_USE_TLS"),
        ({"DEBUG": "1", "EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_SSL"),
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


def read_setting(env: dict, expression: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    result = subprocess.run(  # noqa: S603 - the tests' own expressions
        [sys.executable, "-c", f"import apex.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


POSTGRES = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}


def test_postgres_gets_connect_and_statement_timeouts_by_default():
    options = read_setting(POSTGRES, "s.DATABASES['default']['OPTIONS']")
    assert "'connect_timeout': 5" in options and "statement_timeout=15000" in options
    assert "'pool'" not in options


def test_timeouts_follow_the_environment():
    env = POSTGRES | {"DB_CONNECT_TIMEOUT": "3", "DB_STATEMENT_TIMEOUT": "0"}
    options = read_setting(env, "s.DATABASES['default']['OPTIONS']")
    assert "'connect_timeout': 3" in options and "statement_timeout" not in options


def test_database_pool_switches_on_with_its_sizes():
    env = POSTGRES | {"DATABASE_POOL": "1", "DATABASE_POOL_MAX_SIZE": "20", "DB_CONN_MAX_AGE": "60"}
    assert read_setting(env, "s.DATABASES['default']['OPTIONS']['pool']") == (
        "{'min_size': 2, 'max_size': 20, 'timeout': 10.0}"
    )
    assert read_setting(env, "s.DATABASES['default']['CONN_MAX_AGE']") == "0"  # the pool replaces it


def test_redis_cache_url_selects_the_redis_cache_and_cached_sessions():
    env = {"CACHE_URL": "redis://127.0.0.1:6379/1"}
    # Django's Redis cache, keeping one client per server (apex/redis_cache.py).
    assert read_setting(env, "s.CACHES['default']['BACKEND']") == "apex.redis_cache.RedisCache"
    assert read_setting(env, "s.CACHES['default']['LOCATION']") == "redis://127.0.0.1:6379/1"
    assert read_setting(env, "s.SESSION_ENGINE") == "django.contrib.sessions.backends.cached_db"


def test_without_cache_url_one_process_keeps_its_own_cache_and_database_sessions():
    assert read_setting({}, "s.CACHES['default']['BACKEND']").endswith("LocMemCache")
    assert read_setting({}, "s.SESSION_ENGINE") == "django.contrib.sessions.backends.db"


def test_smtp_server_comes_from_the_environment():
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "apex",
        "EMAIL_HOST_PASSWORD": "secret",
        "EMAIL_USE_TLS": "1",
    }
    expression = (
        "(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD,"
        " s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT)"
    )
    assert read_setting(env, expression) == (
        "('django.core.mail.backends.smtp.EmailBackend', 'smtp.example.com', 587, 'apex', 'secret',"
        " True, False, 10)"
    )
    assert read_setting({}, "s.EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"


def test_email_confirmation_is_mandatory_whatever_the_environment():
    """There is no switch: the variable that once turned it off is not read."""
    assert read_setting({"ACCOUNT_EMAIL_VERIFICATION": "0"}, "s.ACCOUNT_EMAIL_VERIFICATION") == "mandatory"


def test_manage_py_leaves_the_statement_timeout_off():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.DB_STATEMENT_TIMEOUT)",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "0.0"
