"""python manage.py import_results FILE --simulator SLUG --event NAME"""

import csv
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from sims import results_csv, services
from sims.forms import LapTimeField
from sims.models import Event, EventResult, SimProfile
from sims.tests.factories import make_profile, make_simulator

pytestmark = pytest.mark.django_db

HEADER = "identifier,name,position,laps,best_lap,points\n"


def write(tmp_path, text: str | bytes, name="results.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def run(path, event="Round 1", simulator="iracing"):
    return call_command("import_results", path, simulator=simulator, event=event)


def snapshot():
    return (
        list(SimProfile.objects.order_by("pk").values()),
        list(EventResult.objects.order_by("pk").values()),
        list(Event.objects.order_by("pk").values()),
    )


def test_import_creates_event_profiles_and_results(tmp_path, capsys):
    simulator = make_simulator()
    known = make_profile(simulator, identifier="1001", name="Known Kay")
    path = write(
        tmp_path,
        HEADER + "1001,Renamed Kay,2,20,1:23.456,18\n2002,New Ned,1,20,82.9,25\n3003,Slow Sam,3,19,,\n",
    )
    run(path)
    event = Event.objects.get(name="Round 1", simulator=simulator)
    results = {r.sim_profile.profile_identifier: r for r in event.results.select_related("sim_profile")}
    assert results["1001"].sim_profile == known
    assert results["1001"].best_lap_ms == 83_456 and results["1001"].points == Decimal("18")
    assert results["2002"].best_lap_ms == 82_900 and results["2002"].position == 1
    assert results["3003"].best_lap_ms is None and results["3003"].points == 0
    new = SimProfile.objects.get(profile_identifier="2002")
    assert new.is_public and new.linked_user is None and new.profile_name == "New Ned"
    known.refresh_from_db()
    assert known.profile_name == "Known Kay"  # the owner's name is kept
    assert "2 new driver profile(s)" in capsys.readouterr().out


def test_import_twice_changes_nothing(tmp_path, capsys):
    make_simulator()
    path = write(tmp_path, HEADER + "1,A,1,10,1:30.000,25\n2,B,2,10,1:31.000,18\n")
    run(path)
    before = snapshot()
    run(path)
    assert snapshot() == before
    assert "Nothing to change" in capsys.readouterr().out


def test_import_again_with_a_correction_updates_the_result(tmp_path):
    make_simulator()
    run(write(tmp_path, HEADER + "1,A,1,10,1:30.000,25\n"))
    run(write(tmp_path, HEADER + "1,A,1,10,1:29.500,25\n", "fixed.csv"))
    assert EventResult.objects.get().best_lap_ms == 89_500


def test_bad_rows_are_reported_with_line_and_reason_and_nothing_is_imported(tmp_path, capsys):
    make_simulator()
    path = write(
        tmp_path,
        HEADER
        + "1,Good,1,10,1:30.0,25\n2,Bad Pos,x,10,,\n3,,3,10,,\n4,Lap,4,10,1:75.0,\n1,Dup,5,10,,\n5 5,Space,6,1,,\n",
    )
    with pytest.raises(CommandError, match="4|5|6"):
        run(path)
    err = capsys.readouterr().err
    assert f"{path} line 3: position 'x': Enter a whole number." in err
    assert "line 4: name: Give the driver name shown on the simulator." in err
    assert "line 5: best_lap '1:75.0': A lap of 1:75.0 has 75 seconds." in err
    assert "line 6: identifier 1 is already on line 2" in err
    assert (
        "line 7: identifier '5 5': Use the simulator's ID for the driver, without spaces or slashes." in err
    )
    assert not Event.objects.exists() and not SimProfile.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        (b"\xff\xfe\xfa broken", "UTF-8"),
        (b"id,name,pos\n1,A,1\n", "header must be"),
        (HEADER.encode(), "no results"),
    ],
)
def test_unreadable_files_exit_non_zero_and_change_nothing(tmp_path, content, message):
    make_simulator()
    with pytest.raises(CommandError, match=message):
        run(write(tmp_path, content))
    assert not Event.objects.exists() and not SimProfile.objects.exists()


def test_missing_file_and_unknown_simulator_exit_non_zero(tmp_path):
    make_simulator()
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="No simulator"):
        run(write(tmp_path, HEADER + "1,A,1,1,,\n"), simulator="nope")


@pytest.mark.parametrize(
    ("raw", "ms"), [("1:23.456", 83_456), ("83.456", 83_456), ("83", 83_000), ("1:05.4", 65_400), ("", None)]
)
def test_lap_times_read_as_minutes_or_seconds(raw, ms):
    assert LapTimeField(required=False).clean(raw) == ms


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("1,A,99999999999,10,,", "position '99999999999': Ensure this value is less than or equal to"),
        ("1,A,0,10,,", "position '0': Ensure this value is greater than or equal to 1."),
        ("1,A,1,-1,,", "laps '-1': Ensure this value is greater than or equal to 0."),
        ("1,A,1,1,,1.234", "points '1.234': Ensure that there are no more than 2 decimal places."),
        ("1,A,1,1,,NaN", "points 'NaN': Enter a number."),
        ("1,A,1,1,99999999:00,", "best_lap '99999999:00': That lap is longer than Apex can store."),
        ("a/b,A,1,1,,", "identifier 'a/b': Use the simulator's ID"),
        (f"{'x' * 101},A,1,1,,", "identifier 'xxxx"),
    ],
)
def test_rows_are_checked_by_the_sites_own_fields(tmp_path, capsys, row, reason):
    make_simulator()
    path = write(tmp_path, HEADER + row + "\n")
    with pytest.raises(CommandError, match="1 bad row"):
        run(path)
    assert f"{path} line 2: {reason}" in capsys.readouterr().err
    assert not Event.objects.exists() and not SimProfile.objects.exists()


