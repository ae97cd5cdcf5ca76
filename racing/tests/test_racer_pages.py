"""A racer's pages while another racer is active: where switching lands, the banner, refused writes.

The owner has two racers, Alex (active) and Sam. Sam's pages open (the
owner may look) with a banner offering the switch and their forms
disabled; writes to them are refused until Sam is the active racer.
Another user gets 404 as always, and visitors go to the login page.
"""

import pytest
from django.urls import reverse

from profiles import services as profile_services
from profiles.session import ACTIVE_RACER_KEY
from racing.models import BaselineVersion, RaceDay, RaceDayChange, RaceDayRound, TrackLog, Vehicle
from racing.tests.factories import SETUP, make_baseline, make_race_day, make_track_log, make_vehicle, racer_of

HX = {"HX-Request": "true"}


@pytest.fixture
def alex(user):
    racer = racer_of(user)
    racer.name = "Alex"
    racer.save()
    return racer


@pytest.fixture
def sam(user, alex):
    return profile_services.racer_create(owner=user, name="Sam")


@pytest.fixture
def sams(sam):
    """Sam's vehicle (with a baseline), open race day with a change, and track-log entry."""
    vehicle = make_vehicle(sam, brand="Xray", model="XB8")
    make_baseline(vehicle, note="kit")
    race_day = make_race_day(sam, vehicle, track="Mill Lane")
    change = RaceDayChange.objects.create(
        race_day=race_day, parameter="df", old_value="7000", new_value="5000", status="planned"
    )
    log = make_track_log(sam, track="Mill Lane", vehicle=vehicle)
    return {"vehicle": vehicle, "race_day": race_day, "change": change, "log": log}


@pytest.fixture
def as_alex(owner_client, alex):
    owner_client.post(reverse("racer_switch", args=[alex.pk]))
    assert owner_client.session[ACTIVE_RACER_KEY] == alex.pk
    return owner_client


def _switch(client, racer, next_url, **kwargs):
    return client.post(reverse("racer_switch", args=[racer.pk]), {"next": next_url}, **kwargs)


# --- where switching lands ------------------------------------------------------


@pytest.mark.parametrize(
    "page,section",
    [
        (lambda s: reverse("raceday_detail", args=[s["race_day"].pk]), "raceday_list"),
        (lambda s: reverse("raceday_close", args=[s["race_day"].pk]), "raceday_list"),
        (lambda s: reverse("raceday_advice", args=[s["race_day"].pk]), "raceday_list"),
        (lambda s: reverse("raceday_analysis", args=[s["race_day"].pk]), "raceday_list"),
        (lambda s: reverse("raceday_laps_import", args=[s["race_day"].pk]), "raceday_list"),
        (lambda s: reverse("vehicle_lap_history", args=[s["vehicle"].pk]), "vehicle_list"),
        (lambda s: reverse("vehicle_detail", args=[s["vehicle"].pk]), "vehicle_list"),
        (lambda s: reverse("baseline_edit", args=[s["vehicle"].pk]), "vehicle_list"),
        (lambda s: reverse("baseline_versions", args=[s["vehicle"].pk]), "vehicle_list"),
        (lambda s: reverse("baseline_version_detail", args=[s["vehicle"].pk, 1]), "vehicle_list"),
        (lambda s: reverse("tracklog_edit", args=[s["log"].pk]), "tracklog_list"),
    ],
)
def test_switching_away_from_a_racers_page_lands_on_the_same_section_for_the_new_racer(
    owner_client, alex, sams, page, section
):
    owner_client.post(reverse("racer_switch", args=[sams["race_day"].racer.pk]))
    response = _switch(owner_client, alex, page(sams))
    assert response.status_code == 302
    assert response["Location"] == reverse(section)
    # The section now lists Alex's rows, under Alex's name.
    listing = owner_client.get(response["Location"]).content.decode()
    assert "Alex" in listing and "Mill Lane" not in listing


def test_switching_with_htmx_lands_on_the_section_too(owner_client, alex, sams):
    owner_client.post(reverse("racer_switch", args=[sams["race_day"].racer.pk]))
    response = _switch(owner_client, alex, reverse("raceday_detail", args=[sams["race_day"].pk]), headers=HX)
    assert response["HX-Redirect"] == reverse("raceday_list")


