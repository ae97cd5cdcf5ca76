"""A trigger-maintained search column with a trigram index, on PostgreSQL only.

The driver search matches every word against the profile's name and
identifier and its linked user's username, first and last name. Written as
an OR across a join to the user table, PostgreSQL can use no index: at a
million profiles a rare word scans the whole table. So each profile carries
``search_text``: its own fields and its linked user's, one per line. Triggers
keep it right on every insert, edit, link, unlink and user rename, whoever
writes (views, services, admin, bulk updates, SQL). A GIN trigram index on
``UPPER(search_text)`` (the expression the query uses) answers rare words;
common words walk the newest-first index and stop after a page.

PostgreSQL only, and outside Django's model state: the column, the triggers
and a GIN/``gin_trgm_ops`` index have no SQLite equivalent, and a model
field or ``Meta.indexes`` entry would make every later SQLite table rebuild
try to create them. ``OnPostgresOnly`` runs its operation on PostgreSQL and
leaves the model state alone, so SQLite (which searches with the plain join,
see ``SimProfileQuerySet.search``) sees nothing and ``makemigrations --check``
stays clean.

Not atomic, so nothing blocks writes for long: the column is added without a
rewrite, the backfill commits in batches by primary-key range, and the index is built
CONCURRENTLY (dropped first if an earlier attempt left it invalid).
"""

from django.db import migrations

from apex.migration_operations import OnPostgresOnly

BATCH = 5_000


# One field per line, with a leading newline so "starts with" is "contains
# newline + word" (search words never hold whitespace). Unlinked: no user part.
TRIGGERS = r"""
CREATE OR REPLACE FUNCTION sims_simprofile_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := concat_ws(E'\n', '', NEW.profile_name, NEW.profile_identifier,
        (SELECT concat_ws(E'\n', u.username, u.first_name, u.last_name)
           FROM profiles_user u WHERE u.id = NEW.linked_user_id
            -- Waits for a rename in progress, so a link made meanwhile
            -- reads the new names (the rename's own update misses it).
            FOR SHARE));
    RETURN NEW;
END $$;

CREATE TRIGGER sims_simprofile_search_text
    BEFORE INSERT OR UPDATE OF profile_name, profile_identifier, linked_user_id ON sims_simprofile
    FOR EACH ROW EXECUTE FUNCTION sims_simprofile_search_text();

CREATE OR REPLACE FUNCTION profiles_user_sim_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Touching linked_user_id fires the profile trigger, which re-reads the names.
    UPDATE sims_simprofile SET linked_user_id = linked_user_id WHERE linked_user_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER profiles_user_sim_search_text
    AFTER UPDATE OF username, first_name, last_name ON profiles_user
    FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username
          OR OLD.first_name IS DISTINCT FROM NEW.first_name
          OR OLD.last_name IS DISTINCT FROM NEW.last_name)
    EXECUTE FUNCTION profiles_user_sim_search_text();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS profiles_user_sim_search_text ON profiles_user;
DROP FUNCTION IF EXISTS profiles_user_sim_search_text();
DROP TRIGGER IF EXISTS sims_simprofile_search_text ON sims_simprofile;
DROP FUNCTION IF EXISTS sims_simprofile_search_text();
"""

DROP_INDEX = 'DROP INDEX CONCURRENTLY IF EXISTS "sim_profile_search_text_trgm"'


def backfill(apps, schema_editor):
    """Fill the column by primary-key ranges, each batch its own transaction (the migration is not atomic).

    Each batch finds where its range ends through the primary key index and
    updates the rows in that range, so it costs its own rows only. A batch
    that looked for still-empty rows from the start of the table re-read
    every row already filled (quadratic: 199 s of the 218 s chain at a
    million profiles). Small batches hold their row locks briefly, so a
    writer waits at most one batch.
    """
    last = None
    with schema_editor.connection.cursor() as cursor:
        while True:
            after = "" if last is None else "WHERE id > %(last)s"
            cursor.execute(
                f"SELECT id FROM sims_simprofile {after} ORDER BY id OFFSET %(skip)s LIMIT 1",
                {"last": last, "skip": BATCH - 1},
            )
            row = cursor.fetchone()
            end = None if row is None else row[0]
            bounds = ["search_text = ''"]
            if last is not None:
                bounds.append("id > %(last)s")
            if end is not None:
                bounds.append("id <= %(end)s")
            cursor.execute(
                f"UPDATE sims_simprofile SET linked_user_id = linked_user_id WHERE {' AND '.join(bounds)}",
                {"last": last, "end": end},
            )
            if end is None:
                break
            last = end


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sims", "0006_verification_audit_events"),
        ("profiles", "0001_initial"),
    ]

    operations = [
        # Kept on reversal: other apps' indexes may use the extension too.
        OnPostgresOnly(migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop)),
        OnPostgresOnly(
            migrations.RunSQL(
                "ALTER TABLE sims_simprofile ADD COLUMN IF NOT EXISTS search_text text NOT NULL DEFAULT ''",
                "ALTER TABLE sims_simprofile DROP COLUMN IF EXISTS search_text",
            )
        ),
        OnPostgresOnly(migrations.RunSQL(TRIGGERS, DROP_TRIGGERS)),
        OnPostgresOnly(migrations.RunPython(backfill, migrations.RunPython.noop)),
        OnPostgresOnly(
            migrations.RunSQL(
                [
                    DROP_INDEX,
                    'CREATE INDEX CONCURRENTLY "sim_profile_search_text_trgm" ON sims_simprofile '
                    "USING gin ((UPPER(search_text)) gin_trgm_ops)",
                ],
                [DROP_INDEX],
            )
        ),
        # The planner estimates LIKE '%word%' from the histogram of the indexed
        # expression. The default 100 buckets cannot tell a word in 0.8% of
        # profiles from a rare one: it then fetches and joins all ~8,000
        # matches (~100 ms) instead of reading the newest few thousand rows
        # until a page is full (~10 ms). 1,000 buckets see words down to 0.1%.
        OnPostgresOnly(
            migrations.RunSQL(
                [
                    'ALTER INDEX "sim_profile_search_text_trgm" ALTER COLUMN 1 SET STATISTICS 1000',
                    "ANALYZE sims_simprofile",
                ],
                migrations.RunSQL.noop,
            )
        ),
    ]
