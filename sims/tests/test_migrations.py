"""The owned-to-linked migration path, as existing deployments run it."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.text import slugify

from sims.backfill import UNCLAIMED_USERNAME, backfill_links, identifier_for, identifier_sql
from sims.models import SimProfile
from sims.tests.factories import make_profile

LEGACY = [("sims", "0001_initial")]
BACKFILLED = [("sims", "0003_backfill_links")]
LINKED = [("sims", "0005_remove_user")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrator(transactional_db):
    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


T0 = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def populate_legacy(apps):
    User = apps.get_model("profiles", "User")
    Simulator = apps.get_model("sims", "Simulator")
    SimProfile = apps.get_model("sims", "SimProfile")
    iracing = Simulator.objects.create(name="iRacing", slug="iracing")
    acc = Simulator.objects.create(name="ACC", slug="acc")
    ana = User.objects.create(username="ana")
    ben = User.objects.create(username="ben")
    rows: dict = {}
    for key, sim, owner, name in [
        ("ana_ir", iracing, ana, "Ana Lópes Racing"),
        ("ana_acc", acc, ana, "Ana  --  Fast!!"),
        ("ben_ir", iracing, ben, "Ben O'Brien_2"),
        ("same_name", iracing, ben, "Ben O'Brien_2"),  # same name on one simulator: ids keep them apart
        ("blank", acc, ben, ""),
    ]:
        profile = SimProfile.objects.create(simulator=sim, user=owner, profile_name=name)
        SimProfile.objects.filter(pk=profile.pk).update(created_at=T0 + dt.timedelta(days=len(rows)))
        rows[key] = profile.pk
    return rows


def state(apps):
    SimProfile = apps.get_model("sims", "SimProfile")
    return {p.pk: p for p in SimProfile.objects.select_related("linked_user")}


def db_id(pk) -> str:
    """The id as the database casts it to text: the identifier's suffix."""
    return str(pk) if connection.vendor == "postgresql" else pk.hex


