""" "Advise me" on a race day and on a baseline; "Try it" plans the change with its symptom."""

import uuid

import pytest
from django.urls import reverse

from racing import services
from racing.models import RaceDayChange
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def racer(user):
    return racer_of(user)


@pytest.fixture
def vehicle(racer):
    vehicle = make_vehicle(racer, brand="Mugen", model="MBX8R")
    make_baseline(vehicle, note="kit")
    return vehicle


@pytest.fixture
def race_day(racer, vehicle):
    return make_race_day(racer, vehicle, track="Genk", surface="clay", grip="high")


def advice_url(race_day, *symptoms):
    query = "&".join(f"symptom={code}" for code in symptoms)
    return f"{reverse('raceday_advice', args=[race_day.pk])}?{query}"


def try_it(client, race_day, headers=None, **data):
    payload = {
        "parameter": "df",
        "new_value": "6000",
        "symptom": "entry_understeer",
        "reason": "Theory says so.",
    }
    payload.update(data)
    return client.post(reverse("raceday_advice_try", args=[race_day.pk]), payload, headers=headers or {})


# --- advise me ------------------------------------------------------------------------


def test_the_form_comes_first(owner_client, race_day):
    response = owner_client.get(reverse("raceday_advice", args=[race_day.pk]))
    assert response.status_code == 200
    assert "Tick what the car does" in response.text and 'name="symptom"' in response.text


def test_suggestions_with_reasons_sources_and_try_it(owner_client, race_day):
    response = owner_client.get(advice_url(race_day, "traction_roll"))
    suggestions = response.context["suggestions"]
    assert suggestions[0].parameter == "compound"  # high grip puts it first
    assert "On high grip the tyres bite harder" in response.text
    assert 'href="/theory/' in response.text and ">Tyres</a>" in response.text
    assert response.text.count(">Try it</button>") == len(suggestions)
    assert "A thicker front sway bar: 2.4 → 2.5 mm" in response.text


def test_history_shows_beside_a_suggestion(owner_client, racer, vehicle, race_day):
    old_day = make_race_day(racer, make_vehicle(racer), track="Mill")
    for status in ("kept", "kept", "reverted"):
        services.race_day_change_add(
            race_day=old_day, parameter="sb_f", old_value="2.4", new_value="2.5", status=status,
            symptom="traction_roll",
        )  # fmt: skip
    response = owner_client.get(advice_url(race_day, "traction_roll"))
    assert response.context["suggestions"][0].parameter == "sb_f"
    assert "kept 2 of 3 times" in response.text


