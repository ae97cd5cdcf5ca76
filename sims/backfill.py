"""The data step of the migration from owned profiles to linked profiles.

Called by ``0003_backfill_links`` with the historical models; callable on its
own too (``backfill_links(django.apps.apps, None)`` works while the legacy
``user`` column still exists). Everything is set-based: a few UPDATE
statements, no rows loaded into Python, so it scales with the table.

Forward (``backfill_links``):
- a profile without an identifier gets its slugified name, "-", and its id
  (the id keeps it unique per simulator);
- the legacy owner becomes the linked user, linked since the profile was
  created, and the profile counts as verified (it was the owner's own);
- profiles already linked, or owned by the placeholder account below, are
  left alone, so running it again changes nothing.

Backward (``restore_owners``):
- the linked user becomes the owner again;
- the legacy schema needs an owner for every profile, but profiles may now be
  unlinked (imported drivers, unlinked claims). Deleting them would lose
  data, so they are given to one inactive placeholder account,
  ``UNCLAIMED_USERNAME`` (no usable password). Going forward again the
  placeholder's profiles come back unlinked and unverified.
"""

from django.conf import settings
from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Cast, Coalesce, Concat, Left, Lower, NullIf

UNCLAIMED_USERNAME = "unclaimed-sim-profiles"

# SQLite has no regular expressions: these are the characters names use.
# (Nested REPLACE calls are cheap but SQLite's parser limits their depth.)
_SQLITE_SEPARATORS = " _.,'/()&!?"


def slugify_sql(field: str, vendor: str) -> Func:
    """Lower-case, runs of non-alphanumerics to "-", trimmed; in SQL."""
    lowered = Lower(F(field))
    if vendor == "postgresql":
        dashed = Func(
            lowered,
            Value("[^a-z0-9]+"),
            Value("-"),
            Value("g"),
            function="REGEXP_REPLACE",
            output_field=CharField(),
        )
        trimmed = Func(dashed, Value("-"), function="BTRIM", output_field=CharField())
    else:
        dashed = lowered
        for char in _SQLITE_SEPARATORS:
            dashed = Func(dashed, Value(char), Value("-"), function="REPLACE", output_field=CharField())
        for _ in range(3):  # up to eight dashes in a row become one
            dashed = Func(dashed, Value("--"), Value("-"), function="REPLACE", output_field=CharField())
        trimmed = Func(dashed, Value("-"), function="TRIM", output_field=CharField())
    return Coalesce(NullIf(trimmed, Value("")), Value("profile"), output_field=CharField())


def _vendor(schema_editor) -> str:
    if schema_editor is not None:
        return schema_editor.connection.vendor
    from django.db import connection

    return connection.vendor


def backfill_links(apps, schema_editor) -> None:
    SimProfile = apps.get_model("sims", "SimProfile")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    vendor = _vendor(schema_editor)

    SimProfile.objects.filter(profile_identifier="").update(
        profile_identifier=Concat(
            Left(slugify_sql("profile_name", vendor), 50),
            Value("-"),
            Cast("id", CharField()),
            output_field=CharField(),
        )
    )
    placeholder = User.objects.filter(username=UNCLAIMED_USERNAME).values("pk")
    SimProfile.objects.filter(linked_user__isnull=True, user__isnull=False).exclude(
        user__in=placeholder
    ).update(linked_user=F("user"), linked_at=F("created_at"), is_verified=True)


def restore_owners(apps, schema_editor) -> None:
    SimProfile = apps.get_model("sims", "SimProfile")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))

    SimProfile.objects.filter(linked_user__isnull=False).update(user=F("linked_user"))
    orphans = SimProfile.objects.filter(linked_user__isnull=True)
    if orphans.exists():
        placeholder, _ = User.objects.get_or_create(
            username=UNCLAIMED_USERNAME,
            defaults={"is_active": False, "password": "!unclaimed-sim-profiles"},
        )
        orphans.update(user=placeholder)