def constraints_on(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def on_column(constraints: dict, column: str) -> list[dict]:
    return [c for c in constraints.values() if c["columns"] == [column]]


def test_backfill_links_owners_fills_identifiers_and_verifies(migrator):
    apps = migrator(LEGACY)
    ids = populate_legacy(apps)
    apps = migrator(LINKED)
    profiles = state(apps)

    assert len(profiles) == 5
    ana_ir = profiles[ids["ana_ir"]]
    assert ana_ir.linked_user.username == "ana"
    assert ana_ir.is_verified is True
    assert ana_ir.linked_at == T0
    # As slugify has it: accents folded, apostrophes dropped, underscores kept.
    assert ana_ir.profile_identifier == f"ana-lopes-racing-{db_id(ids['ana_ir'])}"
    assert profiles[ids["ana_acc"]].profile_identifier == f"ana-fast-{db_id(ids['ana_acc'])}"
    assert profiles[ids["ben_ir"]].profile_identifier == f"ben-obrien_2-{db_id(ids['ben_ir'])}"
    assert profiles[ids["blank"]].profile_identifier == f"profile-{db_id(ids['blank'])}"
    assert profiles[ids["ben_ir"]].profile_identifier != profiles[ids["same_name"]].profile_identifier
    assert all(p.is_public for p in profiles.values())
    assert profiles[ids["ben_ir"]].linked_at == T0 + dt.timedelta(days=2)


def test_backward_restores_owners_and_forward_again_keeps_data(migrator):
    apps = migrator(LEGACY)
    ids = populate_legacy(apps)
    apps = migrator(LINKED)
    SimProfile = apps.get_model("sims", "SimProfile")
    User = apps.get_model("profiles", "User")
    # After the upgrade ana's ACC profile is handed over to ben, and one is unlinked.
    SimProfile.objects.filter(pk=ids["ana_acc"]).update(linked_user=User.objects.get(username="ben"))
    SimProfile.objects.filter(pk=ids["same_name"]).update(linked_user=None, linked_at=None, is_verified=False)
    identifiers = dict(SimProfile.objects.values_list("pk", "profile_identifier"))

    apps = migrator(LEGACY)
    SimProfile = apps.get_model("sims", "SimProfile")
    fields = {f.name for f in SimProfile._meta.get_fields()}
    assert "user" in fields and "linked_user" not in fields and "profile_identifier" not in fields
    owners = dict(SimProfile.objects.values_list("pk", "user__username"))
    assert owners == {
        ids["ana_ir"]: "ana",
        ids["ana_acc"]: "ben",
        ids["ben_ir"]: "ben",
        ids["same_name"]: UNCLAIMED_USERNAME,  # the documented rule for unlinked profiles
        ids["blank"]: "ben",
    }
    placeholder = apps.get_model("profiles", "User").objects.get(username=UNCLAIMED_USERNAME)
    assert placeholder.is_active is False
    assert not placeholder.password or placeholder.password.startswith("!")
    # The legacy shape again, owner index and foreign key included.
    user_id = on_column(constraints_on("sims_simprofile"), "user_id")
    assert any(c["index"] for c in user_id)
    assert any(c["foreign_key"] == ("profiles_user", "id") for c in user_id)

    apps = migrator(LINKED)
    profiles = state(apps)
    assert len(profiles) == 5
    assert profiles[ids["same_name"]].linked_user is None
    assert profiles[ids["same_name"]].is_verified is False
    assert profiles[ids["ana_acc"]].linked_user.username == "ben"
    assert profiles[ids["ana_ir"]].linked_user.username == "ana"
    # Identifiers are recomputed from the same name and id: the same as before.
    assert {pk: p.profile_identifier for pk, p in profiles.items()} == identifiers


def test_backfill_is_idempotent(migrator):
    apps = migrator(LEGACY)
    ids = populate_legacy(apps)
    apps = migrator(BACKFILLED)
    SimProfile = apps.get_model("sims", "SimProfile")
    SimProfile.objects.filter(pk=ids["ana_ir"]).update(profile_identifier="123456", is_verified=False)
    before = list(SimProfile.objects.order_by("pk").values())

    backfill_links(apps, None)

    assert list(SimProfile.objects.order_by("pk").values()) == before
    again = SimProfile.objects.get(pk=ids["ana_ir"])
    assert again.profile_identifier == "123456"
    assert again.is_verified is False


def test_backfill_again_fills_only_the_profiles_that_need_it(migrator):
    apps = migrator(LEGACY)
    ids = populate_legacy(apps)
    apps = migrator(BACKFILLED)
    SimProfile = apps.get_model("sims", "SimProfile")
    User = apps.get_model("profiles", "User")
    SimProfile.objects.filter(pk=ids["ana_ir"]).update(profile_identifier="123456", is_verified=False)
    SimProfile.objects.filter(pk=ids["ben_ir"]).update(linked_user=None, linked_at=None)
    before = {p["id"]: p for p in SimProfile.objects.values()}
    late = SimProfile.objects.create(
        simulator_id=before[ids["ana_acc"]]["simulator_id"],
        user=User.objects.get(username="ana"),
        profile_name="Late Comer",
    )

    backfill_links(apps, None)

    after = {p["id"]: p for p in SimProfile.objects.values()}
    ben = User.objects.get(username="ben")
    assert after.pop(ids["ben_ir"]) == {
        **before.pop(ids["ben_ir"]),
        "linked_user_id": ben.pk,
        "linked_at": T0 + dt.timedelta(days=2),
        "is_verified": True,
    }
    added = after.pop(late.pk)
    assert added["profile_identifier"] == f"late-comer-{db_id(late.pk)}"
    assert (added["linked_user_id"], added["linked_at"], added["is_verified"]) == (
        late.user_id,
        late.created_at,
        True,
    )
    assert after == before


def test_new_columns_are_bare_during_the_backfill_and_indexed_after(migrator):
    migrator(BACKFILLED)
    during = constraints_on("sims_simprofile")
    assert on_column(during, "linked_user_id") == []
    assert on_column(during, "is_public") == []
    assert not any(c["index"] for c in on_column(during, "user_id"))
    assert "sim_profile_public_recent_idx" not in during

    migrator(LINKED)
    after = constraints_on("sims_simprofile")
    linked_user = on_column(after, "linked_user_id")
    assert any(c["index"] for c in linked_user)
    assert any(c["foreign_key"] == ("profiles_user", "id") for c in linked_user)
    assert any(c["index"] for c in on_column(after, "is_public"))
    assert after["sim_profile_public_recent_idx"]["index"]
    assert after["unique_identifier_per_simulator"]["unique"]


@pytest.mark.postgres
def test_linked_user_foreign_key_is_enforced_after_the_migration(migrator):
    apps = migrator(LEGACY)
    ids = populate_legacy(apps)
    migrator(LINKED)

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE sims_simprofile SET linked_user_id = -1 WHERE id = %s", [ids["ana_ir"]])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


TRICKY_NAMES = [
    "Sébastien O'Brien",
    "Zoë Räikkönen",
    "Chloé D'Ambrosio",
    "charles_smith13",
    "__under_score__",
    "Max   Verstappen  #33",
    "Kimi Räikkönen | Redline",
    "  -- Leading punctuation!",
    "...St. John...",
    "Jean-Pierre  -  Dupont",
    "Tab\tand\nnew line",
    "Søren Nørgaard",  # no decomposition for ø: slugify drops it
    "Łukasz Ōta",
    "Ştefan Ţîrcă Çelik",
    "İsmail ﬁnn Straße",
    "BS+COMPETITION",
    "🏎️ Speed",
    "!!!",
    "'''",
    "東京",
    "",
    "Fernando-Pierre Van der Berg (Williams Esports Academy) of the Great Racing Team",
]


def test_sql_identifier_matches_slugify_and_fits_the_column(db):
    max_length = SimProfile._meta.get_field("profile_identifier").max_length
    assert max_length is not None
    room = max_length - 1 - len(db_id(uuid.uuid4()))  # for the slug, before "-" and the id
    cut_at_dash = "x" * room + " tail"  # the cut leaves a trailing "-", which goes
    names = [*TRICKY_NAMES, cut_at_dash]
    profiles = [make_profile(name=name) for name in names]
    rows = SimProfile.objects.filter(pk__in=[p.pk for p in profiles]).values_list(
        "profile_name", "id", Cast("id", CharField()), identifier_sql(connection)
    )

    assert len(rows) == len(names)
    for name, pk, suffix, identifier in rows:
        assert identifier == identifier_for(name, suffix), name
        assert len(identifier) <= max_length
        slug = slugify(name) or "profile"
        if len(slug) + 1 + len(suffix) <= max_length:
            assert identifier == f"{slug}-{suffix}", name
        assert suffix == db_id(pk)
    slugs = {name: identifier.removesuffix(f"-{suffix}") for name, _, suffix, identifier in rows}
    assert slugs["Sébastien O'Brien"] == "sebastien-obrien"
    assert slugs["__under_score__"] == "under_score"
    assert slugs["Søren Nørgaard"] == "sren-nrgaard"
    assert slugs["!!!"] == slugs[""] == slugs["東京"] == "profile"
    assert slugs[cut_at_dash] == "x" * room


def test_round_trip_to_the_legacy_shape_keeps_hand_set_identifiers_and_visibility(migrator):
    apps = migrator(LEGACY)
    ids = populate_legacy(apps)
    apps = migrator(LINKED)
    SimProfile = apps.get_model("sims", "SimProfile")
    # Typed by their owners after the upgrade: the platforms' own driver ids.
    SimProfile.objects.filter(pk=ids["ana_ir"]).update(profile_identifier="76561198000000001")
    SimProfile.objects.filter(pk=ids["ben_ir"]).update(profile_identifier="ben-obrien", is_public=False)
    before = {pk: (p.profile_identifier, p.is_public) for pk, p in state(apps).items()}

    apps = migrator(LEGACY)
    assert "sims_simprofile_kept" in connection.introspection.table_names()
    legacy = apps.get_model("sims", "SimProfile")
    newcomer = legacy.objects.create(
        simulator=apps.get_model("sims", "Simulator").objects.get(slug="acc"),
        user=apps.get_model("profiles", "User").objects.get(username="ana"),
        profile_name="Created Meanwhile",
    )
    apps = migrator(LINKED)

    after = {pk: (p.profile_identifier, p.is_public) for pk, p in state(apps).items()}
    assert after.pop(newcomer.pk) == (f"created-meanwhile-{db_id(newcomer.pk)}", True)
    assert after == before
    assert "sims_simprofile_kept" not in connection.introspection.table_names()


def test_going_back_to_zero_leaves_no_kept_identifiers(migrator):
    apps = migrator(LEGACY)
    populate_legacy(apps)
    migrator(LINKED)
    migrator(LEGACY)
    MigrationExecutor(connection).migrate([("sims", None)])
    assert "sims_simprofile_kept" not in connection.introspection.table_names()


def test_add_requests_migration_goes_back_and_forward(migrator):
    migrator([("sims", "0007_search_text_trigram_index")])
    assert "sims_addrequest" not in connection.introspection.table_names()
    migrator([("sims", "0008_add_requests")])
    constraints = constraints_on("sims_addrequest")
    assert {
        "one_pending_add_request_per_user_and_identifier",
        "add_request_status_valid",
        "add_request_decided_when_not_pending",
    } <= set(constraints)
