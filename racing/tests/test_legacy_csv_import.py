import csv
import shutil
import tracemalloc
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from apex import csv as apex_csv
from apex.tests.fixtures import make_user
from library.models import LibrarySetup
from profiles.models import RacerProfile, Sponsor
from profiles.tests.factories import make_racer
from racing import legacy_csv
from racing.legacy_csv import importing
from racing.models import BaselineVersion, TrackLog, Vehicle
from racing.setup_params import BY_CODE, PARAMS

SAMPLES = Path(__file__).parent / "legacy_csv_samples"
pytestmark = pytest.mark.django_db


@pytest.fixture
def clean(tmp_path) -> Path:
    return Path(shutil.copytree(SAMPLES / "clean", tmp_path / "clean"))


@pytest.fixture
def dirty(tmp_path) -> Path:
    return Path(shutil.copytree(SAMPLES / "dirty", tmp_path / "dirty"))


def run_import(folder: Path, owner, *args, report_dir: Path | None = None) -> int:
    report_dir = report_dir or folder.parent / "report"
    try:
        call_command(
            "import_legacy_csv",
            str(folder),
            "--owner",
            owner.username,
            "--report-dir",
            str(report_dir),
            *args,
        )
    except CommandError as exc:
        return exc.returncode
    return 0


def counts(owner) -> dict[str, int]:
    return {
        "racers": RacerProfile.objects.filter(owner=owner).count(),
        "sponsors": Sponsor.objects.filter(racer__owner=owner).count(),
        "vehicles": Vehicle.objects.filter(racer__owner=owner).count(),
        "baselines": BaselineVersion.objects.filter(vehicle__racer__owner=owner).count(),
        "library": LibrarySetup.objects.filter(added_by=owner).count(),
        "track_logs": TrackLog.objects.filter(racer__owner=owner).count(),
    }


def summary(report_dir: Path) -> dict[str, list[int]]:
    with (report_dir / "summary.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["File", "Read", "Imported", "Already present", "Rejected"]
    return {row[0]: [int(n) for n in row[1:]] for row in rows[1:]}


def rejects(report_dir: Path, name: str) -> list[tuple[int, str]]:
    with (report_dir / f"rejects-{name}").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(int(row["Line"]), row["Reason"]) for row in rows]


CLEAN_COUNTS = {"racers": 3, "sponsors": 4, "vehicles": 5, "baselines": 5, "library": 40, "track_logs": 30}


def test_clean_folder_imports_everything_with_no_rejects(clean, user, tmp_path, capsys):
    assert run_import(clean, user) == 0

    assert counts(user) == CLEAN_COUNTS
    assert summary(tmp_path / "report") == {
        "racer_profiles.csv": [3, 3, 0, 0],
        "car_configs.csv": [5, 5, 0, 0],
        "master_library.csv": [40, 40, 0, 0],
        "track_logs.csv": [30, 30, 0, 0],
    }
    out = capsys.readouterr().out
    assert "master_library.csv" in out and "Already present" in out
    alex = RacerProfile.objects.get(owner=user, name="Alex Rivera")
    assert alex.is_default
    assert sorted(alex.sponsors.values_list("name", flat=True)) == ["JConcepts", "Pro-Line", "Tekno RC"]
    assert set(alex.vehicles.values_list("brand", "model")) == {("Tekno", "NB48 2.2"), ("Tekno", "EB48 2.2")}
    nb48 = BaselineVersion.objects.get(vehicle__racer=alex, vehicle__model="NB48 2.2")
    assert (nb48.number, nb48.df, nb48.sb_f, nb48.clutch) == (
        1,
        7000,
        Decimal("2.3"),
        "Alu shoes, 1.1 springs",
    )
    eb48 = BaselineVersion.objects.get(vehicle__racer=alex, vehicle__model="EB48 2.2")
    assert (eb48.venturi, eb48.pipe, eb48.bell) == (None, "", None)


def test_second_import_adds_nothing_and_counts_rows_as_already_present(clean, user, tmp_path):
    run_import(clean, user)
    before = counts(user)

    assert run_import(clean, user, report_dir=tmp_path / "again") == 0

    assert counts(user) == before
    assert summary(tmp_path / "again") == {
        "racer_profiles.csv": [3, 0, 3, 0],
        "car_configs.csv": [5, 0, 5, 0],
        "master_library.csv": [40, 0, 40, 0],
        "track_logs.csv": [30, 0, 30, 0],
    }


