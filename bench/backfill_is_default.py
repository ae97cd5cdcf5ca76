"""How long the is_default migration takes on a large racer table.

Builds N racers (about 3 per owner, some owners with a racer named "Default
Racer") in the state before is_default existed, in a fresh PostgreSQL
database ``apex_bench_backfill``. A copy of it (``CREATE DATABASE ...
TEMPLATE``) gets the same column and one hand-written set-based UPDATE. Then:

- the real migration path, profiles 0002 -> 0004 (add the column, the
  backfill, the partial unique index), run by Django's MigrationExecutor;
- the hand-written UPDATE (DISTINCT ON), and the same index, on the copy.

It checks both chose the same default racers and prints the times, their
ratio, rows/s and the peak memory of this process (PostgreSQL's own memory
is separate and not counted). Both databases are dropped at the end unless
--keep is given.

    .venv/bin/python bench/backfill_is_default.py --rows 1000000
"""

import argparse
import sys
import time

import psycopg
from _common import (
    SCRATCH_RULE,
    StepTimer,
    conninfo,
    database_name,
    drop,
    is_scratch,
    load_average,
    peak_rss_mib,
    recreate,
    setup_django,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/apex_bench_backfill"
BEFORE = [("profiles", "0001_initial")]
AFTER = [("profiles", "0004_one_default_racer_per_owner")]

GENERATE_SQL = """
SELECT setseed(0.42);
INSERT INTO profiles_user
    (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
SELECT '!', FALSE, 'bench' || g, '', '', '', FALSE, TRUE, now()
FROM generate_series(1, %(owners)s) g;
INSERT INTO profiles_racerprofile
    (owner_id, name, email, facebook, instagram, transponder, team_id, created_at, updated_at)
SELECT owner_id, name, '', '', '', '', NULL, created_at, created_at
FROM (
    SELECT 1 + floor(random() * %(owners)s)::bigint AS owner_id,
           CASE WHEN random() < 0.1 THEN 'Default Racer' ELSE 'Racer ' || g END AS name,
           -- whole days over one year: some owners have racers created at the
           -- same moment, so the id tie-break is exercised too
           timestamptz '2024-01-01 00:00+00' + make_interval(days => floor(random() * 365)::int) AS created_at
    FROM generate_series(1, %(rows)s) g
) generated;
"""

# What 0002_add_is_default does to the table.
ADD_COLUMN_SQL = """
ALTER TABLE profiles_racerprofile ADD COLUMN is_default boolean DEFAULT false NOT NULL;
ALTER TABLE profiles_racerprofile ALTER COLUMN is_default DROP DEFAULT;
"""

# The same rule as 0003_backfill_is_default, written by hand for PostgreSQL:
# per owner, "Default Racer" first (false sorts before true), then oldest, then lowest id.
HAND_UPDATE_SQL = """
UPDATE profiles_racerprofile r
SET is_default = TRUE
FROM (
    SELECT DISTINCT ON (owner_id) id
    FROM profiles_racerprofile
    ORDER BY owner_id, name <> 'Default Racer', created_at, id
) first_choice
WHERE r.id = first_choice.id
"""

# What 0004_one_default_racer_per_owner creates.
HAND_INDEX_SQL = """
CREATE UNIQUE INDEX one_default_racer_per_owner ON profiles_racerprofile (owner_id) WHERE is_default
"""


def default_ids(url: str, name: str) -> tuple[list[int], int]:
    with psycopg.connect(conninfo(url, name)) as conn:
        ids = [
            row[0]
            for row in conn.execute("SELECT id FROM profiles_racerprofile WHERE is_default ORDER BY id")
        ]
        (owners,) = conn.execute("SELECT count(DISTINCT owner_id) FROM profiles_racerprofile").fetchone() or (
            0,
        )
    return ids, owners


def warm_up(conn) -> None:
    """Read the table once so neither approach pays for a cold cache alone."""
    conn.execute("SELECT count(*), max(name), max(created_at) FROM profiles_racerprofile").fetchone()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="racers to build (default 1,000,000)")
    parser.add_argument("--per-owner", type=float, default=3.0, help="average racers per owner (default 3)")
    parser.add_argument(
        "--database-url", default=DEFAULT_URL, help=f"database to create and use (default {DEFAULT_URL})"
    )
    parser.add_argument("--keep", action="store_true", help="keep both databases afterwards")
    args = parser.parse_args()

    url = args.database_url
    name = database_name(url)
    if not is_scratch(name):
        parser.error(SCRATCH_RULE)
    copy_name = f"{name}_sql"
    owners = max(1, round(args.rows / args.per_owner))

    setup_django(url)
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    print(f"== {args.rows:,} racers, {owners:,} owners, PostgreSQL database {name} (copy: {copy_name})")
    print(f"   load average {load_average()}")
    recreate(url, name)
    started = time.perf_counter()
    MigrationExecutor(connection).migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute(GENERATE_SQL, {"owners": owners, "rows": args.rows})
        cursor.execute("VACUUM ANALYZE profiles_racerprofile")
        cursor.execute("SELECT count(*) FROM profiles_racerprofile WHERE name = 'Default Racer'")
        named = cursor.fetchone()[0]
    connection.close()
    recreate(url, copy_name, template=name)
    print(f"   built in {time.perf_counter() - started:.1f}s ({named:,} racers named 'Default Racer')")

    # 1. The real migration path.
    timer = StepTimer()
    with connection.cursor() as cursor:
        warm_up(cursor)
    executor = MigrationExecutor(connection, progress_callback=timer)
    started = time.perf_counter()
    executor.migrate(AFTER)
    migration_s = time.perf_counter() - started
    connection.close()

    # 2. The hand-written UPDATE on the copy.
    with psycopg.connect(conninfo(url, copy_name), autocommit=True) as conn:
        conn.execute(ADD_COLUMN_SQL)
        warm_up(conn)
        started = time.perf_counter()
        with conn.transaction():
            updated = conn.execute(HAND_UPDATE_SQL).rowcount
        update_s = time.perf_counter() - started
        started = time.perf_counter()
        conn.execute(HAND_INDEX_SQL)
        index_s = time.perf_counter() - started

    migrated_ids, migrated_owners = default_ids(url, name)
    hand_ids, hand_owners = default_ids(url, copy_name)
    same = migrated_ids == hand_ids and len(migrated_ids) == migrated_owners == hand_owners == updated

    backfill_s = timer.seconds.get("0003_backfill_is_default", float("nan"))
    print()
    print(f"{'step':<44}{'seconds':>10}{'rows/s':>14}")
    for step, seconds in timer.seconds.items():
        print(f"  migration {step:<34}{seconds:>10.2f}")
    print(
        f"{'migration 0002-0004 (MigrationExecutor)':<44}{migration_s:>10.2f}{args.rows / migration_s:>14,.0f}"
    )
    print(f"{'hand-written UPDATE (DISTINCT ON)':<44}{update_s:>10.2f}{args.rows / update_s:>14,.0f}")
    print(f"{'hand-written UPDATE + unique index':<44}{update_s + index_s:>10.2f}")
    print()
    print(f"ratio, whole migration / hand-written UPDATE:      {migration_s / update_s:.2f}x")
    print(f"ratio, whole migration / hand-written UPDATE+index: {migration_s / (update_s + index_s):.2f}x")
    print(f"ratio, backfill step (0003) / hand-written UPDATE:  {backfill_s / update_s:.2f}x")
    print(f"defaults set: {len(migrated_ids):,} (owners with racers: {migrated_owners:,}); identical: {same}")
    print(f"peak memory of this process (ru_maxrss): {peak_rss_mib():.0f} MiB; PostgreSQL's is not included")
    print(f"load average at the end: {load_average()}")

    if not args.keep:
        drop(url, name)
        drop(url, copy_name)
    if not same:
        sys.exit("The migration and the hand-written UPDATE chose different default racers.")


if __name__ == "__main__":
    main()
