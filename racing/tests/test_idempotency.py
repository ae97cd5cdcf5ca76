"""Every create on the race day and the track log happens once per key, whoever sends it how often."""

import datetime as dt
import io
import re
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apex.tests.fixtures import all_succeeded, make_user, run_together
from racing import services
from racing.models import IdempotencyKey, RaceDay, RaceDayChange, RaceDayRound, TrackLog
from racing.tests.factories import make_baseline, make_race_day, make_vehicle, racer_of

HX = {"HX-Request": "true"}
JSON = {"Accept": "application/json"}
CHANGE = {"parameter": "df", "old_value": "7000", "new_value": "5000", "status": "tried"}


@pytest.fixture
def race_day(user):
    racer = racer_of(user)
    vehicle = make_vehicle(racer)
    make_baseline(vehicle)
    return make_race_day(racer, vehicle)


def _key() -> str:
    return str(uuid.uuid4())


def _add_change(client, race_day, key, headers=None, **data):
    url = reverse("raceday_change_add", args=[race_day.pk])
    return client.post(url, {**CHANGE, **data, "idempotency_key": key}, headers=headers or {})


def test_a_repeated_change_is_stored_once_and_answered_as_the_first_time(owner_client, race_day):
    key = _key()
    first = _add_change(owner_client, race_day, key)
    again = _add_change(owner_client, race_day, key)
    assert RaceDayChange.objects.count() == 1
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"] == race_day.get_absolute_url()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    page = owner_client.get(again["Location"]).content.decode()
    assert "Already saved: that was sent before, so nothing was added twice." in page


def test_the_key_also_comes_as_a_header(owner_client, race_day):
    key = _key()
    url = reverse("raceday_change_add", args=[race_day.pk])
    owner_client.post(url, CHANGE, headers={"Idempotency-Key": key})
    owner_client.post(url, CHANGE, headers={"Idempotency-Key": key})
    assert RaceDayChange.objects.count() == 1
    assert IdempotencyKey.objects.get().key == uuid.UUID(key)


def test_a_new_key_records_a_new_change(owner_client, race_day):
    _add_change(owner_client, race_day, _key())
    _add_change(owner_client, race_day, _key())
    assert RaceDayChange.objects.count() == 2


def test_keys_are_per_user(client, race_day, user):
    key = _key()
    client.force_login(user)
    _add_change(client, race_day, key)
    other = make_user("kim")
    kims_day = make_race_day(racer_of(other))
    client.force_login(other)
    response = _add_change(client, kims_day, key)
    assert response.status_code == 302
    assert RaceDayChange.objects.filter(race_day=kims_day).count() == 1
    assert RaceDayChange.objects.filter(race_day=race_day).count() == 1


def test_a_key_used_for_another_request_is_refused(owner_client, race_day):
    key = _key()
    _add_change(owner_client, race_day, key)
    url = reverse("raceday_round_add", args=[race_day.pk])
    response = owner_client.post(url, {"kind": "main", "idempotency_key": key})
    assert response.status_code == 422 and "already used for another request" in response.content.decode()
    assert not RaceDayRound.objects.exists()


def test_a_key_that_is_not_a_uuid_is_refused(owner_client, race_day):
    response = _add_change(owner_client, race_day, "not-a-uuid")
    assert response.status_code == 400 and "must be a UUID" in response.content.decode()
    assert not RaceDayChange.objects.exists()


def test_a_refused_form_keeps_its_key_free_for_the_corrected_one(owner_client, race_day):
    key = _key()
    refused = _add_change(owner_client, race_day, key, new_value="5")
    assert refused.status_code == 422 and not IdempotencyKey.objects.exists()
    _add_change(owner_client, race_day, key)
    assert RaceDayChange.objects.get().new_value == "5000"


def test_an_htmx_repeat_gets_the_first_fragment(owner_client, race_day):
    key = _key()
    first = _add_change(owner_client, race_day, key, headers=HX)
    again = _add_change(owner_client, race_day, key, headers=HX)
    assert RaceDayChange.objects.count() == 1
    assert (
        again.status_code == 200
        and again.content == first.content
        and 'id="workspace"' in again.content.decode()
    )


