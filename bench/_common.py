"""What the migration benchmarks share: scratch PostgreSQL databases, Django set-up, timings.

Every benchmark builds its data in a database of its own whose name starts
with ``apex_bench_`` or ``apex_<someone>_bench_`` (it is dropped and
recreated), runs the real migrations with Django's MigrationExecutor and
reports the time of each step.
"""

import os
import re
import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]


def conninfo(url: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(url, dbname=dbname)


def database_name(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url).get("dbname") or "")


# Scratch databases only: a benchmark drops and recreates the database it is
# given. A middle part (apex_ana_bench_sims) lets people sharing one server
# keep their runs apart.
SCRATCH_NAME = re.compile(r"apex_(?:[a-z0-9]+_)?bench_\w+")
SCRATCH_RULE = (
    "the database name must start with apex_bench_ or apex_<name>_bench_ (it is dropped and recreated)"
)


def is_scratch(name: str) -> bool:
    return SCRATCH_NAME.fullmatch(name) is not None


@contextmanager
def maintenance(url: str):
    with psycopg.connect(conninfo(url, "postgres"), autocommit=True) as conn:
        yield conn


def recreate(url: str, name: str, template: str | None = None) -> None:
    with maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url: str, name: str) -> None:
    with maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def setup_django(url: str | None = None, extra_databases: dict[str, str] | None = None) -> None:
    """Set Django up on ``url`` (default: ``DATABASE_URL``), each alias in ``extra_databases`` on that database."""
    if url is not None:
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    # Building a million rows takes one long COPY or UPDATE at a time: the
    # site's statement timeout (DB_STATEMENT_TIMEOUT, 15 s) is for requests.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apex.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from django.conf import settings

    # Before django.setup(): the connection handler reads DATABASES once, on first use.
    for alias, name in (extra_databases or {}).items():
        settings.DATABASES[alias] = {**settings.DATABASES["default"], "NAME": name}
    import django

    django.setup()


class StepTimer:
    """A MigrationExecutor progress callback that times each migration applied."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.current = ""

    def __call__(self, action, migration=None, fake=False) -> None:
        if action == "apply_start":
            self.current = migration.name
            self.seconds[migration.name] = time.perf_counter()
        elif action == "apply_success":
            self.seconds[migration.name] = time.perf_counter() - self.seconds[migration.name]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def python_speed() -> str:
    """How fast this interpreter runs plain Python here: a fixed loop, best of three.

    Figures from different machines (or interpreter builds) scale roughly
    with it; on one machine it shows how much slower a busy minute is.
    """
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return f"a 2,000,000-step Python loop in {best * 1000:.0f} ms ({sys.executable})"
