"""Every project migration reverses, and reversing keeps the data it can keep.

Going back to zero drops the tables, so "data intact" can only mean intact
as far back as the data survives. Two kinds of test, then:

* Round trips on a populated database: each project app goes back to the
  earliest state its rows survive and forward again, and every row of every
  project table that survives the trip is compared, field by field, ordered
  by pk:

  - racing back to 0002 (its constraints and search indexes go and come
    back, and the setup library goes back into racing); every table keeps
    its rows, except the idempotency keys' (0008), which the trip drops.
  - sims back to 0006 (the search index goes and comes back).
  - profiles back to 0001 (``is_default`` is dropped and backfilled again).
    No other app needs more of profiles than 0001 (its user and racer
    tables), so every other app stays migrated and every table keeps its rows.

  sims back to its legacy 0001 (owned profiles) reshapes rows by design;
  sims/tests/test_migrations.py checks that path row by row.

* Every project app back to zero on an empty database and forward again,
  which runs every reverse operation. The contrib and allauth apps whose
  migrations depend on the user model are unapplied with it, and re-applied.

Runs with ``transactional_db`` (migrations need real DDL) and restores the
leaf state at the end.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

PROJECT_APPS = ("profiles", "racing", "library", "sims")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    if any(name is None for _app, name in targets):
        return None  # back to zero: no models to hand back
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def applied(app: str) -> set[str]:
    executor = MigrationExecutor(connection)
    return {name for a, name in executor.loader.applied_migrations if a == app}


def every_migration(app: str) -> set[str]:
    return {name for a, name in MigrationExecutor(connection).loader.graph.nodes if a == app}


@pytest.fixture
def migrator(transactional_db):
    yield migrate
    migrate(leaves())


def populate(apps) -> None:
    """One of everything, through the models as the latest migrations define them."""
    get = apps.get_model
    t0 = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    ana = get("profiles", "User").objects.create(username="ana", email="ana@example.com")
    ben = get("profiles", "User").objects.create(username="ben", email="ben@example.com")
    team = get("profiles", "Team").objects.create(name="Team Dirt")
    Racer = get("profiles", "RacerProfile")
    # The default is the one the backfill rule picks (named "Default Racer", else the oldest).
    main = Racer.objects.create(owner=ana, name="Default Racer", is_default=True, transponder="123")
    kid = Racer.objects.create(owner=ana, name="Kid", is_default=False, team=team)
    solo = Racer.objects.create(owner=ben, name="Ben", is_default=True)
    get("profiles", "Sponsor").objects.create(racer=main, name="Tyres Ltd")
    vehicle = get("racing", "Vehicle").objects.create(racer=main, brand="Mugen", model="MBX8R")
    get("racing", "Vehicle").objects.create(racer=kid, brand="Xray", model="XB8", nickname="spare")
    version = get("racing", "BaselineVersion").objects.create(
        vehicle=vehicle, number=1, df=7000, sb_f=Decimal("2.4"), sp_f="Silver", note="first"
    )
    race_day = get("racing", "RaceDay").objects.create(
        racer=main, vehicle=vehicle, based_on=version, track="Genk", date=dt.date(2025, 5, 4), df=7000
    )
    get("racing", "RaceDayChange").objects.create(
        race_day=race_day, parameter="df", old_value="7000", new_value="9000"
    )
    round_ = get("racing", "RaceDayRound").objects.create(race_day=race_day, kind="main", result="P1")
    get("racing", "RaceDayLap").objects.create(round=round_, lap_no=1, time=Decimal("32.451"))
    get("racing", "TrackLog").objects.create(racer=main, timestamp=t0, track="Genk", vehicle=vehicle)
    get("racing", "IdempotencyKey").objects.create(
        user=ana, key="6f1c1f3e-5b7e-4d0e-9a51-1d0f9b2c3a4d", path="/race-days/1/changes/", status_code=302
    )
    get("library", "LibrarySetup").objects.create(
        added_by=ana, track="Rijswijk", brand="Mugen", vehicle="MBX8R", c_f=Decimal("-1.5")
    )
    simulator = get("sims", "Simulator").objects.create(name="iRacing", slug="iracing")
    profile = get("sims", "SimProfile").objects.create(
        simulator=simulator, profile_identifier="4242", profile_name="Ana", linked_user=ana, linked_at=t0
    )
    get("sims", "SimProfile").objects.create(
        simulator=simulator, profile_identifier="77", profile_name="Nobody", is_public=False
    )
    get("sims", "VerificationRequest").objects.create(
        profile=profile, requested_by=ana, code="APEX-ROUND", expires_at=t0 + dt.timedelta(days=2)
    )
    get("sims", "AddRequest").objects.create(
        requested_by=ben,
        simulator=simulator,
        profile_identifier="9999",
        profile_name="Ben",
        code="APEX-ADD01",
        expires_at=t0 + dt.timedelta(days=2),
    )
    get("profiles", "ReservedUsername").objects.create(username="held")
    get("sims", "AuditEntry").objects.create(action="link", actor=ana, profile=profile, profile_label="Ana")
    event = get("sims", "Event").objects.create(simulator=simulator, name="Sunday Cup", start_time=t0)
    get("sims", "EventResult").objects.create(event=event, sim_profile=profile, position=1, laps=20)
    assert solo.is_default


# Tables created after a round trip's target: going back drops them, so their rows cannot survive it.
def dump(apps, app_labels=PROJECT_APPS, leave_out=frozenset()) -> dict:
    """Every row of every table of the given apps, as plain values ordered by pk."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for label in app_labels
        for model in apps.get_app_config(label).get_models()
        if model._meta.label not in leave_out
    }