def test_every_race_day_create_is_once_per_key(owner_client, race_day, user):
    change = services.race_day_change_add(
        race_day=race_day, parameter="dr", old_value="3000", new_value="4000"
    )
    posts = [
        (reverse("raceday_round_add", args=[race_day.pk]), {"kind": "main", "result": "P2"}),
        (reverse("raceday_change_status", args=[race_day.pk, change.pk]), {"status": "kept"}),
        (reverse("raceday_close", args=[race_day.pk]), {"note": "Won"}),
        (reverse("tracklog_create"), {"timestamp": "2025-05-04T10:00", "track": "Mill", "note": "Test day"}),
    ]
    for url, data in posts:
        key = _key()
        first = owner_client.post(url, {**data, "idempotency_key": key})
        again = owner_client.post(url, {**data, "idempotency_key": key})
        assert first.status_code == again.status_code == 302, url
        assert first["Location"] == again["Location"], url
    assert RaceDayRound.objects.count() == 1
    assert TrackLog.objects.filter(race_day=race_day).count() == 1
    assert TrackLog.objects.filter(track="Mill").count() == 1
    vehicle = make_vehicle(racer_of(user), model="MP10")
    key = _key()
    for _ in range(2):
        owner_client.post(
            reverse("raceday_start"),
            {"vehicle": vehicle.pk, "track": "Genk", "date": "2025-05-05", "idempotency_key": key},
        )
    assert RaceDay.objects.filter(vehicle=vehicle).count() == 1


def test_every_form_on_the_race_day_carries_its_own_new_key(owner_client, race_day):
    services.race_day_change_add(race_day=race_day, parameter="dr", old_value="3000", new_value="4000")
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    keys = re.findall(r'name="idempotency_key" value="([0-9a-f-]{36})"', page)
    assert len(keys) == 3 and len(set(keys)) == 3  # change, round, the change's status
    again = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert not set(keys) & set(re.findall(r'name="idempotency_key" value="([0-9a-f-]{36})"', again))


def test_the_offline_queue_reads_json_answers(owner_client, race_day):
    saved = _add_change(owner_client, race_day, _key(), headers=JSON)
    assert saved.status_code == 201 and saved.json() == {"message": "Change recorded."}
    refused = _add_change(owner_client, race_day, _key(), headers=JSON, new_value="5")
    assert refused.status_code == 422 and "new_value" in refused.json()["errors"]
    services.race_day_close(race_day=race_day)
    closed = _add_change(owner_client, race_day, _key(), headers=JSON)
    assert closed.status_code == 409 and "closed" in closed.json()["error"]
    url = reverse("raceday_round_add", args=[race_day.pk])
    closed_round = owner_client.post(url, {"kind": "main", "note": "loose"}, headers=JSON)
    assert closed_round.status_code == 409
    assert RaceDayChange.objects.count() == 1 and not RaceDayRound.objects.exists()


def test_a_status_tap_kept_offline_gets_json_answers_once(owner_client, race_day):
    change = services.race_day_change_add(
        race_day=race_day, parameter="dr", old_value="3000", new_value="4000"
    )
    url = reverse("raceday_change_status", args=[race_day.pk, change.pk])
    key = _key()
    tapped = owner_client.post(url, {"status": "kept", "idempotency_key": key}, headers=JSON)
    assert tapped.status_code == 200 and tapped.json() == {"message": "Rear diff oil: marked kept."}
    change.refresh_from_db()
    assert change.status == "kept"
    # Sent again (the answer was lost on the way): the first answer, nothing run twice.
    change.status = "tried"
    change.save(update_fields=["status"])
    again = owner_client.post(url, {"status": "kept", "idempotency_key": key}, headers=JSON)
    assert again.json() == tapped.json() and again["Idempotent-Replayed"] == "true"
    change.refresh_from_db()
    assert change.status == "tried"

    refused = owner_client.post(url, {"status": "fast", "idempotency_key": _key()}, headers=JSON)
    assert refused.status_code == 422 and "status" in refused.json()["errors"]
    other = Client()
    other.force_login(make_user("stranger"))
    stranger = other.post(url, {"status": "reverted", "idempotency_key": _key()}, headers=JSON)
    assert stranger.status_code == 404
    services.race_day_close(race_day=race_day)
    closed = owner_client.post(url, {"status": "reverted", "idempotency_key": _key()}, headers=JSON)
    assert closed.status_code == 409 and "closed" in closed.json()["error"]
    change.refresh_from_db()
    assert change.status == "tried"