@pytest.mark.parametrize("raw", ["1:75.0", "fast", "0", "0:00.000", "1:2:3"])
def test_lap_times_that_are_not_laps_are_refused(raw):
    with pytest.raises(ValidationError):
        LapTimeField().clean(raw)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "1,A,3000000000,10,,",
            "position '3000000000': Ensure this value is less than or equal to 2147483647.",
        ),
        ("1,A,1,3000000000,,", "laps '3000000000': Ensure this value is less than or equal to 2147483647."),
        ("1,A,1,1,3000000,", "best_lap '3000000': That lap is longer than Apex can store."),
        ("1,A,1,1,,3000000000", "points '3000000000': Ensure that there are no more than 7 digits in total."),
    ],
)
def test_numbers_beyond_the_columns_range_are_rejected_rows_on_every_database(tmp_path, capsys, row, reason):
    """PostgreSQL raised DataError and SQLite stored 3,000,000,000; the row form refuses it first."""
    make_simulator()
    path = write(tmp_path, HEADER + "2,B,2,10,,\n" + row + "\n")
    with pytest.raises(CommandError, match="1 bad row"):
        run(path)
    assert f"{path} line 3: {reason}" in capsys.readouterr().err
    assert not Event.objects.exists() and not EventResult.objects.exists()


def test_a_field_over_the_csv_limit_is_refused_with_its_line(tmp_path):
    make_simulator()
    huge = "x" * (csv.field_size_limit() + 1)
    path = write(tmp_path, HEADER + "1,A,1,10,,\n" + f'2,"{huge}",2,10,,\n3,C,3,10,,\n')
    message = (
        f"{path}: line 3: a field is longer than {csv.field_size_limit():,} characters. Nothing was imported."
    )
    with pytest.raises(CommandError) as error:
        run(path)
    assert str(error.value) == message
    assert not Event.objects.exists() and not SimProfile.objects.exists()


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    make_simulator()
    path = tmp_path / "results.csv"
    row = "1,A,1,10,1:30.000,25\n"
    path.write_text(HEADER + row * (50 * 2**20 // len(row)), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"results\.csv: the file is 50\.0 MiB, over the 10 MiB limit; split it"
    ):
        run(str(path))
    assert not Event.objects.exists()


def test_formula_escapes_are_taken_off_names(tmp_path):
    make_simulator()
    run(write(tmp_path, HEADER + "1,'=HYPERLINK(1),1,10,,\n2,'til dusk,2,10,,\n3,''-Dash,3,10,,\n"))
    names = set(SimProfile.objects.values_list("profile_name", flat=True))
    assert names == {"=HYPERLINK(1)", "'til dusk", "'-Dash"}


def test_rows_are_written_a_batch_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(services, "RESULTS_BATCH_SIZE", 3)
    simulator = make_simulator()
    stored_when_read = []

    def rows():
        for n in range(1, 11):
            stored_when_read.append(EventResult.objects.count())
            yield services.ResultRow(n + 1, str(n), f"Driver {n}", n, 10, None, Decimal("1"))

    summary = services.results_import(simulator=simulator, event_name="Round 1", rows=rows())
    assert (summary.results_created, summary.profiles_created) == (10, 10)
    # Row 4 is read after rows 1-3 are stored: never more than a batch is held.
    assert stored_when_read == [0, 0, 0, 3, 3, 3, 6, 6, 6, 9]
    summary = services.results_import(simulator=simulator, event_name="Round 1", rows=rows())
    assert not summary.changed and summary.results_unchanged == 10


def test_a_long_file_imports_in_batches_and_again_changes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(services, "RESULTS_BATCH_SIZE", 4)
    make_simulator()
    path = write(
        tmp_path, HEADER + "".join(f"{n},Driver {n},{n},10,1:3{n % 10}.000,\n" for n in range(1, 11))
    )
    run(path)
    assert EventResult.objects.count() == 10 and SimProfile.objects.count() == 10
    run(path)
    assert "Nothing to change: Round 1 already has these 10 results." in capsys.readouterr().out


def test_a_file_that_changes_between_the_two_reads_imports_nothing(tmp_path, monkeypatch):
    make_simulator()
    path = write(tmp_path, HEADER + "1,A,1,10,,\n2,B,2,10,,\n")
    check_rows = results_csv.check_rows

    def check_then_change(file):
        checked = check_rows(file)
        write(tmp_path, HEADER + "1,A,1,10,,\n2,B,x,10,,\n")
        return checked

    monkeypatch.setattr(results_csv, "check_rows", check_then_change)
    with pytest.raises(CommandError, match=r"The file changed while it was imported \(line 3: position 'x'"):
        run(path)
    assert not Event.objects.exists() and not SimProfile.objects.exists()
