"""Laps pasted into the round form: one row per lap, checked by the form and by the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from racing import services
from racing.models import RaceDayLap, RaceDayRound
from racing.tests.factories import make_race_day, racer_of

HX = {"HX-Request": "true"}


@pytest.fixture
def race_day(user):
    return make_race_day(racer_of(user))


def _add_round(client, race_day, laps, **headers):
    data = {"kind": "qualifier", "result": "P3", "note": "", "laps": laps}
    return client.post(reverse("raceday_round_add", args=[race_day.pk]), data, headers=headers)


def test_pasted_laps_are_stored_in_order(owner_client, race_day):
    response = _add_round(owner_client, race_day, "32.451\n1:02.004, 31.9")
    assert response.status_code == 302
    round_ = RaceDayRound.objects.get()
    assert list(round_.laps.values_list("lap_no", "time")) == [
        (1, Decimal("32.451")),
        (2, Decimal("62.004")),
        (3, Decimal("31.900")),
    ]


def test_round_page_shows_the_stats(owner_client, race_day):
    _add_round(owner_client, race_day, "33 32 34 31")
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert "4 laps · best 31.000 · average 32.500 · best 3 in a row 1:37.000" in page


def test_a_bad_lap_is_quoted_and_nothing_is_lost(owner_client, race_day):
    response = _add_round(owner_client, race_day, "32.4, 1:75.0, 33.0")
    assert response.status_code == 422
    page = response.content.decode()
    assert "“1:75.0”" in page and "32.4, 1:75.0, 33.0" in page
    assert not RaceDayRound.objects.exists()


def test_a_bad_lap_over_htmx_comes_back_in_the_fragment(owner_client, race_day):
    response = _add_round(owner_client, race_day, "abc", **HX)
    assert response.status_code == 200 and "“abc”" in response.content.decode()
    assert not RaceDayRound.objects.exists()


def test_a_round_without_laps_is_still_a_round(owner_client, race_day):
    _add_round(owner_client, race_day, "")
    assert RaceDayRound.objects.count() == 1 and not RaceDayLap.objects.exists()


def test_other_user_cannot_add_laps(other_client, race_day):
    assert _add_round(other_client, race_day, "32.1").status_code == 404
    assert not RaceDayLap.objects.exists()


def test_anonymous_is_sent_to_log_in(client, race_day):
    response = _add_round(client, race_day, "32.1")
    assert response.status_code == 302 and "login" in response["Location"]
    assert not RaceDayLap.objects.exists()


def test_the_database_refuses_a_second_lap_with_the_same_number(race_day):
    round_ = services.race_day_round_add(race_day=race_day, kind="main", laps=[Decimal("30")])
    with pytest.raises(IntegrityError), transaction.atomic():
        RaceDayLap.objects.create(round=round_, lap_no=1, time=Decimal("31"))


@pytest.mark.parametrize("time", [Decimal("0"), Decimal("-1.5"), Decimal("3600.001")])
def test_the_database_refuses_a_lap_time_out_of_range(race_day, time):
    round_ = services.race_day_round_add(race_day=race_day, kind="main")
    with pytest.raises(IntegrityError), transaction.atomic():
        RaceDayLap.objects.create(round=round_, lap_no=1, time=time)


def test_the_database_numbers_laps_from_one(race_day):
    round_ = services.race_day_round_add(race_day=race_day, kind="main")
    with pytest.raises(IntegrityError), transaction.atomic():
        RaceDayLap.objects.create(round=round_, lap_no=0, time=Decimal("30"))


def test_more_laps_than_a_round_holds_is_refused(owner_client, race_day):
    response = _add_round(owner_client, race_day, " ".join(["30"] * 501))
    assert (
        response.status_code == 422 and "501 laps is more than one round holds" in response.content.decode()
    )
    assert not RaceDayRound.objects.exists()
