"""The logged-in racing pages run the same number of queries for a small racer as for a big one."""

import datetime

import pytest
from django.urls import reverse

from racing.models import RaceDayChange, RaceDayRound
from racing.tests.factories import make_baseline, make_race_day, make_track_log, make_vehicle, racer_of

pytestmark = pytest.mark.django_db

# Session, user, active racer, the page's own queries and the switcher (once,
# then cached): the same ceiling at both sizes.
SIZES = [2, 25]


def _get(client, url, django_assert_max_num_queries, limit, **params):
    with django_assert_max_num_queries(limit):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", SIZES)
def test_garage_is_constant(owner_client, user, size, django_assert_max_num_queries):
    racer = racer_of(user)
    for i in range(size):
        vehicle = make_vehicle(racer)
        for _ in range(3):
            make_baseline(vehicle)
        if i % 2:
            make_race_day(racer, vehicle)
    response = _get(owner_client, reverse("vehicle_list"), django_assert_max_num_queries, 7)
    assert response.content.decode().count("version 3") == size


@pytest.mark.parametrize("size", SIZES)
def test_track_log_is_constant_and_never_counts(owner_client, user, size, django_assert_max_num_queries):
    racer = racer_of(user)
    vehicles = [make_vehicle(racer) for _ in range(3)]
    days = [make_race_day(racer, v) for v in vehicles]
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    for i in range(size * 2):
        make_track_log(
            racer,
            track=f"Track {i % 7}",
            vehicle=vehicles[i % 3],
            race_day=days[i % 3] if i % 2 else None,
            timestamp=start + datetime.timedelta(hours=i),
        )
    url = reverse("tracklog_list")
    owner_client.get(url)  # the racer's tracks and vehicles, read once into the cache
    for params in ({}, {"page": 2}, {"track": "Track 1"}, {"vehicle": vehicles[0].pk}):
        with django_assert_max_num_queries(6) as captured:
            response = owner_client.get(url, params)
        assert response.status_code == 200
        sqls = [q["sql"].upper() for q in captured.captured_queries]
        assert not [s for s in sqls if "COUNT(" in s or "DISTINCT" in s], sqls


@pytest.mark.parametrize("size", SIZES)
def test_race_day_is_constant(owner_client, user, size, django_assert_max_num_queries):
    race_day = make_race_day(racer_of(user))
    for i in range(size):
        RaceDayChange.objects.create(
            race_day=race_day, parameter="df", old_value=str(i), new_value=str(i + 1)
        )
        RaceDayRound.objects.create(race_day=race_day, kind=RaceDayRound.Kind.PRACTICE, result=f"P{i}")
    owner_client.get(race_day.get_absolute_url())  # the picker's usual parameters, read once into the cache
    with django_assert_max_num_queries(8) as captured:  # rounds prefetch their laps
        response = owner_client.get(race_day.get_absolute_url())
    assert response.status_code == 200
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("size", SIZES)
def test_baseline_form_is_constant(owner_client, user, size, django_assert_max_num_queries):
    vehicle = make_vehicle(racer_of(user))
    for _ in range(size):
        make_baseline(vehicle)
    _get(owner_client, reverse("baseline_edit", args=[vehicle.pk]), django_assert_max_num_queries, 6)
