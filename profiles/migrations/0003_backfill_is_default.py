"""Give every owner without a default racer exactly one.

The rule: the racer named "Default Racer" if the owner has one, else the
owner's oldest racer. Owners who already have a default are left alone, so
running this again changes nothing.

One set-based UPDATE (a window function ranks each owner's racers), portable
between PostgreSQL and SQLite: no rows are loaded into Python.
"""

from django.db import migrations

BACKFILL_SQL = """
UPDATE profiles_racerprofile
SET is_default = TRUE
WHERE id IN (
    SELECT id FROM (
        SELECT r.id,
               ROW_NUMBER() OVER (
                   PARTITION BY r.owner_id
                   ORDER BY CASE WHEN r.name = 'Default Racer' THEN 0 ELSE 1 END, r.created_at, r.id
               ) AS rank
        FROM profiles_racerprofile r
        WHERE NOT EXISTS (
            SELECT 1 FROM profiles_racerprofile d
            WHERE d.owner_id = r.owner_id AND d.is_default
        )
    ) ranked
    WHERE ranked.rank = 1
)
"""


class Migration(migrations.Migration):
    dependencies = [("profiles", "0002_add_is_default")]

    operations = [
        # Backwards there is nothing to undo: the previous migration's reverse
        # drops the column, and stepping back only to here must keep the
        # defaults users have chosen since.
        migrations.RunSQL(BACKFILL_SQL, reverse_sql=migrations.RunSQL.noop, elidable=False),
    ]
