"""apex.compiled runs a queryset's SQL, compiled once, with each call's own ids."""

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from apex.compiled import compiled
from apex.tests.fixtures import make_user
from racing.models import Vehicle, VehicleQuerySet
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of

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


def test_related_objects_cannot_be_compiled():
    with pytest.raises(ValueError, match="related objects"):
        compiled(lambda racer_id: Vehicle.objects.filter(racer_id=racer_id).select_related("racer"), 1)


def test_every_argument_must_be_a_parameter():
    with pytest.raises(ValueError, match="argument 1 is not a parameter"):
        compiled(lambda racer_id, unused: Vehicle.objects.filter(racer_id=racer_id), 1, 2)
