"""Full-text search for theory documents: a tsvector with a GIN index on PostgreSQL, FTS5 on SQLite.

PostgreSQL: ``search_vector``, a stored generated column (the title weighted
A, the content B, English stemming), so every write keeps it right whoever
writes, and a GIN index on it. SQLite: an external-content FTS5 table over
title and content (porter stemming) that triggers keep in step with every
insert, update and delete.

Both live outside Django's model state (``OnPostgresOnly`` / ``OnSqliteOnly``):
neither database has the other's objects, and a model field would make
``makemigrations`` and the other database try to create them.

Mind on SQLite: a later migration that makes Django rebuild
``advisor_theorydocument`` (most AlterField operations do) drops these
triggers with the old table; such a migration must run ``SQLITE_TRIGGERS``
again. advisor/tests/test_search.py fails if the index falls out of step.
"""

from django.db import migrations

from apex.migration_operations import OnPostgresOnly, OnSqliteOnly

POSTGRES_COLUMN = """
ALTER TABLE advisor_theorydocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'B')
) STORED
"""

SQLITE_TABLE = """
CREATE VIRTUAL TABLE advisor_theorydocument_fts USING fts5(
    title, content, content='advisor_theorydocument', content_rowid='id', tokenize='porter unicode61'
)
"""

SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER advisor_theorydocument_fts_insert AFTER INSERT ON advisor_theorydocument BEGIN
        INSERT INTO advisor_theorydocument_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
    END
    """,
    """
    CREATE TRIGGER advisor_theorydocument_fts_delete AFTER DELETE ON advisor_theorydocument BEGIN
        INSERT INTO advisor_theorydocument_fts(advisor_theorydocument_fts, rowid, title, content)
        VALUES ('delete', old.id, old.title, old.content);
    END
    """,
    """
    CREATE TRIGGER advisor_theorydocument_fts_update AFTER UPDATE ON advisor_theorydocument BEGIN
        INSERT INTO advisor_theorydocument_fts(advisor_theorydocument_fts, rowid, title, content)
        VALUES ('delete', old.id, old.title, old.content);
        INSERT INTO advisor_theorydocument_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
    END
    """,
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS advisor_theorydocument_fts_update",
    "DROP TRIGGER IF EXISTS advisor_theorydocument_fts_delete",
    "DROP TRIGGER IF EXISTS advisor_theorydocument_fts_insert",
    "DROP TABLE IF EXISTS advisor_theorydocument_fts",
)


class Migration(migrations.Migration):
    dependencies = [("advisor", "0001_initial")]

    operations = [
        OnPostgresOnly(
            migrations.RunSQL(
                POSTGRES_COLUMN, "ALTER TABLE advisor_theorydocument DROP COLUMN IF EXISTS search_vector"
            )
        ),
        OnPostgresOnly(
            migrations.RunSQL(
                "CREATE INDEX theory_document_search_gin ON advisor_theorydocument USING gin (search_vector)",
                "DROP INDEX IF EXISTS theory_document_search_gin",
            )
        ),
        OnSqliteOnly(
            migrations.RunSQL(
                [
                    SQLITE_TABLE,
                    *SQLITE_TRIGGERS,
                    "INSERT INTO advisor_theorydocument_fts(advisor_theorydocument_fts) VALUES ('rebuild')",
                ],
                SQLITE_DROP,
            )
        ),
    ]
