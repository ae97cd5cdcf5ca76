"""The home page: a tour for visitors, a dashboard for a logged-in racer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from racing import services
from racing.tests.factories import make_baseline, make_race_day, make_track_log, make_vehicle, racer_of
from sims.tests.factories import make_profile


def test_visitors_see_what_apex_does_and_how_to_start(client, db):
    page = client.get(reverse("home")).content.decode()
    for feature in ("Race day on your phone", "A setup advisor", "Your garage", "For sim racers"):
        assert feature in page
    assert reverse("account_signup") in page and reverse("account_login") in page
    assert "dashboard" not in page


def test_a_new_racer_gets_the_first_run_guide(owner_client, user):
    page = owner_client.get(reverse("home")).content.decode()
    assert "Get owner to the track" in page
    assert f'href="{reverse("vehicle_create")}">Add a vehicle' in page
    assert "No race day open." in page and "Nothing logged yet." in page and "None linked." in page


def _racer_with_history(user, days=1):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle, note="Kit setup")
    for n in range(days):
        services.race_day_close(race_day=make_race_day(racer, vehicle, track=f"Track {n}"), note="Rear loose")
    make_race_day(racer, vehicle, track="Open Raceway")
    for n in range(days):
        make_track_log(racer, track=f"Log {n}", timestamp=timezone.now() - dt.timedelta(days=n))
    return racer, vehicle


def test_the_dashboard_shows_the_racers_open_day_logs_baselines_and_sim_profiles(owner_client, user):
    _, vehicle = _racer_with_history(user)
    make_profile(name="Fast Owner").link_to_user(user, verified=True)

    page = owner_client.get(reverse("home")).content.decode()
    assert "Open Raceway" in page and "Log 0" in page and f"{vehicle} v1" in page
    assert "Fast Owner" in page and "Verified" in page
    assert "Get owner to the track" not in page  # every first-run step is done


def test_the_dashboard_never_shows_another_users_data(client, other_user, user):
    _racer_with_history(user)
    client.force_login(other_user)
    page = client.get(reverse("home")).content.decode()
    assert "Open Raceway" not in page and "Log 0" not in page and "Kit setup" not in page


@pytest.mark.parametrize("days", [1, 12])
def test_the_dashboard_asks_a_fixed_number_of_queries(
    owner_client, user, days, django_assert_max_num_queries
):
    _racer_with_history(user, days=days)
    owner_client.get(reverse("home"))  # session and racer warm
    with django_assert_max_num_queries(14):
        assert owner_client.get(reverse("home")).status_code == 200