def test_htmx_gets_only_the_suggestions(owner_client, race_day):
    response = owner_client.get(advice_url(race_day, "entry_understeer"), headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="suggestions"')
    assert "HX-Request" in response["Vary"]


def test_no_symptom_ticked_asks_for_one(owner_client, race_day):
    response = owner_client.get(f"{reverse('raceday_advice', args=[race_day.pk])}?symptom=")
    assert "Tick at least one thing the car does." in response.text
    response = owner_client.get(advice_url(race_day, "flies"))
    assert response.status_code == 200 and "Select a valid choice" in response.text


def test_a_closed_race_day_advises_without_try_it(owner_client, race_day):
    services.race_day_close(race_day=race_day)
    response = owner_client.get(advice_url(race_day, "entry_understeer"))
    assert response.context["suggestions"] and ">Try it</button>" not in response.text
    assert "This race day is closed" in response.text


def test_other_users_and_anonymous_cannot_see_advice(client, other_client, race_day):
    assert other_client.get(advice_url(race_day, "traction_roll")).status_code == 404
    client.logout()
    response = client.get(advice_url(race_day, "traction_roll"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_advice_reads_a_bounded_number_of_queries(owner_client, race_day, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        owner_client.get(advice_url(race_day, *["traction_roll", "entry_understeer", "unsettled_on_bumps"]))


# --- try it --------------------------------------------------------------------------


def test_try_it_plans_the_change_with_old_value_and_symptom(owner_client, race_day):
    response = try_it(owner_client, race_day)
    change = RaceDayChange.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"{race_day.get_absolute_url()}#changes-title"
    )
    assert (change.parameter, change.old_value, change.new_value) == ("df", "7000", "6000")
    assert (change.symptom, change.status, change.reason) == (
        "entry_understeer",
        "planned",
        "Theory says so.",
    )
    race_day.refresh_from_db()
    assert race_day.df == 7000  # planned: not on the car yet
    page = owner_client.get(response["Location"])
    assert "Planned: Front diff oil: 7000 → 6000." in page.text
    assert "To fix: Pushes wide into corners (entry understeer)" in page.text


def test_try_it_twice_with_one_key_plans_the_change_once(owner_client, race_day):
    page = owner_client.get(reverse("raceday_advice", args=[race_day.pk]), {"symptom": "entry_understeer"})
    assert 'name="idempotency_key"' in page.text  # each Try it form carries its own key
    key = str(uuid.uuid4())
    first = try_it(owner_client, race_day, idempotency_key=key)
    again = try_it(owner_client, race_day, idempotency_key=key)
    assert first.status_code == again.status_code == 302 and again["Idempotent-Replayed"] == "true"
    assert RaceDayChange.objects.count() == 1


def test_try_it_with_htmx_confirms_in_place(owner_client, race_day):
    response = try_it(owner_client, race_day, headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div class="try-done"')
    assert "7000 → <strong>6000</strong> cSt" in response.text


def test_try_it_takes_the_old_value_from_the_days_setup_not_the_form(owner_client, race_day):
    try_it(owner_client, race_day, old_value="1")
    assert RaceDayChange.objects.get().old_value == "7000"


def test_a_text_parameter_needs_the_new_value_typed(owner_client, race_day):
    response = try_it(owner_client, race_day, parameter="sp_f", new_value="", typed="1")
    assert response.status_code == 422
    assert "Type the new front spring." in response.text
    assert 'name="reason" value="Theory says so."' in response.text  # nothing typed is lost
    assert not RaceDayChange.objects.exists()
    response = try_it(owner_client, race_day, parameter="sp_f", new_value="Gold", typed="1")
    change = RaceDayChange.objects.get()
    assert (change.old_value, change.new_value) == ("Silver", "Gold")


def test_a_bad_value_comes_back_with_its_error_under_htmx(owner_client, race_day):
    response = try_it(owner_client, race_day, headers=HX, parameter="sb_f", new_value="9", typed="1")
    assert response.status_code == 200
    assert "Front sway bar must be 0 – 5 mm." in response.text
    assert 'value="9"' in response.text
    assert not RaceDayChange.objects.exists()


def test_try_it_on_a_closed_race_day_is_refused_with_the_reason(owner_client, race_day):
    services.race_day_close(race_day=race_day)
    response = try_it(owner_client, race_day)
    assert response.status_code == 302 and response["Location"] == race_day.get_absolute_url()
    assert "This race day is closed" in owner_client.get(response["Location"]).text
    response = try_it(owner_client, race_day, headers=HX)
    assert response["HX-Redirect"] == race_day.get_absolute_url()
    assert not RaceDayChange.objects.exists()


def test_other_users_cannot_try_on_my_race_day(other_client, race_day):
    assert try_it(other_client, race_day).status_code == 404
    assert not RaceDayChange.objects.exists()


def test_try_it_needs_a_post(owner_client, race_day):
    assert owner_client.get(reverse("raceday_advice_try", args=[race_day.pk])).status_code == 405


# --- the race day's own change form --------------------------------------------------


def test_a_change_recorded_by_hand_can_name_its_symptom(owner_client, race_day):
    owner_client.post(
        reverse("raceday_change_add", args=[race_day.pk]),
        {
            "parameter": "dr",
            "old_value": "3000",
            "new_value": "4000",
            "status": "tried",
            "symptom": "exit_oversteer",
        },
    )
    assert RaceDayChange.objects.get().symptom == "exit_oversteer"


# --- baseline ----------------------------------------------------------------------


def test_advice_on_the_baseline(owner_client, vehicle):
    url = reverse("baseline_advice", args=[vehicle.pk])
    response = owner_client.get(url, {"symptom": "exit_oversteer", "track": "Genk", "grip": "low"})
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert suggestions and "Try it" not in response.text
    assert "baseline version 1" in response.text
    assert any("On a slippery track" in s.reason for s in suggestions)


def test_baseline_advice_without_a_baseline_asks_for_one(owner_client, racer):
    bare = make_vehicle(racer)
    response = owner_client.get(reverse("baseline_advice", args=[bare.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("baseline_edit", args=[bare.pk])


def test_baseline_advice_is_the_owners(other_client, vehicle):
    assert other_client.get(reverse("baseline_advice", args=[vehicle.pk])).status_code == 404


def test_links_to_the_advisor(owner_client, vehicle, race_day):
    assert reverse("raceday_advice", args=[race_day.pk]) in owner_client.get(race_day.get_absolute_url()).text
    assert reverse("baseline_advice", args=[vehicle.pk]) in owner_client.get(vehicle.get_absolute_url()).text