def test_closing_kept_offline_gets_json_answers_once(owner_client, race_day):
    services.race_day_change_add(race_day=race_day, parameter="dr", old_value="3000", new_value="4000")
    url = reverse("raceday_close", args=[race_day.pk])
    key = _key()
    closed = owner_client.post(url, {"note": "Dry all day", "idempotency_key": key}, headers=JSON)
    assert closed.status_code == 200
    assert closed.json() == {"message": "Race day closed and summarised in the track log."}
    race_day.refresh_from_db()
    assert race_day.status == "closed"
    log = TrackLog.objects.get(race_day=race_day)
    assert "Rear diff oil: 3000 → 4000" in log.note and "Dry all day" in log.note
    # Sent again (the answer was lost on the way): the first answer, one summary.
    again = owner_client.post(url, {"note": "Dry all day", "idempotency_key": key}, headers=JSON)
    assert again.json() == closed.json() and again["Idempotent-Replayed"] == "true"
    assert TrackLog.objects.filter(race_day=race_day).count() == 1
    # Closed meanwhile (another phone): refused with the reason, nothing written.
    late = owner_client.post(url, {"note": "late", "idempotency_key": _key()}, headers=JSON)
    assert late.status_code == 409 and "closed" in late.json()["error"]
    assert TrackLog.objects.filter(race_day=race_day).count() == 1


def test_closing_with_htmx_goes_on_to_the_promotion_page(owner_client, race_day):
    url = reverse("raceday_close", args=[race_day.pk])
    other = Client()
    other.force_login(make_user("stranger"))
    assert other.post(url, {"idempotency_key": _key()}, headers={**HX, **JSON}).status_code == 404
    response = owner_client.post(url, {"idempotency_key": _key()}, headers=HX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("raceday_promote", args=[race_day.pk])
    again = owner_client.post(url, {"idempotency_key": _key()}, headers=HX)
    assert again["HX-Redirect"] == race_day.get_absolute_url()  # closed: the day's page says so
    assert TrackLog.objects.filter(race_day=race_day).count() == 1


def test_anonymous_and_other_users_cannot_use_a_key_to_write(client, other_client, race_day):
    response = _add_change(other_client, race_day, _key())
    assert response.status_code == 404
    client.logout()
    response = _add_change(client, race_day, _key())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not RaceDayChange.objects.exists() and not IdempotencyKey.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_once_store_one_change(user):
    racer = racer_of(user)
    race_day = make_race_day(racer, make_vehicle(racer))
    key = _key()

    def send():
        client = Client()
        client.force_login(user)
        response = _add_change(client, race_day, key)
        return response.status_code, response["Location"]

    answers = all_succeeded(run_together(send, send))
    assert answers == [(302, race_day.get_absolute_url())] * 2
    assert RaceDayChange.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_prune_forgets_only_keys_older_than_the_days_given(user):
    old = IdempotencyKey.objects.create(user=user, key=uuid.uuid4(), path="/x/", status_code=302)
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    fresh = IdempotencyKey.objects.create(user=user, key=uuid.uuid4(), path="/x/", status_code=302)
    out = io.StringIO()
    call_command("prune_idempotency_keys", stdout=out)
    assert "Deleted 1 idempotency key(s) older than 30 days." in out.getvalue()
    assert list(IdempotencyKey.objects.all()) == [fresh]
    with pytest.raises(CommandError, match="--days must be 1 or more"):
        call_command("prune_idempotency_keys", "--days", "0")
