"""Analysis pages: the race day's chart data and tables, comparisons, a vehicle's history, the CSV."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from racing import analysis, services
from racing.models import RaceDayChange
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of

D = Decimal


def _laps(*times):
    return [D(t) for t in times]


@pytest.fixture
def racer(user):
    return racer_of(user)


@pytest.fixture
def day(racer):
    """Two rounds with a rear-diff change recorded between them, and one planned after."""
    vehicle = make_vehicle(racer, brand="Mugen", model="MBX8R")
    make_baseline(vehicle)
    day = make_race_day(racer, vehicle, track="Genk")
    services.race_day_round_add(race_day=day, kind="practice", laps=_laps("34", "33", "33.5", "32.9"))
    services.race_day_change_add(
        race_day=day, parameter="dr", old_value="3000", new_value="5000", status="tried"
    )
    services.race_day_round_add(race_day=day, kind="qualifier", laps=_laps("32.5", "32.1", "32.4"))
    services.race_day_change_add(
        race_day=day, parameter="df", old_value="7000", new_value="6000", status="planned"
    )
    return day


def _analysis(day):
    return analysis.race_day_analysis(day, list(day.rounds.prefetch_related("laps")), list(day.changes.all()))


# --- chart data ----------------------------------------------------------------


def test_each_round_is_a_line_of_its_laps_in_order(day):
    chart = _analysis(day).chart
    lines = chart.wide.lines
    assert [line.name for line in lines] == ["R1 Practice", "R2 Qualifier"]
    assert [(p.value_x, p.value_y) for p in lines[0].points] == [(1, 34.0), (2, 33.0), (3, 33.5), (4, 32.9)]
    # The second round starts after a one-lap gap, where its change is drawn.
    assert [p.value_x for p in lines[1].points] == [6, 7, 8]
    assert [(t.value, t.label) for t in chart.wide.x_ticks] == [(1, "R1"), (6, "R2")]


def test_changes_are_marked_between_the_rounds_they_came_between(day):
    result = _analysis(day)
    assert [m.value for m in result.chart.wide.markers] == [5, 9]
    assert result.chart.markers == [
        (1, "Rear diff oil: 3000 → 5000 cSt (tried)"),
        (2, "Front diff oil: 7000 → 6000 cSt (planned)"),
    ]
    assert [c.parameter for c in result.rounds[1].changes_before] == ["dr"]
    assert [c.parameter for c in result.changes_after] == ["df"]


def test_round_stats_and_the_lap_table(day):
    result = _analysis(day)
    first, second = result.rounds
    assert (first.stats.best, first.stats.average, first.best_3) == (D("32.9"), D("33.350"), D("99.4"))
    assert (second.stats.count, second.best_3) == (3, D("97.0"))
    assert result.lap_table[3] == (4, [D("32.9"), None])


def test_a_change_before_the_first_round_is_marked_before_it(racer):
    day = make_race_day(racer)
    services.race_day_change_add(race_day=day, parameter="dr", old_value="", new_value="5000", status="kept")
    services.race_day_round_add(race_day=day, kind="main", laps=_laps("30", "31"))
    result = _analysis(day)
    assert [m.value for m in result.chart.wide.markers] == [0]
    assert result.rounds[0].changes_before == list(RaceDayChange.objects.all())


def test_a_day_without_laps_has_an_empty_chart(racer):
    day = make_race_day(racer)
    services.race_day_round_add(race_day=day, kind="main")
    assert _analysis(day).chart.empty


# --- the pages -----------------------------------------------------------------


def test_analysis_page(owner_client, day, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = owner_client.get(reverse("raceday_analysis", args=[day.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 2 and "<script" not in page.split("</header>")[1]
    assert "R1 Practice" in page and "R2 Qualifier" in page
    assert "Between R1 and R2 Qualifier" in page and "Rear diff" in page
    assert '<td data-label="Best 3 in a row" class="num">1:37.000</td>' in page


def test_analysis_page_without_rounds(owner_client, racer):
    day = make_race_day(racer)
    page = owner_client.get(reverse("raceday_analysis", args=[day.pk])).content.decode()
    assert "No rounds yet" in page


def test_compare_two_rounds(owner_client, day):
    first, second = day.rounds.all()
    response = owner_client.get(
        reverse("laps_compare"), {"a": f"round:{first.pk}", "b": f"round:{second.pk}"}
    )
    chart = response.context["chart"]
    assert [line.name for line in chart.wide.lines] == ["Genk 4 May R1 Practice", "Genk 4 May R2 Qualifier"]
    assert [p.value_x for p in chart.wide.lines[1].points] == [1, 2, 3]


def test_compare_two_race_days(owner_client, racer, day):
    other = make_race_day(racer, track="Mill", date=datetime.date(2025, 6, 1))
    services.race_day_round_add(race_day=other, kind="main", laps=_laps("40", "41"))
    response = owner_client.get(reverse("laps_compare"), {"a": f"day:{day.pk}", "b": f"day:{other.pk}"})
    sets = response.context["sets"]
    assert [len(s.laps) for s in sets] == [7, 2]
    assert "Mill 1 Jun (whole day)" in response.content.decode()


def test_compare_refuses_another_users_round(owner_client, other_user, day):
    theirs = make_race_day(racer_of(other_user))
    round_ = services.race_day_round_add(race_day=theirs, kind="main", laps=_laps("30"))
    response = owner_client.get(reverse("laps_compare"), {"a": f"round:{round_.pk}", "b": f"day:{day.pk}"})
    assert response.status_code == 200 and "sets" not in response.context
    assert "Select a valid choice" in response.content.decode()


def test_vehicle_history(owner_client, racer, day, django_assert_max_num_queries):
    vehicle = day.vehicle
    services.race_day_close(race_day=day)
    services.baseline_save(vehicle=vehicle, values={"df": 6000}, note="softer")
    later = make_race_day(racer, vehicle, track="genk", date=datetime.date(2025, 6, 1))
    services.race_day_round_add(race_day=later, kind="main", laps=_laps("31.5", "31.9", "31.7", "40"))
    make_race_day(racer, make_vehicle(racer), track="Genk")  # another vehicle: not in this history
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("vehicle_lap_history", args=[vehicle.pk]), {"track": "Genk"})
    rows = response.context["rows"]
    assert [(r.best, r.best_3, r.baseline) for r in rows] == [
        (D("32.1"), D("97.0"), "v1"),
        (D("31.5"), D("95.1"), "v2"),
    ]
    chart = response.context["chart"]
    assert [[p.value_y for p in line.points] for line in chart.wide.lines] == [
        [32.1, 31.5],
        [97.0 / 3, 95.1 / 3],
    ]
    assert chart.markers == [(1, "4 May 2025: baseline v1"), (2, "1 Jun 2025: baseline v2")]


def test_laps_csv(owner_client, day):
    services.race_day_round_add(
        race_day=day, kind="main", note="", result='=HYPERLINK("x")', laps=_laps("65.2")
    )
    response = owner_client.get(reverse("raceday_laps_csv", args=[day.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="laps-genk-2025-05-04.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Track", "Date", "Vehicle", "Round"]
    assert rows[1][3:] == ["1", "Practice", "", "1", "34.000", "34.000"]
    assert rows[-1][3:] == ["3", "Main", '\'=HYPERLINK("x")', "1", "65.200", "1:05.200"]
    assert len(rows) == 1 + 7 + 1


# --- who may see them ----------------------------------------------------------


def _urls(day):
    return [
        reverse("raceday_analysis", args=[day.pk]),
        reverse("raceday_laps_csv", args=[day.pk]),
        reverse("vehicle_lap_history", args=[day.vehicle_id]),
    ]


def test_other_user_gets_404(other_client, day):
    for url in _urls(day):
        assert other_client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_log_in(client, day):
    for url in [*_urls(day), reverse("laps_compare")]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_staff_get_404_for_someone_elses_race_day(staff_client, day):
    for url in _urls(day):
        assert staff_client.get(url).status_code == 404, url