def test_switching_to_the_racer_whose_page_it_is_stays_on_the_page(as_alex, sam, sams):
    race_day_url = reverse("raceday_detail", args=[sams["race_day"].pk])
    response = _switch(as_alex, sam, race_day_url)
    assert response["Location"] == race_day_url
    page = as_alex.get(race_day_url).content.decode()
    assert "racer-banner" not in page and 'id="add-change"' in page


def test_switching_on_a_page_of_no_one_racer_stays_there(as_alex, sam):
    for url in (reverse("racer_list"), reverse("library_list") + "?q=genk", reverse("home")):
        assert _switch(as_alex, sam, url)["Location"] == url


def test_switching_on_a_list_drops_the_previous_racers_filters(as_alex, sam, sams):
    url = reverse("tracklog_list") + f"?vehicle={sams['vehicle'].pk}&page=2"
    assert _switch(as_alex, sam, url)["Location"] == reverse("tracklog_list")
    laps = reverse("laps_compare") + f"?days={sams['race_day'].pk}"
    assert _switch(as_alex, sam, laps)["Location"] == reverse("laps_compare")


def test_switching_on_a_comparison_keeps_it_only_when_it_is_the_new_racers(as_alex, alex, sam, sams):
    version = BaselineVersion.objects.get(vehicle=sams["vehicle"])
    sams_compare = reverse("compare") + f"?a=raceday:{sams['race_day'].pk}&b=baseline:{version.pk}"
    assert _switch(as_alex, sam, sams_compare)["Location"] == sams_compare
    assert _switch(as_alex, alex, sams_compare)["Location"] == reverse("compare")
    huge = reverse("compare") + "?a=raceday:99999999999999999999999"
    assert _switch(as_alex, alex, huge)["Location"] == reverse("compare")


def test_an_unknown_next_still_lands_there(as_alex, sam):
    assert _switch(as_alex, sam, "/no/such/page/")["Location"] == "/no/such/page/"


# --- the banner -------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        lambda s: reverse("raceday_detail", args=[s["race_day"].pk]),
        lambda s: reverse("vehicle_detail", args=[s["vehicle"].pk]),
        lambda s: reverse("baseline_edit", args=[s["vehicle"].pk]),
        lambda s: reverse("tracklog_edit", args=[s["log"].pk]),
    ],
)
def test_another_racers_page_shows_the_banner_with_a_one_tap_switch_and_locked_forms(
    as_alex, sam, sams, page
):
    url = page(sams)
    response = as_alex.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This page is <strong>Sam</strong>'s; you are working as <strong>Alex</strong>." in body
    switch = f'action="{reverse("racer_switch", args=[sam.pk])}" data-switch-form'
    assert switch in body
    assert f'<input type="hidden" name="next" value="{url}">' in body
    assert '<fieldset class="page-lock" disabled>' in body
    # The banner and its button sit before the lock, so the switch itself works.
    assert body.index(switch) < body.index('<fieldset class="page-lock" disabled>')


def test_the_active_racers_own_pages_have_no_banner(as_alex, alex):
    vehicle = make_vehicle(alex)
    race_day = make_race_day(alex, vehicle)
    for url in (race_day.get_absolute_url(), vehicle.get_absolute_url(), reverse("home")):
        body = as_alex.get(url).content.decode()
        assert "racer-banner" not in body and "page-lock" not in body


def test_the_banners_switch_opens_the_page_editable(as_alex, sam, sams):
    url = reverse("raceday_detail", args=[sams["race_day"].pk])
    response = _switch(as_alex, sam, url, follow=True)
    assert response.redirect_chain[-1][0] == url
    body = response.content.decode()
    assert "Switched to Sam." in body and "page-lock" not in body


# --- writes to a racer who is not the active one -----------------------------------


def _counts():
    return (
        Vehicle.objects.count(),
        BaselineVersion.objects.count(),
        RaceDay.objects.filter(status="open").count(),
        RaceDayChange.objects.filter(status="planned").count(),
        RaceDayRound.objects.count(),
        TrackLog.objects.count(),
        list(Vehicle.objects.order_by("pk").values_list("brand", "model")),
        list(TrackLog.objects.order_by("pk").values_list("track", flat=True)),
    )


