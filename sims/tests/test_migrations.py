"""The owned-to-linked migration path, as existing deployments run it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sims.backfill import UNCLAIMED_USERNAME, backfill_links

LEGACY = [("sims", "0001_initial")]
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
    rows = {}
    for key, sim, owner, name in [
        ("ana_ir", iracing, ana, "Ana Lópes Racing"),
        ("ana_acc", acc, ana, "Ana  --  Fast!!"),
        ("ben_ir", iracing, ben, "Ben"),
        ("same_name", iracing, ben, "Ben"),  # same name on one simulator: ids keep them apart
        ("blank", acc, ben, ""),
    ]:
        profile = SimProfile.objects.create(simulator=sim, user=owner, profile_name=name)
        SimProfile.objects.filter(pk=profile.pk).update(created_at=T0 + dt.timedelta(days=len(rows)))
        rows[key] = profile.pk
    return rows


def state(apps):
    SimProfile = apps.get_model("sims", "SimProfile")
    return {p.pk: p for p in SimProfile.objects.select_related("linked_user")}


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
    assert ana_ir.profile_identifier.startswith("ana-l")
    assert ana_ir.profile_identifier.replace("-", "").endswith(ids["ana_ir"].hex)
    assert profiles[ids["ana_acc"]].profile_identifier.startswith("ana-fast-")
    assert profiles[ids["blank"]].profile_identifier.startswith("profile-")
    assert profiles[ids["ben_ir"]].profile_identifier != profiles[ids["same_name"]].profile_identifier
    assert all(p.profile_identifier for p in profiles.values())
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
    apps = migrator([("sims", "0003_backfill_links")])
    SimProfile = apps.get_model("sims", "SimProfile")
    SimProfile.objects.filter(pk=ids["ana_ir"]).update(profile_identifier="123456", is_verified=False)

    backfill_links(apps, None)
    again = SimProfile.objects.get(pk=ids["ana_ir"])
    assert again.profile_identifier == "123456"
    assert again.is_verified is False
