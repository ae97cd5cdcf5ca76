"""The data step of the migration from owned profiles to linked profiles.

Called by ``0003_backfill_links`` with the historical models; callable on its
own too (``backfill_links(django.apps.apps, None)`` works while the legacy
``user`` column still exists). Set-based: every new value of a row is
written in a single pass, no rows loaded into Python, so it scales with the
table. (Each extra pass would write a new version of every row and of every
index entry: at a million profiles that, not the computing, is the cost.)

How the pass is made depends on the database:
- PostgreSQL: one table rewrite, ``ALTER TABLE ... ALTER COLUMN ... TYPE
  <its own type> USING <the new value>`` for the four columns in one
  statement. It writes every row once onto fresh, packed pages and builds
  each index once, where an UPDATE writes a new version of each row beside
  the old one and adds it to every index row by row: at a million profiles
  the rewrite took less than half the time of the UPDATE (see
  ``bench/README.md``). The price is an ACCESS EXCLUSIVE lock on the table
  for the rewrite (reads wait too, not only writes); the UPDATE locks every
  row, so updates and deletes of profiles wait for it either way, for
  longer, and a deploy migrating this table stops writing to it anyway.
  ``ALTER TABLE`` refuses to run in a transaction that still has deferred
  constraint checks pending on the table, which a migration's own
  transaction never has. When no row needs anything, nothing is rewritten.
- SQLite (and anything else): one UPDATE.

Forward (``backfill_links``):
- a profile without an identifier gets ``identifier_for(name, id)``: its
  name slugified as ``django.utils.text.slugify`` does, "-", and its id (the
  id keeps it unique per simulator);
- the legacy owner becomes the linked user, linked since the profile was
  created, and the profile counts as verified (it was the owner's own);
- profiles already linked, or owned by the placeholder account below, keep
  their link, and filled identifiers are kept, so running it again changes
  nothing (it matches no row).

A round trip (back to the legacy shape and forward again) keeps every
identifier and visibility as it was: identifiers are public profile URLs,
often typed by hand (a platform's own driver id), and a private profile
must not turn public. The legacy shape has no column for them, so going
back copies them (one ``CREATE TABLE ... AS SELECT``) into
``KEPT_TABLE``, outside Django's models; going forward restores them in one
UPDATE before anything else and drops the table (so does unapplying
``0001_initial``). Identifiers of profiles created meanwhile are generated.

Backward (``restore_owners``):
- the linked user becomes the owner again;
- the legacy schema needs an owner for every profile, but profiles may now be
  unlinked (imported drivers, unlinked claims). Deleting them would lose
  data, so they are given to one inactive placeholder account,
  ``UNCLAIMED_USERNAME`` (no usable password). Going forward again the
  placeholder's profiles come back unlinked and unverified.
"""

from collections.abc import Mapping
from typing import cast

from django.conf import settings
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Case, CharField, F, Field, Func, Model, Q, Value, When
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import Cast, Coalesce, Concat, Left, Length, Lower, NullIf
from django.db.models.sql import Query
from django.utils.text import slugify

UNCLAIMED_USERNAME = "unclaimed-sim-profiles"

# sims.SimProfile.profile_identifier's max_length in every migration state.
IDENTIFIER_MAX_LENGTH = 100

# What slugify keeps after folding to ASCII and lower-casing: \w and \s of an
# ASCII string in Python's re, and "-". Spelled out rather than \s, whose
# meaning in PostgreSQL depends on the database's locale.
_PY_ASCII_SPACE = " \t\n\r\x0b\x0c\x1c-\x1f"
_NOT_KEPT = f"[^a-z0-9_{_PY_ASCII_SPACE}-]+"
_SEPARATORS = f"[{_PY_ASCII_SPACE}-]+"

_SQLITE_FUNCTION = "SIMS_SLUGIFY"

# Where a trip back to the legacy shape keeps identifiers and visibility.
KEPT_TABLE = "sims_simprofile_kept"


