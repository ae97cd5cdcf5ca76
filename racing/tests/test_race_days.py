import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from zeal import zeal_ignore

from profiles import services as profile_services
from racing import services
from racing.models import RaceDay, RaceDayChange, TrackLog
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of

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


def _change(race_day, client, **data):
    payload = {"parameter": "df", "old_value": "7000", "new_value": "5000", "reason": "", "status": "planned"}
    payload.update(data)
    return client.post(reverse("raceday_change_add", args=[race_day.pk]), payload)


# --- starting ----------------------------------------------------------------


def test_start_copies_the_vehicles_baseline(owner_client, racer, vehicle):
    response = owner_client.post(
        reverse("raceday_start"),
        {
            "vehicle": vehicle.pk,
            "track": "Genk",
            "date": "2025-05-04",
            "surface": "clay",
            "temperature": "21.5",
        },
    )
    race_day = RaceDay.objects.get()
    assert response.status_code == 302 and response["Location"] == race_day.get_absolute_url()
    assert race_day.racer == racer and race_day.based_on == vehicle.current_baseline()
    assert race_day.df == 7000 and race_day.sp_f == "Silver"


def test_start_offers_only_the_active_racers_vehicles(owner_client, user, vehicle):
    sam = profile_services.create_profile(user, "Sam")
    sams = make_vehicle(sam, brand="Kyosho", model="MP10")
    response = owner_client.post(
        reverse("raceday_start"), {"vehicle": sams.pk, "track": "Genk", "date": "2025-05-04"}
    )
    assert response.status_code == 200 and not RaceDay.objects.exists()
    assert "MP10" not in response.content.decode()


def test_one_open_race_day_per_vehicle(owner_client, racer, vehicle, race_day):
    response = owner_client.post(
        reverse("raceday_start"), {"vehicle": vehicle.pk, "track": "Mill", "date": "2025-05-05"}
    )
    assert "already has an open race day" in response.content.decode()
    with pytest.raises(IntegrityError):
        RaceDay.objects.create(racer=racer, vehicle=vehicle, track="X", date=datetime.date(2025, 1, 1))


# --- changes -----------------------------------------------------------------------


def test_old_value_is_prefilled_from_the_days_setup(owner_client, race_day):
    race_day.df = 6000
    race_day.save()
    # Without JavaScript "Fill in the old value" asks the page for it.
    page = owner_client.get(race_day.get_absolute_url() + "?parameter=df").content.decode()
    assert 'name="old_value" value="6000"' in page
    # With it, trackside.js reads the value from the day's setup on the page.
    assert 'data-param="df" data-value="6000"' in page


@pytest.mark.parametrize(
    "status,expected", [("planned", 7000), ("tried", 5000), ("kept", 5000), ("reverted", 7000)]
)
def test_change_status_decides_the_days_setup(owner_client, race_day, status, expected):
    _change(race_day, owner_client, status=status)
    race_day.refresh_from_db()
    assert race_day.df == expected


def test_reverting_a_tried_change_puts_the_old_value_back(owner_client, race_day):
    _change(race_day, owner_client, status="tried")
    change = RaceDayChange.objects.get()
    race_day.refresh_from_db()
    assert race_day.df == 5000
    owner_client.post(reverse("raceday_change_status", args=[race_day.pk, change.pk]), {"status": "reverted"})
    race_day.refresh_from_db()
    change.refresh_from_db()
    assert race_day.df == 7000 and change.status == "reverted"