ROUND_TRIPS = [
    # (where to go back to, the apps whose rows must survive the trip,
    #  tables the trip drops: created after that point, they come back empty)
    ([("racing", "0002_garage_and_setups")], PROJECT_APPS, {"racing.RaceDayLap", "racing.IdempotencyKey"}),
    ([("sims", "0006_verification_audit_events")], PROJECT_APPS, {"sims.AddRequest"}),
    ([("profiles", "0001_initial")], PROJECT_APPS, {"profiles.ReservedUsername"}),
]


@pytest.mark.parametrize(("back_to", "kept", "dropped"), ROUND_TRIPS, ids=[t[0][0][0] for t in ROUND_TRIPS])
def test_back_and_forward_keeps_every_row(migrator, back_to, kept, dropped):
    apps = migrator(leaves())
    populate(apps)
    before = dump(apps, kept)
    assert all(before.values()), "every table holds at least one row"
    for label in dropped:
        before[label] = []

    migrator(back_to)
    app, name = back_to[0]
    assert max(applied(app)) == name
    apps = migrator(leaves())

    assert dump(apps, kept) == before


# Each app back to its first migration unapplies only its own migrations, and
# those of apps that truly need what it takes away (the library moved out of
# racing, so it needs racing 0005, and racing 0006 needs the library).
ROLLBACKS = {
    "profiles": {"profiles"},
    "sims": {"sims"},
    "racing": {"racing", "library"},
    "library": {"library"},
    "advisor": {"advisor"},
}


@pytest.mark.parametrize("app", sorted(ROLLBACKS))
def test_rolling_back_one_app_unapplies_only_the_apps_that_need_it(db, app):
    executor = MigrationExecutor(connection)
    first = min(name for a, name in executor.loader.graph.nodes if a == app)
    plan = executor.migration_plan([(app, first)])
    assert plan, "the test database is at the leaves, so going back has work to do"
    assert {migration.app_label for migration, backwards in plan if backwards} == ROLLBACKS[app]


def test_migrate_profiles_back_to_0003_keeps_every_other_app(migrator):
    apps = migrator(leaves())
    populate(apps)
    others = [a for a in PROJECT_APPS if a != "profiles"]
    before = dump(apps, others)
    applied_before = {app: applied(app) for app in others}

    # Going back past 0006 drops the reserved usernames, knowingly.
    call_command("migrate", "profiles", "0003", verbosity=0, allow_data_loss=True)

    assert max(applied("profiles")) == "0003_backfill_is_default"
    assert {app: applied(app) for app in others} == applied_before
    tables = set(connection.introspection.table_names())
    for app in others:
        for model in apps.get_app_config(app).get_models():
            assert model._meta.db_table in tables, model
    assert dump(apps, others) == before


