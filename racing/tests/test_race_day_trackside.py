"""The race day with one thumb: the parameter picker, steppers' steps, one-tap status, rounds."""

import re

import pytest
from django.urls import reverse

from racing import services
from racing.models import RaceDayChange, RaceDayRound
from racing.setup_params import COMMON_FIELDS
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of

HX = {"HX-Request": "true"}


@pytest.fixture
def race_day(user):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle)
    return make_race_day(racer, vehicle)


def _usual(page: str) -> list[str]:
    group = re.search(r'<optgroup label="Your usual">(.*?)</optgroup>', page, re.S)
    assert group, "no 'Your usual' group in the picker"
    return re.findall(r'value="([a-z_]+)"', group.group(1))


def test_picker_offers_the_common_parameters_first_to_a_new_racer(owner_client, race_day):
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert _usual(page) == list(COMMON_FIELDS)


def test_picker_offers_the_racers_recent_then_most_changed_parameters_first(owner_client, race_day, user):
    racer = racer_of(user)
    older = make_race_day(racer, make_vehicle(racer, model="Old"), track="Mill")
    for parameter in ("bell", "bell", "bell", "venturi"):
        services.race_day_change_add(race_day=older, parameter=parameter, old_value="", new_value="")
    services.race_day_change_add(race_day=race_day, parameter="c_r", old_value="", new_value="-1")
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    # Newest first (camber, venturi, bell), then the racer's most changed, then the common ones.
    assert _usual(page) == ["c_r", "venturi", "bell", *COMMON_FIELDS[:5]]


def test_another_racers_changes_do_not_reorder_the_picker(owner_client, race_day, other_user):
    theirs = racer_of(other_user)
    services.race_day_change_add(
        race_day=make_race_day(theirs, make_vehicle(theirs)), parameter="bell", old_value="", new_value=""
    )
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert "bell" not in _usual(page)


def test_options_carry_the_step_for_the_steppers(owner_client, race_day):
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert re.search(r'<option value="so_f" data-kind="int" data-unit="cSt" data-step="50"', page)
    assert re.search(r'<option value="c_f" data-kind="decimal" data-unit="°" data-step="0.5"', page)
    assert re.search(r'<option value="compound" data-kind="text" data-unit="">', page)
    assert "data-steppers hidden" in page  # shown by trackside.js, never dead buttons without it


def test_status_and_reason_are_optional(owner_client, race_day):
    url = reverse("raceday_change_add", args=[race_day.pk])
    response = owner_client.post(url, {"parameter": "df", "old_value": "7000", "new_value": "6000"})
    assert response.status_code == 302
    change = RaceDayChange.objects.get()
    assert (change.status, change.reason) == ("planned", "")


def test_one_tap_sets_a_status_and_swaps_the_changes_and_the_setup_only(owner_client, race_day):
    change = services.race_day_change_add(
        race_day=race_day, parameter="df", old_value="7000", new_value="5000"
    )
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert re.search(r'name="status" value="kept" class="status-kept secondary"\s+aria-pressed="false"', page)
    url = reverse("raceday_change_status", args=[race_day.pk, change.pk])
    fragment = owner_client.post(url, {"status": "kept"}, headers=HX).content.decode()
    assert fragment.strip().startswith('<div id="changes-list">') and "<html" not in fragment
    assert re.search(r'value="kept" class="status-kept"\s+aria-pressed="true"', fragment)
    assert '<div id="day-setup" data-hx-swap-oob="true">' in fragment
    assert 'data-param="df" data-value="5000"' in fragment
    assert 'id="add-change"' not in fragment  # what is typed in the change form stays
    race_day.refresh_from_db()
    assert race_day.df == 5000


def test_one_tap_without_javascript_is_a_real_form(owner_client, race_day):
    change = services.race_day_change_add(
        race_day=race_day, parameter="df", old_value="7000", new_value="5000"
    )
    url = reverse("raceday_change_status", args=[race_day.pk, change.pk])
    response = owner_client.post(url, {"status": "reverted"}, follow=True)
    assert "Front diff oil: marked reverted." in response.content.decode()
    change.refresh_from_db()
    assert change.status == "reverted"


def test_a_round_is_one_tap_on_its_kind(owner_client, race_day):
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert re.search(r'type="radio" name="kind" value="practice"[^>]*checked', page)
    assert 'name="kind" value=""' not in page
    owner_client.post(
        reverse("raceday_round_add", args=[race_day.pk]), {"kind": "qualifier", "note": "loose"}
    )
    assert RaceDayRound.objects.get().kind == "qualifier"


def test_the_page_loads_its_static_script_and_styles_only(owner_client, race_day):
    response = owner_client.get(race_day.get_absolute_url())
    page = response.content.decode()
    assert '<script src="/static/js/trackside.js" defer></script>' in page
    assert "<script>" not in page and " style=" not in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_usual_parameters_follow_every_write_at_once(owner_client, client, race_day, user):
    """They are cached per racer: the page, the API and a delete (as the admin's) each show at once."""
    from api.tests.factories import bearer, make_token

    url = race_day.get_absolute_url()
    assert _usual(owner_client.get(url).content.decode()) == list(COMMON_FIELDS)
    owner_client.post(
        reverse("raceday_change_add", args=[race_day.pk]),
        {"parameter": "bell", "old_value": "", "new_value": ""},
    )
    assert _usual(owner_client.get(url).content.decode())[0] == "bell"
    response = client.post(
        f"/api/v1/race-days/{race_day.pk}/changes",
        {"parameter": "venturi"},
        content_type="application/json",
        headers=bearer(make_token(user)),
    )
    assert response.status_code == 201
    assert _usual(owner_client.get(url).content.decode())[:2] == ["venturi", "bell"]
    RaceDayChange.objects.filter(parameter="venturi").get().delete()
    assert _usual(owner_client.get(url).content.decode())[0] == "bell"
    race_day.delete()  # its changes go with it
    other = make_race_day(racer_of(user), make_vehicle(racer_of(user), model="Next"))
    assert _usual(owner_client.get(other.get_absolute_url()).content.decode()) == list(COMMON_FIELDS)


def test_the_usual_parameters_are_read_once(owner_client, race_day):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.race_day_change_add(race_day=race_day, parameter="bell", old_value="", new_value="")
    owner_client.get(race_day.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert _usual(page)[0] == "bell"
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_each_changes_status_buttons_post_to_its_own_status_url(owner_client, race_day):
    change = services.race_day_change_add(race_day=race_day, parameter="bell", old_value="", new_value="")
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    url = reverse("raceday_change_status", args=[race_day.pk, change.pk])
    assert f'action="{url}" class="status-form"' in page
    assert f'data-hx-post="{url}" data-hx-target="#changes-list"' in page