def identifier_for(name: str, pk: object) -> str:
    """The identifier ``backfill_links`` gives a profile, computed for one row in Python.

    ``slugify(name)`` ("profile" if that is empty), cut so that it, "-" and
    the id fit the column, "-" and "_" trimmed off the cut end, "-", the id.
    The SQL in ``backfill_links`` must give the same (tests and the
    migration benchmark compare them).
    """
    suffix = str(pk)
    slug = slugify(name) or "profile"
    return f"{slug[: IDENTIFIER_MAX_LENGTH - 1 - len(suffix)].rstrip('-_')}-{suffix}"


def _regexp_replace(expression: Combinable, pattern: str, replacement: str) -> Func:
    return Func(
        expression,
        Value(pattern),
        Value(replacement),
        Value("g"),
        function="REGEXP_REPLACE",
        output_field=CharField(),
    )


def slugify_sql(field: str, connection: BaseDatabaseWrapper) -> Func:
    """``slugify(field)`` as an SQL expression for ``connection``; "" stays "".

    PostgreSQL, step by step as ``slugify`` does it: ``NORMALIZE(.., NFKD)``
    splits accented letters into letter + accent ("é" -> "e" + U+0301), which
    is ``slugify``'s own fold (there it is followed by dropping non-ASCII);
    lower-case; drop everything but ``[a-z0-9_]``, whitespace and "-" (the
    accents go here, and apostrophes: "O'Brien" -> "obrien"); runs of
    whitespace and "-" become one "-"; "-" and "_" trimmed off both ends.
    ``NORMALIZE`` is core PostgreSQL (13+; it needs a UTF8 database, which is
    what Django expects), so no extension is needed. It also folds letters no
    hand-written ``translate()`` list would carry, and costs about a second a
    million names, against about five for ``translate()`` with the 169
    accented Latin letters (its cost grows with the list, for every
    character of every name).

    SQLite has no regular expressions or Unicode folding; the data migration
    registers ``slugify`` itself as an SQL function on the connection
    (``_register_sqlite_slugify``), so it is still one UPDATE statement and
    gives exactly ``slugify``'s result.
    """
    if connection.vendor == "postgresql":
        folded = Func(F(field), function="NORMALIZE", template="%(function)s(%(expressions)s, NFKD)")
        kept = _regexp_replace(Lower(folded), _NOT_KEPT, "")
        dashed = _regexp_replace(kept, _SEPARATORS, "-")
        return Func(dashed, Value("-_"), function="BTRIM", output_field=CharField())
    if connection.vendor == "sqlite":
        _register_sqlite_slugify(connection)
        return Func(F(field), function=_SQLITE_FUNCTION, output_field=CharField())
    raise NotImplementedError(f"No SQL slugify for {connection.vendor}")


def _register_sqlite_slugify(connection: BaseDatabaseWrapper) -> None:
    connection.ensure_connection()
    connection.connection.create_function(
        _SQLITE_FUNCTION, 1, lambda value: slugify(value or ""), deterministic=True
    )


def identifier_sql(connection: BaseDatabaseWrapper) -> Func:
    """``identifier_for(profile_name, id)`` as an SQL expression (the id as the database spells it)."""
    suffix = Cast("id", CharField())
    slug = Coalesce(NullIf(slugify_sql("profile_name", connection), Value("")), Value("profile"))
    cut = Left(slug, IDENTIFIER_MAX_LENGTH - 1 - Length(suffix))
    trimmed = Func(cut, Value("-_"), function="RTRIM", output_field=CharField())
    return Concat(trimmed, Value("-"), suffix, output_field=CharField())


def _connection(schema_editor: BaseDatabaseSchemaEditor | None) -> BaseDatabaseWrapper:
    return schema_editor.connection if schema_editor is not None else default_connection


