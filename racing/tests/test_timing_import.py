"""Timing-system exports: Speedhive and LiveRC files, good and broken, page and command."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from profiles.models import RacerProfile
from racing import services
from racing.models import RaceDayLap, RaceDayRound
from racing.tests.factories import make_race_day, make_vehicle, racer_of
from racing.timing_import import LIVERC, SPEEDHIVE, TimingFileError, find_racer, read_competitors

SAMPLES = Path(__file__).parent / "timing_samples"
SPEEDHIVE_FILE = (SAMPLES / "speedhive_laps.csv").read_bytes()
LIVERC_FILE = (SAMPLES / "liverc_laps.csv").read_bytes()
D = Decimal


@pytest.fixture
def racer(user):
    racer = racer_of(user)
    RacerProfile.objects.filter(pk=racer.pk).update(name="Ana Silva")
    racer.refresh_from_db()
    return racer


@pytest.fixture
def race_day(racer):
    return make_race_day(racer, make_vehicle(racer, transponder=""))


def _laps():
    return list(RaceDayLap.objects.values_list("lap_no", "time"))


# --- reading the files ------------------------------------------------------


def test_speedhive_laps_by_competitor_without_the_start_crossing():
    competitors = read_competitors(SPEEDHIVE_FILE)
    assert [(c.name, c.transponder, len(c.laps)) for c in competitors] == [
        ("Ana Silva", "4471203", 4),
        ("Jonas Peeters", "9012345", 2),
    ]
    assert competitors[0].laps[3] == (4, D("65.120"))


def test_liverc_position_slash_time_cells_and_short_columns():
    competitors = read_competitors(LIVERC_FILE)
    assert [(c.name, len(c.laps)) for c in competitors] == [
        ("Ana Silva", 4),
        ("Jonas Peeters", 4),
        ("Tom Maes", 3),
    ]
    assert competitors[0].laps[0] == (1, D("33.102"))


def test_semicolon_separated_speedhive_file():
    data = b"Name;Lap Number;Lap Time\nAna Silva;1;33.1\nAna Silva;2;32.9\n"
    assert read_competitors(data)[0].laps == [(1, D("33.1")), (2, D("32.9"))]


def test_format_can_be_named():
    assert read_competitors(LIVERC_FILE, LIVERC)[0].name == "Ana Silva"
    assert read_competitors(SPEEDHIVE_FILE, SPEEDHIVE)[1].name == "Jonas Peeters"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"Driver,Best\nAna,32.1\n", "line 1: This is neither"),
        (b"Lap Number,Lap Time\n1,32.1\n", "line 1: No Name column"),
        (
            b"Name,Lap Number,Lap Time\nAna Silva,1,32.1\nAna Silva,2,abc\n",
            "line 3: \u201cabc\u201d is not a lap time",
        ),
        (b"Name,Lap Number,Lap Time\nAna Silva,x,32.1\n", "line 2: \u201cx\u201d is not a lap number"),
        (
            b"Name,Lap Number,Lap Time\nAna Silva,1,32.1\nAna Silva,1,32.4\n",
            "line 3: Lap 1 of Ana Silva is in the file twice",
        ),
        (b"Lap,Ana Silva\n1,2/32.1\n2,1/-4\n", "line 3: \u201c-4\u201d is not a lap time"),
        (b"Lap,Ana Silva\nbest,32.1\n", "line 2: \u201cbest\u201d is not a lap number"),
    ],
)
def test_broken_files_name_line_and_reason(data, expected):
    with pytest.raises(TimingFileError) as error:
        read_competitors(data)
    assert expected in str(error.value)


def test_every_bad_line_is_listed():
    data = b"Name,Lap Number,Lap Time\nAna Silva,1,abc\nAna Silva,2,1:75.0\n"
    with pytest.raises(TimingFileError) as error:
        read_competitors(data)
    assert [line for line, _reason in error.value.problems] == [2, 3]


def test_transponder_beats_name():
    competitors = read_competitors(SPEEDHIVE_FILE)
    match = find_racer(competitors, transponders=["9012345"], name="Ana Silva")
    assert (match.competitor.name, match.by) == ("Jonas Peeters", "transponder")


def test_name_matches_ignoring_case_and_spaces():
    match = find_racer(read_competitors(LIVERC_FILE), transponders=[""], name="  ana   SILVA ")
    assert match.by == "name" and match.laps[:2] == [D("33.102"), D("32.231")]


def test_nobody_matching_says_so():
    with pytest.raises(
        TimingFileError, match="Nobody in the file matches transponder 1 or name Zoe"
    ) as error:
        find_racer(read_competitors(SPEEDHIVE_FILE), transponders=["1"], name="Zoe")
    assert "Ana Silva, Jonas Peeters" in str(error.value)


def test_two_drivers_with_the_racers_name_are_not_guessed():
    data = b"Lap,Ana Silva,Ana Silva\n1,32.1,33.1\n"
    with pytest.raises(TimingFileError, match="2 drivers in the file are called Ana Silva"):
        find_racer(read_competitors(data), transponders=[], name="Ana Silva")


# --- the service: all or nothing -----------------------------------------------


def test_import_matches_the_vehicles_transponder(racer):
    vehicle = make_vehicle(racer, transponder="9012345")
    day = make_race_day(racer, vehicle)
    round_, match = services.race_day_laps_import(
        race_day=day, data=SPEEDHIVE_FILE, kind="main", source="heat.csv"
    )
    assert match.by == "transponder" and round_.kind == "main"
    assert _laps() == [(1, D("34.010")), (2, D("32.810"))]
    assert "heat.csv: Jonas Peeters, matched by transponder" in round_.note


def test_import_matches_the_racers_transponder(racer, race_day):
    RacerProfile.objects.filter(pk=racer.pk).update(name="Someone else", transponder="4471203")
    race_day.racer.refresh_from_db()
    services.race_day_laps_import(race_day=race_day, data=SPEEDHIVE_FILE, kind="main")
    assert [t for _n, t in _laps()] == [D("33.102"), D("32.231"), D("32.904"), D("65.120")]


def test_a_file_that_matches_nobody_stores_nothing(race_day):
    race_day.racer.name = "Zoe"
    with pytest.raises(TimingFileError):
        services.race_day_laps_import(race_day=race_day, data=LIVERC_FILE, kind="main")
    assert not RaceDayRound.objects.exists()


# --- the page ------------------------------------------------------------------


def _upload(client, race_day, data, name="laps.csv", **fields):
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "kind": "qualifier", **fields}
    return client.post(reverse("raceday_laps_import", args=[race_day.pk]), payload)


def test_page_imports_a_liverc_file(owner_client, race_day):
    response = _upload(owner_client, race_day, LIVERC_FILE)
    assert response.status_code == 302 and response["Location"] == race_day.get_absolute_url()
    assert len(_laps()) == 4
    page = owner_client.get(race_day.get_absolute_url()).content.decode()
    assert "Qualifier: 4 laps of Ana Silva imported (matched by name)." in page


def test_page_lists_the_problems_and_imports_nothing(owner_client, race_day):
    response = _upload(owner_client, race_day, b"Lap,Ana Silva\n1,32.1\n2,zz\n")
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported" in page and "Line 3: \u201czz\u201d is not a lap time" in page
    assert not RaceDayRound.objects.exists()


def test_page_refuses_a_file_over_2_mb(owner_client, race_day):
    response = _upload(owner_client, race_day, b"Lap,Ana Silva\n" + b"1,32.1\n" * 400_000)
    assert response.status_code == 422 and "over 2 MB" in response.content.decode()


def test_page_shows_the_form(owner_client, race_day):
    response = owner_client.get(reverse("raceday_laps_import", args=[race_day.pk]))
    assert response.status_code == 200 and "MyLaps Speedhive" in response.content.decode()


def test_other_user_gets_404(other_client, race_day):
    assert other_client.get(reverse("raceday_laps_import", args=[race_day.pk])).status_code == 404
    assert _upload(other_client, race_day, LIVERC_FILE).status_code == 404
    assert not RaceDayRound.objects.exists()


def test_anonymous_is_sent_to_log_in(client, race_day):
    response = _upload(client, race_day, LIVERC_FILE)
    assert response.status_code == 302 and "login" in response["Location"]
    assert not RaceDayRound.objects.exists()


def test_a_closed_race_day_takes_no_laps(owner_client, race_day):
    services.race_day_close(race_day=race_day)
    response = _upload(owner_client, race_day, LIVERC_FILE)
    assert response.status_code == 302 and not RaceDayRound.objects.exists()


# --- the command -------------------------------------------------------------


def test_command_imports(race_day, capsys):
    call_command(
        "import_laps", str(SAMPLES / "liverc_laps.csv"), "--race-day", str(race_day.pk), "--kind", "main"
    )
    assert "Main added" in capsys.readouterr().out and len(_laps()) == 4


def test_command_reports_file_and_line(race_day, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"Name,Lap Number,Lap Time\nAna Silva,1,32.1\nAna Silva,2,0\n")
    with pytest.raises(CommandError, match="Nothing imported") as error:
        call_command("import_laps", str(bad), "--race-day", str(race_day.pk))
    assert error.value.returncode == 1
    assert f"{bad}:3: \u201c0\u201d is not a lap time" in capsys.readouterr().err
    assert not RaceDayRound.objects.exists()


def test_command_reports_an_over_long_field_with_its_line(race_day, tmp_path, capsys):
    bad = tmp_path / "long.csv"
    bad.write_bytes(b"Lap,Ana Silva\n1,32.1\n2," + b"9" * (csv.field_size_limit() + 1) + b"\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_laps", str(bad), "--race-day", str(race_day.pk))
    assert (
        f"{bad}:3: A field is longer than {csv.field_size_limit():,} characters." in capsys.readouterr().err
    )
    assert not RaceDayRound.objects.exists()


def test_command_unknown_race_day_and_missing_file(race_day, tmp_path):
    with pytest.raises(CommandError, match="No race day with id 0"):
        call_command("import_laps", str(SAMPLES / "liverc_laps.csv"), "--race-day", "0")
    with pytest.raises(CommandError, match="cannot read it"):
        call_command("import_laps", str(tmp_path / "none.csv"), "--race-day", str(race_day.pk))


def test_a_file_under_the_forms_limit_is_not_stopped_by_the_body_limit(owner_client, race_day, settings):
    # Bodies over REQUEST_MAX_BYTES are refused before they are read, except on upload pages.
    assert settings.REQUEST_MAX_BYTES < 1_500_000
    # 1.4 MB, mostly one over-long field: the form reads it and refuses that line (no 500), not the body.
    response = _upload(owner_client, race_day, b"Lap,Ana Silva\n1,32.1\n2," + b"9" * 1_400_000 + b"\n")
    assert response.status_code == 422
    page = response.content.decode()
    assert "over 2 MB" not in page
    assert f"Line 3: A field is longer than {csv.field_size_limit():,} characters." in page