def test_dirty_folder_rejects_exactly_the_planted_defects(dirty, user, tmp_path, capsys):
    assert run_import(dirty, user) == 1

    report = tmp_path / "report"
    assert summary(report) == {
        "racer_profiles.csv": [3, 3, 0, 0],
        "car_configs.csv": [7, 5, 0, 2],
        "master_library.csv": [48, 43, 1, 4],
        "track_logs.csv": [30, 28, 0, 2],
    }
    assert rejects(report, "car_configs.csv") == [
        (7, "conflicts with line 2"),
        (8, "SO_F '-450': Front shock oil must be 50 – 5,000 cSt."),
    ]
    assert rejects(report, "master_library.csv") == [
        (7, "DF 'thick': Front diff oil must be a whole number."),
        (12, "C_F '-30': Front camber must be -6 – 3 °."),
        (17, "Track: This field is required."),
        (32, "Date '03/04/2025' is ambiguous (day or month first?); use YYYY-MM-DD"),
    ]
    assert rejects(report, "track_logs.csv") == [
        (9, "unknown racer 'Nobody Known'"),
        (11, "Timestamp 'yesterday' is not YYYY-MM-DD HH:MM"),
    ]
    assert rejects(report, "racer_profiles.csv") == []
    out = capsys.readouterr().out
    assert "car_configs.csv:7: conflicts with line 2" in out
    assert "track_logs.csv:11: Timestamp 'yesterday'" in out


def test_dirty_rejects_file_keeps_the_original_columns(dirty, user, tmp_path):
    run_import(dirty, user)

    with (tmp_path / "report" / "rejects-car_configs.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Line", "Reason", *legacy_csv.BASELINE_COLUMNS]
    assert rows[1][:5] == ["7", "conflicts with line 2", "Alex Rivera", "Tekno NB48 2.2", "5000"]
    assert len(rows[1]) == 2 + len(legacy_csv.BASELINE_COLUMNS)


def test_dirty_conflicting_baseline_keeps_the_first(dirty, user):
    run_import(dirty, user)

    nb48 = BaselineVersion.objects.get(vehicle__racer__owner=user, vehicle__model="NB48 2.2")
    assert (nb48.number, nb48.df) == (1, 7000)
    eb48 = BaselineVersion.objects.get(vehicle__racer__owner=user, vehicle__model="EB48 2.2")
    assert eb48.so_f == 500


def test_dirty_library_accepts_tricky_but_valid_rows(dirty, user):
    run_import(dirty, user)

    library = LibrarySetup.objects.filter(added_by=user)
    assert library.filter(date=date(2025, 12, 31)).count() == 1
    assert not library.filter(track="").exists()
    padded = library.get(track="Thunder Alley", brand="Tekno", vehicle="RC8B4")
    assert padded.condition == "Blue Groove"
    assert library.get(source="Müller's notes — «Pro»").track == "Silver Dollar"
    duplicate = library.filter(track="Dirt Rock Raceway", vehicle="NB48 2.2", date=date(2025, 8, 19))
    assert duplicate.count() == 1


def test_dirty_track_logs_keep_notes_verbatim(dirty, user):
    run_import(dirty, user)

    logs = TrackLog.objects.filter(racer__owner=user)
    assert logs.get(timestamp__date=date(2025, 9, 14)).note == 'Line one, with comma\nLine two "quoted"'
    long_note = logs.get(track="Roeser's Raceway", timestamp__date=date(2025, 6, 17)).note
    assert len(long_note) == 20_000
    assert logs.filter(note="<script>alert('xss')</script>").count() == 1
    assert not logs.filter(racer__name="Nobody Known").exists()


def test_track_log_timestamps_are_local_time_of_the_track(clean, user, settings):
    settings.TIME_ZONE = "America/New_York"
    run_import(clean, user)

    log = TrackLog.objects.get(racer__name="Jordan Lee", track="Dirt Rock Raceway", event="Practice")
    assert log.timestamp == datetime(2025, 10, 8, 15, 45, tzinfo=ZoneInfo("America/New_York"))