def backfill_links(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor | None) -> None:
    SimProfile = apps.get_model("sims", "SimProfile")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    connection = _connection(schema_editor)
    _restore_kept(connection)

    needs_identifier = Q(profile_identifier="")
    needs_link = Q(linked_user__isnull=True, user__isnull=False)
    placeholder = User.objects.filter(username=UNCLAIMED_USERNAME).values_list("pk", flat=True).first()
    if placeholder is not None:
        needs_link &= ~Q(user=placeholder)

    def when_linking(then: Combinable, field: str) -> Case:
        return Case(When(needs_link, then=then), default=F(field))

    # One statement, one new version of each row: each column says on its
    # own whether this row needs it, so rows that need neither keep every value.
    values = {
        "profile_identifier": Case(
            When(needs_identifier, then=identifier_sql(connection)), default=F("profile_identifier")
        ),
        "linked_user": when_linking(F("user"), "linked_user"),
        "linked_at": when_linking(F("created_at"), "linked_at"),
        "is_verified": when_linking(Value(True), "is_verified"),
    }
    to_fill = SimProfile.objects.filter(needs_identifier | needs_link)
    if connection.vendor == "postgresql":
        if to_fill.exists():
            _rewrite_table(SimProfile, values, connection)
    else:
        to_fill.update(**values)


def _rewrite_table(
    model: type[Model], values: Mapping[str, Expression], connection: BaseDatabaseWrapper
) -> None:
    """Set each column in ``values`` to its expression, for every row, in one table rewrite (PostgreSQL).

    ``ALTER COLUMN .. TYPE`` to the column's own type ``USING`` the
    expression; every ``USING`` reads the row as it was before the statement,
    as the right-hand sides of an UPDATE do.
    """
    query = Query(model)
    compiler = query.get_compiler(connection=connection)
    quote = connection.ops.quote_name
    clauses, params = [], []
    for name, value in values.items():
        field = cast(Field, model._meta.get_field(name))  # the columns set here are plain fields
        using, using_params = compiler.compile(value.resolve_expression(query, allow_joins=False))
        clauses.append(f"ALTER COLUMN {quote(field.column)} TYPE {field.db_type(connection)} USING {using}")
        params.extend(using_params)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {quote(model._meta.db_table)} {', '.join(clauses)}", params)


def _restore_kept(connection: BaseDatabaseWrapper) -> None:
    """Give back the identifiers and visibility kept on the way back (``restore_owners``), then drop them."""
    if KEPT_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE sims_simprofile SET profile_identifier = kept.profile_identifier, is_public = kept.is_public "
            f"FROM {KEPT_TABLE} kept WHERE kept.profile_id = sims_simprofile.id"
        )
        cursor.execute(f"DROP TABLE {KEPT_TABLE}")


def _keep(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Copy every profile's identifier and visibility aside: the legacy shape has no column for them."""
    schema_editor.execute(f"DROP TABLE IF EXISTS {KEPT_TABLE}")
    schema_editor.execute(
        f"CREATE TABLE {KEPT_TABLE} AS SELECT id AS profile_id, profile_identifier, is_public FROM sims_simprofile"
    )
    schema_editor.execute(f"CREATE UNIQUE INDEX {KEPT_TABLE}_profile ON {KEPT_TABLE} (profile_id)")


def restore_owners(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    SimProfile = apps.get_model("sims", "SimProfile")
    User = apps.get_model(settings.AUTH_USER_MODEL)

    if SimProfile.objects.exists():
        _keep(schema_editor)

    owner: Combinable = F("linked_user")
    if SimProfile.objects.filter(linked_user__isnull=True).exists():
        placeholder, _ = User.objects.get_or_create(
            username=UNCLAIMED_USERNAME,
            defaults={"is_active": False, "password": "!unclaimed-sim-profiles"},
        )
        owner = Coalesce(F("linked_user"), Value(placeholder.pk))
    SimProfile.objects.update(user=owner)


def more_memory_for_builds(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Let this migration's index builds sort, and its foreign key check hash, in memory.

    PostgreSQL's defaults (maintenance_work_mem 64 MB, work_mem 4 MB) make
    the sort of a million identifiers and the join that validates a new
    foreign key spill to disk. ``SET LOCAL`` ends with the migration's
    transaction; other databases have nothing to set.
    """
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        schema_editor.execute("SET LOCAL work_mem = '64MB'")
