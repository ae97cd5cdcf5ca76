"""Triggers keep "exactly one default racer per owner with racers" on every write path.

The services kept it, but the admin, the ORM, imports and raw SQL bypass
them: a first racer added in the admin was not the default, and deleting the
default there left the owner with none. Now the database does it, whoever
writes:

- a racer inserted for an owner who has no default becomes the default;
- deleting the default promotes the owner's oldest remaining racer (by
  ``created_at``, then id: the services' rule), at once;
- a racer moved to another owner takes its default along only when that
  owner has none (PostgreSQL), and its old owner's oldest racer is promoted.

PostgreSQL: every write that can change an owner's default first locks the
owner's row, as the services do, so concurrent writers for one account run
one after the other and each sees the others' committed racers. Demoting the
default without promoting another (``update(is_default=False)``) is repaired
when the transaction commits, by a deferred constraint trigger: changing the
default takes two statements (demote, then promote), and the partial unique
index ``one_default_racer_per_owner`` allows no other order.

SQLite runs one writer at a time, so its triggers need no lock. It has no
deferred triggers, and its BEFORE triggers cannot change the row: there a
demotion is not repaired, and moving a default racer to an owner who has a
default fails on the unique index. Later migrations that make Django rebuild
this table on SQLite drop these triggers; ``profiles/tests/test_default_racer.py``
checks they exist at the latest migration.

The triggers read ``is_default``, ``owner_id`` and ``created_at``; the
reverse drops them before ``0002`` drops the column.
"""

from django.db import migrations

from apex.migration_operations import OnPostgresOnly, OnSqliteOnly

POSTGRES = """
CREATE FUNCTION profiles_racer_promote(owner bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM profiles_racerprofile WHERE owner_id = owner AND is_default) THEN
        UPDATE profiles_racerprofile SET is_default = TRUE
        WHERE id = (SELECT id FROM profiles_racerprofile WHERE owner_id = owner
                    ORDER BY created_at, id LIMIT 1);
    END IF;
END $$;

CREATE FUNCTION profiles_racer_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM profiles_user WHERE id = OLD.owner_id FOR UPDATE;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.owner_id <> NEW.owner_id THEN
        -- Both owners, in id order, so two moves cannot deadlock.
        PERFORM 1 FROM profiles_user WHERE id IN (OLD.owner_id, NEW.owner_id) ORDER BY id FOR UPDATE;
    ELSE
        PERFORM 1 FROM profiles_user WHERE id = NEW.owner_id FOR UPDATE;
    END IF;
    -- Each statement after the lock sees what the owner's earlier writers committed.
    IF TG_OP = 'INSERT' OR OLD.owner_id <> NEW.owner_id THEN
        IF NOT EXISTS (SELECT 1 FROM profiles_racerprofile
                       WHERE owner_id = NEW.owner_id AND is_default AND id <> NEW.id) THEN
            NEW.is_default := TRUE;
        ELSIF TG_OP = 'UPDATE' THEN
            NEW.is_default := FALSE;
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION profiles_racer_after_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM profiles_racer_promote(OLD.owner_id);
    RETURN NULL;
END $$;

CREATE TRIGGER profiles_racer_lock_owner
    BEFORE INSERT OR DELETE OR UPDATE OF owner_id, is_default ON profiles_racerprofile
    FOR EACH ROW EXECUTE FUNCTION profiles_racer_before_write();

CREATE TRIGGER profiles_racer_promote_on_delete
    AFTER DELETE ON profiles_racerprofile
    FOR EACH ROW WHEN (OLD.is_default) EXECUTE FUNCTION profiles_racer_after_write();

CREATE TRIGGER profiles_racer_promote_on_move
    AFTER UPDATE OF owner_id ON profiles_racerprofile
    FOR EACH ROW WHEN (OLD.is_default AND OLD.owner_id <> NEW.owner_id)
    EXECUTE FUNCTION profiles_racer_after_write();

CREATE CONSTRAINT TRIGGER profiles_racer_promote_on_demote
    AFTER UPDATE OF is_default ON profiles_racerprofile
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.is_default AND NOT NEW.is_default)
    EXECUTE FUNCTION profiles_racer_after_write();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS profiles_racer_promote_on_demote ON profiles_racerprofile;
DROP TRIGGER IF EXISTS profiles_racer_promote_on_move ON profiles_racerprofile;
DROP TRIGGER IF EXISTS profiles_racer_promote_on_delete ON profiles_racerprofile;
DROP TRIGGER IF EXISTS profiles_racer_lock_owner ON profiles_racerprofile;
DROP FUNCTION IF EXISTS profiles_racer_after_write();
DROP FUNCTION IF EXISTS profiles_racer_before_write();
DROP FUNCTION IF EXISTS profiles_racer_promote(bigint);
"""

# The owner's oldest racer, promoted when the owner has no default.
SQLITE_PROMOTE = """
    UPDATE profiles_racerprofile SET is_default = 1
    WHERE id = (SELECT id FROM profiles_racerprofile WHERE owner_id = {owner}
                ORDER BY created_at, id LIMIT 1)
      AND NOT EXISTS (SELECT 1 FROM profiles_racerprofile WHERE owner_id = {owner} AND is_default);
"""

SQLITE = [
    """
CREATE TRIGGER profiles_racer_first_is_default AFTER INSERT ON profiles_racerprofile
WHEN NOT NEW.is_default
BEGIN"""
    + SQLITE_PROMOTE.format(owner="NEW.owner_id")
    + "END",
    """
CREATE TRIGGER profiles_racer_promote_on_delete AFTER DELETE ON profiles_racerprofile
WHEN OLD.is_default
BEGIN"""
    + SQLITE_PROMOTE.format(owner="OLD.owner_id")
    + "END",
    """
CREATE TRIGGER profiles_racer_promote_on_move AFTER UPDATE OF owner_id ON profiles_racerprofile
WHEN OLD.owner_id <> NEW.owner_id
BEGIN"""
    + SQLITE_PROMOTE.format(owner="NEW.owner_id")
    + SQLITE_PROMOTE.format(owner="OLD.owner_id")
    + "END",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS profiles_racer_promote_on_move",
    "DROP TRIGGER IF EXISTS profiles_racer_promote_on_delete",
    "DROP TRIGGER IF EXISTS profiles_racer_first_is_default",
]


class Migration(migrations.Migration):
    dependencies = [("profiles", "0004_one_default_racer_per_owner")]

    operations = [
        OnPostgresOnly(migrations.RunSQL(POSTGRES, POSTGRES_DROP)),
        OnSqliteOnly(migrations.RunSQL(tuple(SQLITE), tuple(SQLITE_DROP))),
    ]