WRITES = [
    ("raceday_change_add", "race_day", {"parameter": "dc", "old_value": "10000", "new_value": "12000"}),
    ("raceday_round_add", "race_day", {"kind": "qualifier", "result": "P1"}),
    ("raceday_change_status", "change", {"status": "kept"}),
    ("raceday_close", "race_day", {"note": "done"}),
    ("raceday_promote", "race_day", {}),
    (
        "raceday_advice_try",
        "race_day",
        {"parameter": "df", "new_value": "6000", "symptom": "entry_understeer"},
    ),
    ("vehicle_edit", "vehicle", {"brand": "Posted", "model": "Car"}),
    ("vehicle_delete", "vehicle", {}),
    ("baseline_edit", "vehicle", {"based_on": "1", "note": "posted", **SETUP, "df": "5000"}),
    ("baseline_restore", "version", {}),
    ("tracklog_edit", "log", {"timestamp": "2025-06-01T10:00", "track": "Posted"}),
    ("tracklog_delete", "log", {}),
]


def _url(name, key, sams):
    args = {
        "race_day": [sams["race_day"].pk],
        "change": [sams["race_day"].pk, sams["change"].pk],
        "vehicle": [sams["vehicle"].pk],
        "version": [sams["vehicle"].pk, 1],
        "log": [sams["log"].pk],
    }[key]
    return reverse(name, args=args)


@pytest.mark.parametrize("name,key,data", WRITES, ids=[w[0] for w in WRITES])
def test_a_write_to_another_racer_is_refused_and_saves_nothing(as_alex, sam, sams, name, key, data):
    page = reverse("raceday_detail", args=[sams["race_day"].pk])
    before = _counts()
    response = as_alex.post(_url(name, key, sams), data, headers={"Referer": f"http://testserver{page}"})
    assert response.status_code == 409
    assert _counts() == before
    body = response.content.decode()
    assert "Not saved" in body and "data-not-saved" in body
    assert "This belongs to <strong>Sam</strong>, and <strong>Alex</strong> is the active racer" in body
    # One tap switches and goes back to the page the form was on.
    assert f'action="{reverse("racer_switch", args=[sam.pk])}"' in body
    assert f'<input type="hidden" name="next" value="{page}">' in body


@pytest.mark.parametrize("name,key,data", WRITES[:3], ids=[w[0] for w in WRITES[:3]])
def test_an_htmx_write_to_another_racer_goes_back_to_the_page_with_the_reason(as_alex, sams, name, key, data):
    page = reverse("raceday_detail", args=[sams["race_day"].pk])
    before = _counts()
    response = as_alex.post(
        _url(name, key, sams), data, headers={**HX, "Referer": f"http://testserver{page}?x=1"}
    )
    assert response.status_code == 409
    assert response["HX-Redirect"] == f"{page}?x=1"
    assert _counts() == before
    body = as_alex.get(page).content.decode()
    assert 'class="message not-saved error"' in body and "Not saved: this belongs to Sam" in body


def test_a_refusal_without_a_referer_offers_the_home_page(as_alex, sams):
    response = as_alex.post(_url("raceday_round_add", "race_day", sams), {"kind": "main"})
    assert response.status_code == 409
    assert '<input type="hidden" name="next" value="/">' in response.content.decode()


def test_after_switching_the_same_write_is_saved(as_alex, sam, sams):
    url = _url("raceday_round_add", "race_day", sams)
    assert as_alex.post(url, {"kind": "main", "result": "P4"}).status_code == 409
    as_alex.post(reverse("racer_switch", args=[sam.pk]))
    assert as_alex.post(url, {"kind": "main", "result": "P4"}).status_code == 302
    assert RaceDayRound.objects.filter(race_day=sams["race_day"], result="P4").exists()


@pytest.mark.parametrize("name,key,data", WRITES, ids=[w[0] for w in WRITES])
def test_another_user_still_gets_404_and_no_banner(other_client, sams, name, key, data):
    before = _counts()
    assert other_client.post(_url(name, key, sams), data).status_code == 404
    assert _counts() == before
    response = other_client.get(reverse("raceday_detail", args=[sams["race_day"].pk]))
    assert response.status_code == 404 and "racer-banner" not in response.content.decode()


@pytest.mark.parametrize("name,key,data", WRITES, ids=[w[0] for w in WRITES])
def test_visitors_are_sent_to_log_in(client, sams, name, key, data):
    before = _counts()
    response = client.post(_url(name, key, sams), data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert _counts() == before
