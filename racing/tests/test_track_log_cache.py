"""The track log's filter lists (the racer's tracks and vehicles) are cached per racer and retired on change."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles import services as profile_services
from racing.tests.factories import make_track_log, make_vehicle, racer_of

pytestmark = pytest.mark.django_db


def _options(client, field: str) -> list[str]:
    page = client.get(reverse("tracklog_list")).content.decode()
    select = re.search(rf'<select name="{field}".*?</select>', page, re.S).group(0)
    return re.findall(r"<option[^>]*>(.*?)</option>", select)[1:]  # minus "All ..."


@pytest.fixture
def racer(user):
    return racer_of(user)


def test_the_tracks_are_read_once(owner_client, racer):
    make_track_log(racer, track="Genk")
    owner_client.get(reverse("tracklog_list"))
    with CaptureQueriesContext(connection) as captured:
        owner_client.get(reverse("tracklog_list"))
    assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]


def test_adding_editing_and_deleting_entries_changes_the_tracks(owner_client, racer):
    make_track_log(racer, track="Genk")
    assert _options(owner_client, "track") == ["Genk"]
    owner_client.post(reverse("tracklog_create"), {"timestamp": "2025-05-04 10:00", "track": "Mill"})
    assert _options(owner_client, "track") == ["Genk", "Mill"]
    log = make_track_log(racer, track="Zolder")
    assert _options(owner_client, "track") == ["Genk", "Mill", "Zolder"]
    log.track = "Spa"
    log.save()
    assert _options(owner_client, "track") == ["Genk", "Mill", "Spa"]
    owner_client.post(reverse("tracklog_delete", args=[log.pk]))
    assert _options(owner_client, "track") == ["Genk", "Mill"]


def test_adding_renaming_and_deleting_vehicles_changes_the_vehicle_filter(owner_client, racer):
    car = make_vehicle(racer, brand="Mugen", model="MBX8")
    assert _options(owner_client, "vehicle") == ["Mugen MBX8"]
    owner_client.post(reverse("vehicle_edit", args=[car.pk]), {"brand": "Mugen", "model": "MBX8R"})
    assert _options(owner_client, "vehicle") == ["Mugen MBX8R"]
    car.delete()
    assert _options(owner_client, "vehicle") == []


def test_a_closed_race_day_adds_its_track(owner_client, racer):
    from racing.tests.factories import make_race_day

    make_track_log(racer, track="Genk")
    assert _options(owner_client, "track") == ["Genk"]
    day = make_race_day(racer, track="Mill")
    owner_client.post(reverse("raceday_close", args=[day.pk]), {"note": "done"})
    assert _options(owner_client, "track") == ["Genk", "Mill"]


def test_another_racer_and_another_account_keep_their_own_lists(
    owner_client, client, user, other_user, racer
):
    make_track_log(racer, track="Genk")
    assert _options(owner_client, "track") == ["Genk"]
    # The account's second racer: its own list, and the first racer's is not retired by it.
    sam = profile_services.racer_create(owner=user, name="Sam")
    make_track_log(sam, track="Mill")
    owner_client.post(reverse("racer_switch", args=[sam.pk]))
    assert _options(owner_client, "track") == ["Mill"]
    owner_client.post(reverse("racer_switch", args=[racer.pk]))
    assert _options(owner_client, "track") == ["Genk"]
    client.force_login(other_user)
    assert _options(client, "track") == []
    make_track_log(racer_of(other_user), track="Spa")
    assert _options(client, "track") == ["Spa"]
    client.force_login(user)
    assert _options(client, "track") == ["Genk"]


def test_the_legacy_csv_import_retires_the_lists(
    owner_client, user, racer, django_capture_on_commit_callbacks
):
    """The import writes with bulk_create (no signals), under the account's lock, which retires them."""
    from racing.legacy_csv.importing import import_folder
    from racing.tests.test_legacy_csv_import import SAMPLES

    racer.name = "Alex Rivera"
    racer.save()
    make_track_log(racer, track="Genk")
    assert _options(owner_client, "track") == ["Genk"]
    assert _options(owner_client, "vehicle") == []
    with django_capture_on_commit_callbacks(execute=True):
        import_folder(SAMPLES / "clean", owner=user)
    tracks = _options(owner_client, "track")
    assert "Genk" in tracks and len(tracks) > 1
    assert "Tekno NB48 2.2" in _options(owner_client, "vehicle")
