"""apex.compiled runs a queryset's SQL, compiled once, with each call's own ids."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from apex.compiled import compiled
from apex.tests.fixtures import make_user
from profiles.middleware import _racer_with_owner
from racing import services
from racing.models import Vehicle, VehicleQuerySet
from racing.tests.factories import make_baseline, make_race_day, make_track_log, make_vehicle, racer_of
from racing.views import access, race_days
from racing.views.garage import _open_days

pytestmark = pytest.mark.django_db


def _summary(racer_id: int) -> VehicleQuerySet:
    return Vehicle.objects.filter(racer_id=racer_id).with_garage_summary()


def _as_rows(vehicles) -> list[tuple]:
    return [(v.pk, v.brand, v.current_version, v.current_baseline_id, v.open_race_day_id) for v in vehicles]


@pytest.fixture
def two_racers():
    alex, sam = racer_of(make_user("alex")), racer_of(make_user("sam"))
    mugen, xray = make_vehicle(alex, "Mugen"), make_vehicle(alex, "Xray")
    make_baseline(mugen)
    make_baseline(mugen, note="second")
    make_race_day(alex, mugen)
    make_baseline(make_vehicle(sam, "Associated"))
    return alex, sam, xray


def test_the_rows_and_annotations_are_the_querysets(two_racers):
    alex, sam, _ = two_racers
    for racer in (alex, sam, alex):
        assert _as_rows(compiled(_summary, racer.pk)) == _as_rows(_summary(racer.pk))
    rows = _as_rows(compiled(_summary, alex.pk))
    assert [(brand, version) for _, brand, version, _, _ in rows] == [("Mugen", 2), ("Xray", None)]
    assert rows[0][4] is not None and rows[1][4] is None  # the open race day


def test_the_sql_is_built_once_and_each_call_is_one_query(two_racers, monkeypatch):
    alex, sam, _ = two_racers
    built = []
    as_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        built.append(self.query.model)
        return as_sql(self, *args, **kwargs)

    def fresh(racer_id: int) -> VehicleQuerySet:  # a build function of its own: nothing compiled yet
        return _summary(racer_id)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    list(compiled(fresh, alex.pk))
    compiles = len(built)
    assert compiles >= 1
    with CaptureQueriesContext(connection) as captured:
        assert len(list(compiled(fresh, sam.pk))) == 1
    assert len(built) == compiles
    assert len(captured.captured_queries) == 1


def test_a_racer_without_vehicles_gets_none(two_racers):
    racer = racer_of(make_user("kit"))
    assert list(compiled(_summary, racer.pk)) == []


def _snapshot(obj) -> dict:
    """Everything an instance holds: its fields, annotations and select_related objects, recursively."""
    values = {k: v for k, v in vars(obj).items() if k != "_state"}
    related = {name: _snapshot(rel) for name, rel in obj._state.fields_cache.items() if rel is not None}
    return {
        "class": type(obj),
        "values": values,
        "related": related,
        "db": obj._state.db,
        "adding": obj._state.adding,
    }


def _with_racer_and_owner(racer_id: int) -> VehicleQuerySet:
    return Vehicle.objects.filter(racer_id=racer_id).select_related("racer__owner").order_by("pk")


def test_select_related_objects_are_filled_in_as_the_queryset_fills_them(two_racers):
    alex, sam, _ = two_racers
    for racer in (alex, sam):
        made = compiled(_with_racer_and_owner, racer.pk)
        assert [_snapshot(v) for v in made] == [_snapshot(v) for v in _with_racer_and_owner(racer.pk)]
        assert {v.racer.owner.username for v in made} == {racer.owner.username}
    with CaptureQueriesContext(connection) as captured:
        [v.racer.owner.username for v in compiled(_with_racer_and_owner, alex.pk)]
    assert len(captured.captured_queries) == 1  # the related objects came with the rows


@pytest.mark.parametrize(
    "build,ids",
    [
        (access._own_race_day, lambda race_day, log: (race_day.pk, race_day.racer.owner_id)),
        (access._own_vehicle, lambda race_day, log: (race_day.vehicle_id, race_day.racer.owner_id)),
        (access._own_track_log, lambda race_day, log: (log.pk, race_day.racer.owner_id)),
        (_racer_with_owner, lambda race_day, log: (race_day.racer_id, race_day.racer.owner_id)),
        (_open_days, lambda race_day, log: (race_day.racer_id,)),
        (race_days._changes, lambda race_day, log: (race_day.pk,)),
    ],
    ids=[
        "race day",
        "vehicle",
        "track-log entry",
        "racer with owner",
        "garage's open days",
        "race day's changes",
    ],
)
def test_the_pages_lookups_match_their_querysets(two_racers, build, ids):
    """Every queryset the pages compile, against the queryset itself: decimals, dates, deferred fields and all."""
    alex, sam, xray = two_racers
    make_baseline(xray)
    day = make_race_day(alex, xray, track="Mons", temperature=Decimal("21.5"))
    log = make_track_log(alex, race_day=day, vehicle=xray, note="fast")
    for parameter, new in (("df", "2.0"), ("so_f", "3.0")):
        services.race_day_change_add(
            race_day=day, parameter=parameter, old_value="", new_value=new, reason="push"
        )
    make_race_day(sam, make_vehicle(sam, "Yokomo"))
    args = ids(day, log)
    made = compiled(build, *args)
    assert made, "nothing to compare"
    assert [_snapshot(o) for o in made] == [_snapshot(o) for o in build(*args)]
    if build not in (
        _open_days,
        race_days._changes,
    ):  # the others are an owner's: another account gets nothing
        assert compiled(build, *args[:-1], make_user("kit").pk) == []


def test_prefetching_cannot_be_compiled():
    with pytest.raises(ValueError, match="prefetch_related"):
        compiled(
            lambda racer_id: Vehicle.objects.filter(racer_id=racer_id).prefetch_related("baseline_versions"),
            1,
        )


def test_a_related_managers_queryset_cannot_be_compiled(two_racers):
    alex, _, _ = two_racers
    with pytest.raises(ValueError, match="related manager"):
        compiled(lambda racer_id: alex.vehicles.filter(pk=racer_id), 1)


def test_only_model_instances_can_be_compiled():
    with pytest.raises(ValueError, match="model instances"):
        compiled(lambda racer_id: Vehicle.objects.filter(racer_id=racer_id).values("brand"), 1)


def test_every_argument_must_be_a_parameter():
    with pytest.raises(ValueError, match="argument 1 is not a parameter"):
        compiled(lambda racer_id, unused: Vehicle.objects.filter(racer_id=racer_id), 1, 2)


@pytest.mark.parametrize("huge", [2**63, -(2**63) - 1, 10**30])
def test_an_id_beyond_any_column_finds_nothing(two_racers, huge):
    alex, _, _ = two_racers
    assert compiled(_summary, huge) == []
    assert compiled(access._own_race_day, 1, huge) == []
    assert len(compiled(_summary, alex.pk)) == 2


def test_the_columns_converters_are_found_once_per_connection(two_racers, monkeypatch):
    alex, sam, _ = two_racers
    looked_up = []
    ops = type(connection.ops)
    get_db_converters = ops.get_db_converters

    def counting(self, expression):
        looked_up.append(expression)
        return get_db_converters(self, expression)

    def fresh(racer_id: int) -> VehicleQuerySet:  # a build function of its own: nothing compiled yet
        return _with_racer_and_owner(racer_id)

    monkeypatch.setattr(ops, "get_db_converters", counting)
    first = compiled(fresh, alex.pk)
    assert looked_up  # every column's, once
    count = len(looked_up)
    second = compiled(fresh, sam.pk)
    assert len(looked_up) == count
    assert [_snapshot(v) for v in first + second] == [_snapshot(v) for v in [*fresh(alex.pk), *fresh(sam.pk)]]
