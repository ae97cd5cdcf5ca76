"""Indexes for the setup library at scale, built on PostgreSQL only and without blocking writes.

- A GIN trigram index on the five searchable fields joined one per line,
  upper-cased: exactly the expression ``LibrarySetupQuerySet.search`` uses on
  PostgreSQL, so a rare word is an index lookup instead of a scan.
- ``UPPER(field)`` btrees for the filters (``iexact`` compares ``UPPER``).
- (date DESC NULLS LAST, id DESC) for the list order, so a page is read in
  order and the reading stops after it.

Why wrapped instead of ``Meta.indexes``: GIN/``gin_trgm_ops`` exist only on
PostgreSQL, and in the model state every later SQLite table rebuild would try
to create them. ``OnPostgresOnly`` runs its operation on PostgreSQL and leaves
the model state alone, so SQLite sees nothing and ``makemigrations --check``
stays clean. Not atomic: CREATE INDEX CONCURRENTLY cannot run inside a
transaction (each index is dropped first in case an earlier attempt left it
invalid).
"""

from django.db import migrations

from apex.migration_operations import OnPostgresOnly


def concurrent_index(name: str, definition: str) -> OnPostgresOnly:
    drop = f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"'
    create = f'CREATE INDEX CONCURRENTLY "{name}" ON "racing_librarysetup" {definition}'
    return OnPostgresOnly(migrations.RunSQL([drop, create], [drop]))


SEARCH_EXPRESSION = " || ".join(
    f'E\'\\n\' || "racing_librarysetup"."{field}"'
    for field in ("track", "brand", "vehicle", "condition", "source")
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("racing", "0003_one_open_race_day_per_vehicle_and_checks")]

    operations = [
        # Kept on reversal: other apps' indexes may use the extension too.
        OnPostgresOnly(migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop)),
        concurrent_index("library_search_trgm", f"USING gin ((UPPER({SEARCH_EXPRESSION})) gin_trgm_ops)"),
        concurrent_index("library_newest_idx", "(date DESC NULLS LAST, id DESC)"),
        concurrent_index("library_track_upper_idx", "(UPPER(track))"),
        concurrent_index("library_brand_upper_idx", "(UPPER(brand))"),
        concurrent_index("library_vehicle_upper_idx", "(UPPER(vehicle))"),
        concurrent_index("library_condition_upper_idx", "(UPPER(condition))"),
        # LIKE '%word%' is estimated from the indexed expression's histogram;
        # 1,000 buckets (not 100) keep a common word from looking rare.
        OnPostgresOnly(
            migrations.RunSQL(
                [
                    'ALTER INDEX "library_search_trgm" ALTER COLUMN 1 SET STATISTICS 1000',
                    "ANALYZE racing_librarysetup",
                ],
                migrations.RunSQL.noop,
            )
        ),
    ]
