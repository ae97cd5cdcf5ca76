"""How long ``sims`` 0007 takes at scale, and how long a writer waits meanwhile.

Builds N sim profiles with the bench data generator (``generate_data.py``)
in a fresh PostgreSQL database ``apex_bench_search_text`` migrated to the
leaves, takes ``sims`` back to 0006 (the search column, its triggers and
index go) and applies 0007 again with Django's MigrationExecutor, as an
existing deployment does. Meanwhile a writer on its own connection updates
one random profile at a time (``updated_at = now()``, autocommit) as fast
as it can, and every update's wait is recorded: the longest is the writer
stall. It prints 0007's time, its backfill's time (the batches by
primary-key range), the writer's update count, p50/p99/max wait, the
column's emptiness check and the load average.

With ``--old`` the same is then done again with the backfill as it was
(each batch looked for empty rows from the start of the table), on the
same data, for comparison.

    .venv/bin/python bench/backfill_search_text.py --profiles 1000000
"""

import argparse
import random
import statistics
import sys
import threading
import time
from importlib import import_module

import psycopg
from _common import (
    SCRATCH_RULE,
    StepTimer,
    conninfo,
    database_name,
    drop,
    is_scratch,
    load_average,
    recreate,
    setup_django,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/apex_bench_search_text"
BEFORE = [("sims", "0006_verification_audit_events")]
MIGRATION = "0007_search_text_trigram_index"


def old_backfill(apps, schema_editor):
    """The backfill before the key walk: each batch searched for empty rows from the start."""
    batch = 20_000
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                "UPDATE sims_simprofile SET linked_user_id = linked_user_id WHERE id IN "
                "(SELECT id FROM sims_simprofile WHERE search_text = '' LIMIT %s)",
                [batch],
            )
            if cursor.rowcount < batch:
                break


class Writer(threading.Thread):
    """Updates random profiles one at a time until stopped; records each update's wait."""

    def __init__(self, url: str, ids: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.ids = url, ids
        self.waits: list[float] = []
        self.starts: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        rng = random.Random(7)
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                started = time.perf_counter()
                conn.execute(
                    "UPDATE sims_simprofile SET updated_at = now() WHERE id = %s", [rng.choice(self.ids)]
                )
                self.starts.append(started)
                self.waits.append(time.perf_counter() - started)
                time.sleep(0.01)


def run_0007(url: str, backfill=None) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("sims", MIGRATION)
    timed: dict[str, float] = {}
    for operation in migration.operations:
        inner = getattr(operation, "operation", None)
        if inner is not None and hasattr(inner, "code"):
            code = backfill or inner.code

            def timed_code(apps, schema_editor, code=code):
                timed["start"] = time.perf_counter()
                code(apps, schema_editor)
                timed["end"] = time.perf_counter()
                timed["backfill"] = timed["end"] - timed["start"]

            inner.code = timed_code
    with psycopg.connect(url, autocommit=True) as conn:
        ids = [
            row[0]
            for row in conn.execute("SELECT id FROM sims_simprofile TABLESAMPLE SYSTEM (1) LIMIT 20000")
        ]
    writer = Writer(url, ids)
    print(f"load average before 0007: {load_average()}", flush=True)
    timer = StepTimer()
    executor.progress_callback = timer
    writer.start()
    time.sleep(1)
    executor.migrate([("sims", MIGRATION)])
    time.sleep(1)
    writer.stop.set()
    writer.join()
    print(f"load average after 0007:  {load_average()}")
    waits = sorted(writer.waits)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sims_simprofile WHERE search_text = ''")
        (empty,) = cursor.fetchone()
    print(f"  {MIGRATION}: {timer.seconds[MIGRATION]:.2f} s, of which the backfill {timed['backfill']:.2f} s")
    print(
        f"  writer: {len(waits)} updates, wait p50 {statistics.median(waits) * 1000:.1f} ms, "
        f"p99 {waits[int(len(waits) * 0.99)] * 1000:.1f} ms, longest {waits[-1] * 1000:.1f} ms"
    )
    during = [
        w for s, w in zip(writer.starts, writer.waits, strict=True) if timed["start"] <= s <= timed["end"]
    ]
    if during:
        print(f"  writer during the backfill: {len(during)} updates, longest {max(during) * 1000:.1f} ms")
    print(f"  profiles left with an empty search column: {empty}")
    if empty:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--old", action="store_true", help="Then run the backfill as it was, for comparison.")
    parser.add_argument("--keep", action="store_true", help="Leave the database in place.")
    args = parser.parse_args()
    name = database_name(args.database_url)
    if not is_scratch(name):
        parser.error(SCRATCH_RULE)

    print(f"load average at the start: {load_average()}", flush=True)
    recreate(args.database_url, name)
    try:
        setup_django(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        generate = import_module("generate_data").generate
        generate(profiles=args.profiles, users=args.users, library=0, progress=False)
        print(
            f"generated {args.profiles:,} profiles, {args.users:,} users in {time.perf_counter() - started:.1f} s"
        )
        url = conninfo(args.database_url, name)
        print("sims 0007, backfill by primary-key ranges:")
        run_0007(url)
        if args.old:
            print("sims 0007, the backfill as it was (each batch from the start):")
            run_0007(url, old_backfill)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop(args.database_url, name)
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
