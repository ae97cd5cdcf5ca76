"""A sim profile's results over time as charts on its page: the data, and who sees it."""

import datetime

from django.utils import timezone

from sims.charts import results_charts
from sims.models import EventResult
from sims.tests.factories import make_event, make_profile, make_result, make_simulator


def _at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, 20, 0))


def _profile_with_results(**profile_fields):
    simulator = make_simulator()
    profile = make_profile(simulator, name="Ana", **profile_fields)
    make_result(make_event(simulator, "Race 2", start_time=_at(8)), profile, position=3, best_lap_ms=92_450)
    make_result(make_event(simulator, "Race 1", start_time=_at(1)), profile, position=7, best_lap_ms=93_100)
    make_result(make_event(simulator, "Race 3", start_time=_at(15)), profile, position=1)  # no lap time
    return profile


def test_position_and_best_lap_per_event_oldest_first(db):
    profile = _profile_with_results()
    position, best_lap = results_charts(
        list(EventResult.objects.filter(sim_profile=profile).select_related("event"))
    )
    assert [(p.value_y, p.label) for p in position.wide.lines[0].points] == [
        (7, "Race 1: P7"),
        (3, "Race 2: P3"),
        (1, "Race 3: P1"),
    ]
    # P1 is drawn at the top.
    ys = [p.y for p in position.wide.lines[0].points]
    assert ys[2] < ys[1] < ys[0]
    assert [(p.value_y, p.label) for p in best_lap.wide.lines[0].points] == [
        (93.1, "Race 1: 1:33.100"),
        (92.45, "Race 2: 1:32.450"),
    ]
    assert [t.label for t in best_lap.wide.x_ticks] == ["1 Mar", "8 Mar"]


def test_profile_page_shows_the_charts_and_the_table_to_anonymous(client, db):
    profile = _profile_with_results()
    page = client.get(profile.get_absolute_url()).content.decode()
    assert page.count("<svg") == 4
    assert "Finishing position per event" in page and "Best lap per event" in page
    assert '<td data-label="Pos.">P7</td>' in page  # the table, the charts' text alternative
    assert "appear from the second result" not in page


def test_one_result_draws_no_chart(client, db):
    simulator = make_simulator()
    profile = make_profile(simulator)
    make_result(make_event(simulator), profile, position=2, best_lap_ms=90_000)
    page = client.get(profile.get_absolute_url()).content.decode()
    assert "<svg" not in page
    assert "Charts of finishing position and best lap per event appear from the second result." in page


def test_private_profile_charts_only_for_its_linked_user(client, user, other_user):
    profile = _profile_with_results(linked_user=user, is_public=False)
    client.force_login(other_user)
    assert client.get(profile.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(profile.get_absolute_url()).content.decode().count("<svg") == 4
