"""The track log shows each closed race day's rounds: best, average, best three in a row."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from racing import services
from racing.tests.factories import make_race_day, make_vehicle, racer_of

D = Decimal


def _closed_day(racer, laps_per_round):
    day = make_race_day(racer, make_vehicle(racer))
    for kind, laps in laps_per_round:
        services.race_day_round_add(race_day=day, kind=kind, laps=[D(t) for t in laps])
    services.race_day_close(race_day=day)
    return day


def test_each_round_with_its_lap_stats(owner_client, user):
    _closed_day(racer_of(user), [("qualifier", ["33", "32", "34", "31"]), ("main", ["62.5"])])
    page = owner_client.get(reverse("tracklog_list")).content.decode()
    assert (
        '<td data-label="Best">31.000</td><td data-label="Average">32.500</td><td data-label="Best 3 in a row">1:37.000</td>'
        in page
    )
    # One lap: no run of three.
    assert (
        '<td data-label="Best">1:02.500</td><td data-label="Average">1:02.500</td><td data-label="Best 3 in a row">—</td>'
        in page
    )


def test_query_count_does_not_grow_with_race_days(owner_client, user):
    racer = racer_of(user)
    _closed_day(racer, [("practice", ["30", "31", "32"])])
    with CaptureQueriesContext(connection) as one:
        owner_client.get(reverse("tracklog_list"))
    for _ in range(3):
        _closed_day(racer, [("practice", ["30", "31"]), ("main", ["29", "30", "31"])])
    with CaptureQueriesContext(connection) as four:
        page = owner_client.get(reverse("tracklog_list")).content.decode()
    assert page.count('data-label="Best 3 in a row"') == 7
    assert len(four) == len(one)


def test_other_users_laps_are_not_shown(other_client, user):
    _closed_day(racer_of(user), [("main", ["27.777"])])
    assert "27.777" not in other_client.get(reverse("tracklog_list")).content.decode()


def test_rounds_are_listed_in_the_order_they_were_run_under_their_own_day(owner_client, user):
    racer = racer_of(user)
    _closed_day(racer, [("main", ["40.1"]), ("practice", ["41.2", "41.3"])])
    _closed_day(racer, [("qualifier", ["50.5"])])
    page = owner_client.get(reverse("tracklog_list")).content.decode()
    # Newest entry first: the day with the qualifier, then the other day's main before its practice.
    assert page.index("50.500") < page.index("40.100") < page.index("41.200")
    assert [page.count(f"<strong>{kind}</strong>") for kind in ("Main", "Practice", "Qualifier")] == [1, 1, 1]