def test_every_project_app_reverses_to_zero_and_forward_again(migrator):
    migrator([(app, None) for app in ("sims", "library", "racing", "profiles")])
    for app in PROJECT_APPS:
        assert applied(app) == set(), app
    tables = set(connection.introspection.table_names())
    assert not {t for t in tables if t.split("_")[0] in PROJECT_APPS}, tables

    apps = migrator(leaves())
    for app in PROJECT_APPS:
        assert applied(app) == every_migration(app)
    populate(apps)  # the schema is whole again: one of everything fits


# --- the setup library's move out of racing ------------------------------------------

BEFORE_THE_MOVE = [("racing", "0004_library_search_indexes")]
# The migrations that move the library (later racing migrations ride along
# in the plans to and from BEFORE_THE_MOVE, but are not the move).
THE_MOVE = {
    ("racing", "0005_rename_library_setup_table"),
    ("library", "0001_initial"),
    ("library", "0002_content_type_from_racing"),
    ("racing", "0006_library_setup_to_library_app"),
}


def constraint_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def declared_names(model) -> set[str]:
    return {c.name for c in model._meta.constraints} | {i.name for i in model._meta.indexes}


def sql_to(targets, only: set[tuple[str, str]]) -> str:
    """The SQL that the ``only`` migrations would run, migrating to ``targets`` (nothing is run).

    Each migration starts from the state before it, as ``migrate`` runs it.
    (``MigrationLoader.collect_sql`` carries one state along the plan, which
    is right going forwards but, going backwards over more than one
    migration, hands each one the state after it: a later racing migration
    made the reverse of 0006 fail to find the model it forgets.)
    """
    executor = MigrationExecutor(connection)
    statements: list[str] = []
    for migration, backwards in executor.migration_plan(targets):
        if (migration.app_label, migration.name) not in only:
            continue
        state = executor.loader.project_state((migration.app_label, migration.name), at_end=False)
        with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
            if backwards:
                migration.unapply(state, editor, collect_sql=True)
            else:
                migration.apply(state, editor, collect_sql=True)
        statements.extend(editor.collected_sql)
    return " ".join(statements).upper()


def test_library_setups_move_apps_without_copying_a_row(migrator):
    """Renames only, either way: no table is created, filled, dropped or updated row by row."""
    backward = sql_to(BEFORE_THE_MOVE, only=THE_MOVE)
    migrator(BEFORE_THE_MOVE)
    forward = sql_to(leaves(), only=THE_MOVE)
    assert forward and backward
    for sql in (forward, backward):
        assert "RENAME" in sql
        for copying in ("CREATE TABLE", "INSERT INTO", "DROP TABLE", 'UPDATE "'):
            assert copying not in sql


def test_library_setup_constraints_carry_the_names_the_model_state_declares(migrator):
    apps = migrator(leaves())
    populate(apps)
    model = apps.get_model("library", "LibrarySetup")
    rows = dump(apps, ("library",))
    assert declared_names(model) <= constraint_names("library_librarysetup")
    assert not {
        name
        for name in constraint_names("library_librarysetup")
        if name.startswith("racing_") and name.endswith("_range")
    }

    apps = migrator(BEFORE_THE_MOVE)
    old = apps.get_model("racing", "LibrarySetup")
    assert old._meta.db_table == "racing_librarysetup"
    assert declared_names(old) <= constraint_names("racing_librarysetup")
    assert old.objects.count() == 1

    apps = migrator(leaves())
    assert dump(apps, ("library",)) == rows
    assert declared_names(apps.get_model("library", "LibrarySetup")) <= constraint_names(
        "library_librarysetup"
    )


@pytest.mark.postgres
def test_the_library_search_indexes_come_along(migrator):
    migrator(leaves())
    names = constraint_names("library_librarysetup")
    assert {"library_search_trgm", "library_newest_idx", "library_track_upper_idx"} <= names


def test_the_library_content_type_moves_with_the_model(migrator):
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(app_label="library", model="librarysetup")
    migrator(BEFORE_THE_MOVE)
    assert ContentType.objects.filter(pk=moved.pk, app_label="racing").exists()
    migrator(leaves())
    assert ContentType.objects.filter(pk=moved.pk, app_label="library").exists()
    ContentType.objects.clear_cache()