def test_failure_part_way_through_the_run_leaves_the_account_as_it_was(clean, user, monkeypatch):
    monkeypatch.setattr(importing, "BATCH_SIZE", 10)
    real_row = importing._library_row
    calls, written_before_failure = [], []

    def failing_row(data, owner):
        calls.append(1)
        if len(calls) == 25:
            written_before_failure.append(LibrarySetup.objects.count())
            raise RuntimeError("disk on fire")
        return real_row(data, owner)

    monkeypatch.setattr(importing, "_library_row", failing_row)

    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(clean, user)

    assert written_before_failure == [20]  # two batches were in the database
    # Racers and baselines were written before the library failed: one run, one transaction.
    assert counts(user) == dict.fromkeys(CLEAN_COUNTS, 0)


def test_dry_run_reports_but_writes_nothing(dirty, user, tmp_path):
    assert run_import(dirty, user, "--dry-run") == 1

    assert counts(user) == dict.fromkeys(CLEAN_COUNTS, 0)
    assert summary(tmp_path / "report")["master_library.csv"] == [48, 43, 1, 4]
    assert rejects(tmp_path / "report", "car_configs.csv")[0] == (7, "conflicts with line 2")


def test_report_goes_to_a_timestamped_folder_by_default(clean, user):
    call_command("import_legacy_csv", str(clean), "--owner", user.username)

    (report,) = clean.glob("import-report-*")
    assert summary(report)["track_logs.csv"] == [30, 30, 0, 0]


def _expect_refusal(folder, owner_name: str, message: str) -> None:
    with pytest.raises(CommandError, match=message) as excinfo:
        call_command("import_legacy_csv", str(folder), "--owner", owner_name)
    assert excinfo.value.returncode != 0
    assert RacerProfile.objects.count() == 0
    assert LibrarySetup.objects.count() == 0


def test_unknown_owner_is_refused(clean, db):
    _expect_refusal(clean, "nobody", "No user with username 'nobody'")


def test_missing_folder_is_refused(tmp_path, user):
    _expect_refusal(tmp_path / "nowhere", user.username, "no such folder")


def test_missing_file_is_refused(clean, user):
    (clean / "track_logs.csv").unlink()
    _expect_refusal(clean, user.username, "missing track_logs.csv")


def test_wrong_header_is_refused_before_anything_is_written(clean, user):
    path = clean / "track_logs.csv"
    path.write_text(path.read_text().replace("Timestamp,", "When,", 1))
    _expect_refusal(
        clean, user.username, r"track_logs.csv: wrong header \(missing Timestamp; unexpected When\)"
    )


