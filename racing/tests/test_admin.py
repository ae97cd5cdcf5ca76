from decimal import Decimal

import pytest
from django.urls import reverse

from racing import services
from racing.models import BaselineVersion, RaceDay, RaceDayRound, TrackLog, Vehicle
from racing.tests.factories import (
    make_baseline,
    make_race_day,
    make_track_log,
    make_vehicle,
    racer_of,
)

MODELS = [Vehicle, BaselineVersion, RaceDay, RaceDayRound, TrackLog]


@pytest.fixture
def rows(user):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    baseline = make_baseline(vehicle)
    race_day = make_race_day(racer, vehicle)
    return {
        Vehicle: vehicle,
        BaselineVersion: baseline,
        RaceDay: race_day,
        RaceDayRound: services.race_day_round_add(race_day=race_day, kind="main", laps=[Decimal("32.451")]),
        TrackLog: make_track_log(racer),
    }


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_and_change_page_load(staff_client, rows, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "Mugen"}).status_code == 200
    change = staff_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[rows[model].pk])
    )
    assert change.status_code == 200


@pytest.mark.parametrize("model", [BaselineVersion, RaceDay])
def test_parameters_are_grouped_in_fieldsets(staff_client, rows, model):
    opts = model._meta
    page = staff_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[rows[model].pk])
    ).content.decode()
    for group in ("Diffs", "Shocks", "Geometry", "Tyres", "Engine"):
        assert f">{group}</h2>" in page


def test_non_staff_cannot_use_the_admin(owner_client, rows):
    response = owner_client.get(reverse("admin:racing_vehicle_changelist"))
    assert response.status_code == 302


def test_a_rounds_page_lists_its_laps(staff_client, rows):
    round_ = rows[RaceDayRound]
    page = staff_client.get(reverse("admin:racing_racedayround_change", args=[round_.pk])).content.decode()
    assert 'value="32.451"' in page
