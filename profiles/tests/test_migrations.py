"""The is_default migration path, as existing deployments run it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("profiles", "0001_initial")]
AFTER = [("profiles", "0004_one_default_racer_per_owner")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def migrator(transactional_db):
    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def populate(apps):
    User = apps.get_model("profiles", "User")
    Racer = apps.get_model("profiles", "RacerProfile")
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    owners = {name: User.objects.create(username=name) for name in ["named", "oldest", "empty", "tied"]}

    def racer(owner, name, days):
        r = Racer.objects.create(owner=owners[owner], name=name)
        Racer.objects.filter(pk=r.pk).update(created_at=t0 + dt.timedelta(days=days))

    racer("named", "Kid", 0)
    racer("named", "Default Racer", 5)
    racer("oldest", "Newer", 3)
    racer("oldest", "Oldest", 1)
    racer("tied", "Second", 2)
    racer("tied", "First", 2)  # same timestamp: the lower id (created first) wins
    return owners


def defaults(apps):
    Racer = apps.get_model("profiles", "RacerProfile")
    return dict(Racer.objects.filter(is_default=True).values_list("owner__username", "name"))


def test_backfill_picks_default_racer_else_oldest_and_is_idempotent(migrator):
    apps = migrator(BEFORE)
    populate(apps)
    apps = migrator(AFTER)
    expected = {"named": "Default Racer", "oldest": "Oldest", "tied": "Second"}
    assert defaults(apps) == expected

    # A user changes their default; going back and forward again keeps it.
    Racer = apps.get_model("profiles", "RacerProfile")
    Racer.objects.filter(owner__username="named").update(is_default=False)
    Racer.objects.filter(owner__username="named", name="Kid").update(is_default=True)
    apps = migrator([("profiles", "0002_add_is_default")])
    apps = migrator(AFTER)
    assert defaults(apps) == {**expected, "named": "Kid"}


def test_migrations_reverse_to_before_is_default_and_forward_again(migrator):
    apps = migrator(BEFORE)
    populate(apps)
    migrator(AFTER)
    apps = migrator(BEFORE)
    Racer = apps.get_model("profiles", "RacerProfile")
    assert "is_default" not in {f.name for f in Racer._meta.get_fields()}
    assert Racer.objects.count() == 6
    apps = migrator(AFTER)
    assert defaults(apps) == {"named": "Default Racer", "oldest": "Oldest", "tied": "Second"}