def test_binary_file_is_refused(clean, user):
    (clean / "master_library.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _expect_refusal(clean, user.username, "master_library.csv: binary content")


def test_non_utf8_file_is_refused(clean, user):
    (clean / "racer_profiles.csv").write_bytes("Name,Email\nMüller".encode("latin-1"))
    _expect_refusal(clean, user.username, "racer_profiles.csv: not UTF-8")


def test_empty_file_is_refused(clean, user):
    (clean / "car_configs.csv").write_text("\n\n")
    _expect_refusal(clean, user.username, "car_configs.csv: empty file")


def test_row_with_wrong_field_count_is_rejected_with_its_line(clean, user, tmp_path):
    with (clean / "track_logs.csv").open("a") as handle:
        handle.write("2025-01-01 10:00,Alex Rivera,OCRC\n")

    assert run_import(clean, user) == 1
    assert rejects(tmp_path / "report", "track_logs.csv") == [(32, "expected 6 fields, found 3")]


def test_existing_default_racer_is_never_taken_away(clean, user, capsys):
    mine = make_racer(user, "Mine", is_default=True)

    run_import(clean, user)

    assert list(RacerProfile.objects.filter(owner=user, is_default=True)) == [mine]
    assert "Alex Rivera is marked Default, but Mine stays the default racer" in capsys.readouterr().out


def test_without_a_default_row_the_backfill_rule_picks_the_oldest(clean, user):
    path = clean / "racer_profiles.csv"
    path.write_text(path.read_text().replace(",yes\n", ",\n"))

    run_import(clean, user)

    assert RacerProfile.objects.get(owner=user, is_default=True).name == "Alex Rivera"


def test_a_second_default_row_is_rejected(clean, user, tmp_path):
    path = clean / "racer_profiles.csv"
    path.write_text(path.read_text().replace("Mugen MBX8R|XRAY XB8 2024,", "Mugen MBX8R|XRAY XB8 2024,yes"))

    assert run_import(clean, user) == 1

    assert rejects(tmp_path / "report", "racer_profiles.csv") == [
        (4, "Default is already yes on line 2; only one racer can be")
    ]
    assert RacerProfile.objects.get(owner=user, is_default=True).name == "Alex Rivera"


def test_existing_racer_gains_missing_sponsors_and_vehicles_only(clean, user, tmp_path):
    sam = make_racer(user, "Sam Rivera", email="sam@old.example", is_default=True)
    sam.sponsors.create(name="Pro-Line")

    run_import(clean, user)

    sam.refresh_from_db()
    assert sam.email == "sam@old.example"
    assert list(sam.sponsors.values_list("name", flat=True)) == ["Pro-Line"]
    assert list(sam.vehicles.values_list("brand", "model")) == [("Associated", "RC8B4")]
    assert RacerProfile.objects.filter(owner=user, name="Sam Rivera").count() == 1
    assert summary(tmp_path / "report")["racer_profiles.csv"] == [3, 3, 0, 0]


def test_import_touches_only_the_owners_account(clean, user, other_user):
    run_import(clean, other_user)

    run_import(clean, user)

    assert counts(user) == CLEAN_COUNTS
    assert counts(other_user) == CLEAN_COUNTS


def test_baseline_differing_from_the_current_one_is_a_conflict(clean, user, tmp_path):
    run_import(clean, user)
    path = clean / "car_configs.csv"
    path.write_text(path.read_text().replace("Mugen MBX8R,7000,", "Mugen MBX8R,9000,"))

    assert run_import(clean, user, report_dir=tmp_path / "again") == 1

    assert rejects(tmp_path / "again", "car_configs.csv") == [
        (5, "conflicts with the current baseline (v1) of Mugen MBX8R")
    ]
    assert BaselineVersion.objects.get(vehicle__model="MBX8R", vehicle__racer__owner=user).df == 7000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-09", date(2025, 3, 9)),
        ("31/12/2025", date(2025, 12, 31)),
        ("13.01.2025", date(2025, 1, 13)),
        ("", None),
    ],
)
def test_parse_date_accepts_iso_and_unambiguous_day_first(text, expected):
    assert legacy_csv.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/04/2025", "ambiguous"),
        ("31/02/2025", "not a valid date"),
        ("12/31/2025", "ambiguous"),
        ("2025-13-01", "not a valid date"),
        ("March 3", "not a date"),
    ],
)
def test_parse_date_rejects_ambiguous_and_invalid(text, reason):
    with pytest.raises(legacy_csv.Reject, match=reason):
        legacy_csv.parse_date(text)


@pytest.mark.parametrize(
    ("code", "text", "reason"),
    [
        ("DF", "7000.5", "DF '7000.5': Front diff oil must be a whole number."),
        ("DF", "99", "DF '99': Front diff oil must be 100 – 1,000,000 cSt."),
        ("SB_F", "2.345", "SB_F '2.345': Ensure that there are no more than 2 decimal places."),
        ("SB_F", "NaN", "SB_F 'NaN': Front sway bar must be a number."),
        ("SP_F", "x" * 41, r"SP_F: Ensure this value has at most 40 characters \(it has 41\)."),
    ],
)
def test_parse_param_rejects_bad_values(code, text, reason):
    with pytest.raises(legacy_csv.Reject, match=reason):
        legacy_csv.parse_param(BY_CODE[code], text)


def test_unknown_car_of_a_known_racer_is_rejected(clean, user, tmp_path):
    with (clean / "track_logs.csv").open("a") as handle:
        handle.write("2025-01-01 10:00,Sam Rivera,OCRC,Kyosho MP10,Practice,\n")

    assert run_import(clean, user) == 1

    assert rejects(tmp_path / "report", "track_logs.csv") == [
        (32, "Sam Rivera has no vehicle 'Kyosho MP10' in racer_profiles.csv")
    ]


def test_a_new_owner_gets_the_same_rows_as_another(clean, tmp_path):
    first, second = make_user(), make_user()
    run_import(clean, first)
    run_import(clean, second, report_dir=tmp_path / "second")
    assert counts(first) == counts(second) == CLEAN_COUNTS