def test_htmx_change_returns_the_workspace_fragment(owner_client, race_day):
    response = owner_client.post(
        reverse("raceday_change_add", args=[race_day.pk]),
        {
            "parameter": "c_f",
            "old_value": "-1.5",
            "new_value": "-2",
            "reason": "more steering",
            "status": "kept",
        },
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="workspace"' in html and "more steering" in html
    assert "HX-Request" in response["Vary"]
    race_day.refresh_from_db()
    assert str(race_day.c_f) == "-2.00"


def test_change_out_of_range_is_refused_with_a_message(owner_client, race_day):
    response = _change(race_day, owner_client, new_value="5", status="kept")
    assert response.status_code == 422
    assert "Front diff oil must be 100 – 1,000,000 cSt." in response.content.decode()
    assert not RaceDayChange.objects.exists()


def test_text_parameter_change(owner_client, race_day):
    _change(race_day, owner_client, parameter="compound", old_value="Blue", new_value="Green", status="kept")
    race_day.refresh_from_db()
    assert race_day.compound == "Green"


def test_htmx_round_returns_the_rounds_fragment(owner_client, race_day):
    response = owner_client.post(
        reverse("raceday_round_add", args=[race_day.pk]),
        {"kind": "qualifier", "result": "P3", "note": "good start"},
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="rounds"' in html and "P3" in html
    assert race_day.rounds.get().kind == "qualifier"


def test_plain_post_round_redirects_back(owner_client, race_day):
    response = owner_client.post(
        reverse("raceday_round_add", args=[race_day.pk]), {"kind": "main", "result": "P1"}
    )
    assert response.status_code == 302 and response["Location"] == race_day.get_absolute_url()


# --- closing and promoting ---------------------------------------------------------------


def test_close_writes_a_track_log_summary_then_offers_promotion(owner_client, race_day):
    _change(race_day, owner_client, status="kept", reason="more rear grip")
    owner_client.post(reverse("raceday_round_add", args=[race_day.pk]), {"kind": "main", "result": "P2"})
    url = reverse("raceday_close", args=[race_day.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, {"note": "<b>great day</b>"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "raceday_promote", args=[race_day.pk]
    )
    race_day.refresh_from_db()
    assert race_day.status == "closed" and race_day.closed_at is not None
    log = TrackLog.objects.get()
    assert log.race_day == race_day and log.track == "Genk" and log.vehicle == race_day.vehicle
    assert "Front diff oil: 7000 → 5000 [kept] (more rear grip)" in log.note
    assert "Main: P2" in log.note and "clay" in log.note and "<b>great day</b>" in log.note
    promote = owner_client.get(response["Location"]).content.decode()
    assert "Front diff oil" in promote and "becomes baseline version 2" in promote


def test_promote_adds_a_baseline_version(owner_client, race_day, vehicle):
    _change(race_day, owner_client, status="kept")
    owner_client.post(reverse("raceday_close", args=[race_day.pk]))
    response = owner_client.post(reverse("raceday_promote", args=[race_day.pk]), {"based_on": "1"})
    assert response.status_code == 302
    current = vehicle.current_baseline()
    assert current.number == 2 and current.df == 5000 and "Genk" in current.note


def test_promote_after_the_baseline_moved_on_asks_again(owner_client, race_day, vehicle):
    make_baseline(vehicle, df=9000)
    response = owner_client.post(
        reverse("raceday_promote", args=[race_day.pk]), {"based_on": "1"}, follow=True
    )
    assert "baseline changed while you were looking" in response.content.decode()
    assert vehicle.current_baseline().number == 2


def test_promote_page_for_a_vehicle_without_baseline_offers_version_1(owner_client, racer):
    race_day = make_race_day(racer, make_vehicle(racer), track="Genk")
    response = owner_client.get(reverse("raceday_promote", args=[race_day.pk]))
    assert response.status_code == 200
    assert "has no baseline yet: this becomes version 1" in response.content.decode()
    response = owner_client.post(reverse("raceday_promote", args=[race_day.pk]), {"based_on": "0"})
    assert race_day.vehicle.current_baseline().number == 1


def test_closed_race_day_takes_no_more_changes(owner_client, race_day):
    services.race_day_close(race_day=race_day)
    response = _change(race_day, owner_client, status="kept")
    assert response.status_code == 302
    assert not RaceDayChange.objects.exists()
    with pytest.raises(services.RaceDayClosed):
        services.race_day_round_add(race_day=race_day, kind="main")


CLOSED = "This race day is closed: it is a record now"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (
            "raceday_change_add",
            {"parameter": "df", "old_value": "7000", "new_value": "5000", "status": "kept"},
        ),
        ("raceday_round_add", {"kind": "main", "result": "P1"}),
        ("raceday_close", {"note": "again"}),
    ],
)
def test_every_write_to_a_closed_day_answers_with_the_days_page_and_why(owner_client, race_day, name, data):
    services.race_day_close(race_day=race_day)
    response = owner_client.post(reverse(name, args=[race_day.pk]), data, follow=True)
    assert response.redirect_chain == [(race_day.get_absolute_url(), 302)]
    assert CLOSED in response.content.decode()
    assert not race_day.changes.exists() and not race_day.rounds.exists()
    assert TrackLog.objects.filter(race_day=race_day).count() == 1


def test_closing_page_of_a_closed_day_says_it_is_closed(owner_client, race_day):
    services.race_day_close(race_day=race_day)
    response = owner_client.get(reverse("raceday_close", args=[race_day.pk]), follow=True)
    assert response.redirect_chain == [(race_day.get_absolute_url(), 302)]
    assert CLOSED in response.content.decode()


def test_status_of_a_change_on_a_closed_day_stays(owner_client, race_day):
    change = services.race_day_change_add(
        race_day=race_day, parameter="df", old_value="7000", new_value="5000"
    )
    services.race_day_close(race_day=race_day)
    url = reverse("raceday_change_status", args=[race_day.pk, change.pk])
    response = owner_client.post(url, {"status": "kept"}, follow=True)
    assert CLOSED in response.content.decode()
    change.refresh_from_db()
    assert change.status == "planned"


def test_htmx_write_to_a_closed_day_sends_the_browser_to_the_days_page(owner_client, race_day):
    services.race_day_close(race_day=race_day)
    response = owner_client.post(
        reverse("raceday_round_add", args=[race_day.pk]), {"kind": "main"}, headers=HX
    )
    assert response.status_code == 200 and response["HX-Redirect"] == race_day.get_absolute_url()
    assert CLOSED in owner_client.get(race_day.get_absolute_url()).content.decode()


def test_a_day_closed_in_another_tab_meanwhile_takes_the_same_path(owner_client, race_day, monkeypatch):
    """The view saw the day open; the service, under its lock, finds it closed."""
    real_add = services.race_day_change_add

    def close_first(*, race_day, **fields):
        services.race_day_close(race_day=RaceDay.objects.get(pk=race_day.pk))
        return real_add(race_day=race_day, **fields)

    monkeypatch.setattr(services, "race_day_change_add", close_first)
    # The stand-in for the other tab locks the day inside this request, so the
    # lock's query runs twice here; a real request runs it once.
    with zeal_ignore([{"model": "racing.RaceDay", "field": "get()"}]):
        response = _change(race_day, owner_client, status="kept")
    assert response.status_code == 302 and response["Location"] == race_day.get_absolute_url()
    assert not RaceDayChange.objects.exists()


# --- saved per racer --------------------------------------------------------------------


def test_switching_racer_and_back_shows_the_open_race_day_as_it_was(owner_client, user, race_day):
    _change(race_day, owner_client, status="tried", reason="try thinner front")
    owner_client.post(
        reverse("raceday_round_add", args=[race_day.pk]), {"kind": "practice", "result": "32.4 s"}
    )
    sam = profile_services.create_profile(user, "Sam")
    alex = race_day.racer

    owner_client.post(reverse("racer_switch", args=[sam.pk]))
    garage = owner_client.get(reverse("vehicle_list")).content.decode()
    assert "Open race days" not in garage
    assert "Genk" not in owner_client.get(reverse("raceday_list")).content.decode()

    owner_client.post(reverse("racer_switch", args=[alex.pk]))
    garage = owner_client.get(reverse("vehicle_list")).content.decode()
    assert "Open race days" in garage and race_day.get_absolute_url() in garage
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert "try thinner front" in page and "32.4 s" in page
    race_day.refresh_from_db()
    assert race_day.df == 5000 and race_day.is_open


def test_race_day_list_query_count_is_constant(owner_client, racer, django_assert_max_num_queries):
    for i in range(3):
        make_race_day(racer, make_vehicle(racer, model=f"A{i}"))
    url = reverse("raceday_list")
    owner_client.get(url)
    with django_assert_max_num_queries(8):
        owner_client.get(url)
    for i in range(30):
        make_race_day(racer, make_vehicle(racer, model=f"B{i}"))
    with django_assert_max_num_queries(8):
        assert owner_client.get(url).status_code == 200


# --- ownership ---------------------------------------------------------------------------

RACE_DAY_VIEWS = [
    ("raceday_detail", "get"),
    ("raceday_change_add", "post"),
    ("raceday_round_add", "post"),
    ("raceday_close", "get"),
    ("raceday_close", "post"),
    ("raceday_promote", "get"),
    ("raceday_promote", "post"),
]


@pytest.mark.parametrize("name,method", RACE_DAY_VIEWS)
def test_other_user_gets_404(other_client, race_day, name, method):
    response = getattr(other_client, method)(
        reverse(name, args=[race_day.pk]), {"kind": "main", "parameter": "df", "new_value": "5000"}
    )
    assert response.status_code == 404
    assert not race_day.changes.exists() and not race_day.rounds.exists()
    race_day.refresh_from_db()
    assert race_day.is_open


def test_other_user_cannot_change_a_status(other_client, race_day):
    change = services.race_day_change_add(
        race_day=race_day, parameter="df", old_value="7000", new_value="5000"
    )
    response = other_client.post(
        reverse("raceday_change_status", args=[race_day.pk, change.pk]), {"status": "kept"}
    )
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == "planned"


@pytest.mark.parametrize("name,method", [*RACE_DAY_VIEWS, ("raceday_list", "get"), ("raceday_start", "get")])
def test_anonymous_is_sent_to_login(client, race_day, name, method):
    args = [] if name in ("raceday_list", "raceday_start") else [race_day.pk]
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_day_names_the_baseline_version_it_started_from(owner_client, user):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle)
    make_baseline(vehicle, note="softer", bell=15)
    day = make_race_day(racer, vehicle)
    page = owner_client.get(day.get_absolute_url()).content.decode()
    assert "Started from baseline version 2." in page
    blank = make_race_day(racer, make_vehicle(racer))
    assert "Started from baseline version" not in owner_client.get(blank.get_absolute_url()).content.decode()