def test_unwritable_report_folder_stops_before_importing(clean, user, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")

    with pytest.raises(CommandError, match="cannot write the report"):
        call_command(
            "import_legacy_csv", str(clean), "--owner", user.username, "--report-dir", str(blocker / "report")
        )
    assert RacerProfile.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "field", "text"),
    [
        ("Track", "track", "x" * 121),
        ("Brand", "brand", ""),
        ("Bell", "bell", "40"),
        ("Venturi", "venturi", "4.567"),
    ],
)
def test_a_library_row_is_refused_for_what_the_library_form_refuses_in_its_words(user, column, field, text):
    from library.forms import LibrarySetupForm

    form_data = {
        "track": "Genk",
        "brand": "Mugen",
        "vehicle": "MBX8R",
        "condition": "",
        "date": "",
        "source": "",
    }
    form = LibrarySetupForm({**form_data, **{p.field: "" for p in PARAMS}, field: text})
    assert not form.is_valid()
    row = {name.title(): value for name, value in form_data.items()} | {p.code: "" for p in PARAMS}
    with pytest.raises(legacy_csv.Reject) as refused:
        importing._library_row({**row, column: text}, user)
    assert str(refused.value).startswith(column) and str(form.errors[field][0]) in str(refused.value)


def test_a_field_over_the_csv_limit_stops_the_run_with_file_and_line(clean, user):
    with (clean / "track_logs.csv").open("a") as handle:
        handle.write(f'2025-01-01 10:00,Alex Rivera,OCRC,,Practice,"{"x" * (csv.field_size_limit() + 1)}"\n')
    _expect_refusal(
        clean,
        user.username,
        rf"Nothing imported: track_logs.csv: line 32: a field is longer than {csv.field_size_limit():,} characters",
    )


def test_a_50_mb_file_is_refused_before_anything_is_read(clean, user):
    row = "Dirt Rock Raceway,XRAY,XB8 2024,Loose,2025-03-09," + "x" * 950 + 24 * "," + "\n"
    with (clean / "master_library.csv").open("a") as handle:
        handle.write(row * (50 * 2**20 // len(row)))
    _expect_refusal(clean, user.username, r"master_library.csv: the file is 50\.0 MiB, over the 20 MiB limit")


def test_rows_are_read_a_chunk_at_a_time(tmp_path):
    path = tmp_path / "track_logs.csv"
    note = "y" * 2000
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(legacy_csv.TRACK_LOG_COLUMNS) + "\n")
        handle.write(f"2025-01-01 10:00,Alex Rivera,OCRC,,Practice,{note}\n" * 4000)  # 8 MB
    tracemalloc.start()
    try:
        read = sum(1 for _ in importing.read_rows(path, legacy_csv.TRACK_LOG_COLUMNS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert read == 4000
    assert peak < 3 * 2**20, f"{peak:,} bytes held to read an 8 MB file"


def test_rejects_report_keeps_formula_cells_as_they_were_in_the_file(clean, user, tmp_path):
    with (clean / "track_logs.csv").open("a") as handle:
        handle.write('2025-01-01 10:00,Nobody,\'=1+1,,Practice,=HYPERLINK("x")\n')

    assert run_import(clean, user) == 1

    raw = (tmp_path / "report" / "rejects-track_logs.csv").read_text(encoding="utf-8")
    row = list(csv.reader(raw.splitlines()))[1]
    assert row[:2] == ["32", "unknown racer 'Nobody'"]
    assert row[4:] == ["'=1+1", "", "Practice", '\'=HYPERLINK("x")']


def test_an_unreadable_file_is_refused_with_its_name(clean, user, monkeypatch):
    def denied(path, limit):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(apex_csv, "check_text", denied)
    _expect_refusal(
        clean, user.username, r"Nothing imported: racer_profiles.csv: cannot read it \(Permission denied\)"
    )


def test_numbers_quoted_by_a_spreadsheet_tool_import_as_numbers(clean, user):
    path = clean / "car_configs.csv"
    lines = path.read_text().splitlines(keepends=True)
    assert ",-1.5,-1," in lines[1]
    lines[1] = lines[1].replace(",-1.5,-1,", ",'-1.5,'-1,")
    path.write_text("".join(lines))

    assert run_import(clean, user) == 0

    nb48 = BaselineVersion.objects.get(vehicle__racer__owner=user, vehicle__model="NB48 2.2")
    assert (nb48.c_f, nb48.c_r) == (Decimal("-1.5"), Decimal("-1"))
