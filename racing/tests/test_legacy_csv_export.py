import csv
import io
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from apex.tests.fixtures import make_user
from library.models import LibrarySetup
from profiles.models import RacerProfile
from racing import legacy_csv
from racing.models import BaselineVersion, TrackLog
from racing.setup_params import values_of

SAMPLES = Path(__file__).parent / "legacy_csv_samples"
pytestmark = pytest.mark.django_db


def import_folder(folder: Path, owner) -> legacy_csv.ImportResult:
    return legacy_csv.import_folder(folder, owner)


def snapshot(owner) -> dict[str, list]:
    """Everything the legacy format carries, without ids, for comparing accounts."""
    racers = [
        (
            r.name,
            r.email,
            r.facebook,
            r.instagram,
            r.transponder,
            r.is_default,
            sorted(s.name for s in r.sponsors.all()),
            sorted((v.brand, v.model, v.nickname) for v in r.vehicles.all()),
        )
        for r in RacerProfile.objects.filter(owner=owner).prefetch_related("sponsors", "vehicles")
    ]
    baselines = [
        (b.vehicle.racer.name, b.vehicle.brand, b.vehicle.model, b.number, b.note, values_of(b))
        for b in BaselineVersion.objects.filter(vehicle__racer__owner=owner).select_related("vehicle__racer")
    ]
    library = [
        (s.track, s.brand, s.vehicle, s.condition, s.date, s.source, s.import_key, values_of(s))
        for s in LibrarySetup.objects.filter(added_by=owner)
    ]
    logs = [
        (
            log.racer.name,
            log.timestamp,
            log.track,
            str(log.vehicle) if log.vehicle else "",
            log.event,
            log.note,
            log.import_key,
        )
        for log in TrackLog.objects.filter(racer__owner=owner).select_related("racer", "vehicle")
    ]
    return {
        "racers": sorted(racers),
        "baselines": sorted(baselines, key=repr),
        "library": sorted(library, key=repr),
        "track_logs": sorted(logs, key=repr),
    }


@pytest.mark.parametrize("sample", ["clean", "dirty"])
def test_import_export_import_gives_the_same_data(sample, tmp_path, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    first, second = make_user(), make_user()
    import_folder(shutil.copytree(SAMPLES / sample, tmp_path / "in"), first)

    call_command("export_legacy_csv", str(tmp_path / "out"), "--owner", first.username)
    result = import_folder(tmp_path / "out", second)

    assert result.rejected == 0
    expected = snapshot(first)
    assert snapshot(second) == expected
    assert len(expected["library"]) == (40 if sample == "clean" else 43)
    assert len(expected["track_logs"]) == (30 if sample == "clean" else 28)


def test_export_writes_the_legacy_headers_and_formats(tmp_path, user):
    import_folder(shutil.copytree(SAMPLES / "clean", tmp_path / "in"), user)

    call_command("export_legacy_csv", str(tmp_path / "out"), "--owner", user.username)

    files = {}
    for name, columns in legacy_csv.FILES.items():
        with (tmp_path / "out" / name).open(encoding="utf-8", newline="") as handle:
            files[name] = list(csv.reader(handle))
        assert files[name][0] == columns
    assert len(files["racer_profiles.csv"]) == 4
    alex = files["racer_profiles.csv"][1]
    assert alex == [
        "Alex Rivera",
        "alex@example.com",
        "alexriverarc",
        "'@alexrivera_rc",  # "@" starts a formula in a spreadsheet: written as text
        "8845123",
        "JConcepts|Pro-Line|Tekno RC",
        "Tekno NB48 2.2|Tekno EB48 2.2",
        "yes",
    ]
    nb48 = dict(zip(legacy_csv.BASELINE_COLUMNS, files["car_configs.csv"][1], strict=True))
    # Decimals without trailing zeros, exactly as the import reads them.
    assert (nb48["Car"], nb48["SB_F"], nb48["RH_F"], nb48["C_R"], nb48["DF"]) == (
        "Tekno NB48 2.2",
        "2.3",
        "27",
        "-1",
        "7000",
    )
    # Plain numbers stay numbers, negative ones too.
    assert (nb48["C_F"], nb48["Toe_O"]) == ("-1.5", "1.5")
    eb48 = dict(zip(legacy_csv.BASELINE_COLUMNS, files["car_configs.csv"][2], strict=True))
    assert (eb48["Venturi"], eb48["Bell"]) == ("", "")
    first_log = files["track_logs.csv"][1]
    assert first_log[0] == min(row[0] for row in files["track_logs.csv"][1:])


def test_export_exports_the_current_baseline_version(tmp_path, user):
    import_folder(shutil.copytree(SAMPLES / "clean", tmp_path / "in"), user)
    v1 = BaselineVersion.objects.get(vehicle__model="MBX8R")
    BaselineVersion.objects.create(vehicle=v1.vehicle, number=2, **(values_of(v1) | {"df": 9000}))

    rows = legacy_csv.export_rows(user)["car_configs.csv"]

    (mugen,) = [row for row in rows if row[1] == "Mugen MBX8R"]
    assert mugen[2] == "9000"


def test_export_stores_timestamps_as_local_time(tmp_path, user, settings):
    settings.TIME_ZONE = "America/New_York"
    racer = RacerProfile.objects.create(owner=user, name="Solo", is_default=True)
    TrackLog.objects.create(racer=racer, track="OCRC", timestamp=datetime(2025, 7, 1, 16, 30, tzinfo=UTC))

    rows = legacy_csv.export_rows(user)["track_logs.csv"]

    assert rows[1] == ["2025-07-01 12:30", "Solo", "OCRC", "", "", ""]


def test_export_refuses_to_overwrite_without_force(tmp_path, user):
    call_command("export_legacy_csv", str(tmp_path), "--owner", user.username)
    with pytest.raises(CommandError, match="already has racer_profiles.csv"):
        call_command("export_legacy_csv", str(tmp_path), "--owner", user.username)
    call_command("export_legacy_csv", str(tmp_path), "--owner", user.username, "--force")


def test_export_of_unknown_owner_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="No user with username 'ghost'"):
        call_command("export_legacy_csv", str(tmp_path), "--owner", "ghost")
    assert not list(tmp_path.iterdir())


def _zip_files(response) -> dict[str, list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {
        name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8"), newline="")))
        for name in archive.namelist()
    }


def test_owner_downloads_a_zip_of_only_their_data(client, user, other_user, tmp_path):
    import_folder(shutil.copytree(SAMPLES / "clean", tmp_path / "in"), user)
    client.force_login(user)
    stranger = RacerProfile.objects.create(owner=other_user, name="Stranger", is_default=True)
    TrackLog.objects.create(racer=stranger, track="Secret Track", timestamp=timezone.now())
    LibrarySetup.objects.create(track="Secret Track", brand="X", vehicle="Y", added_by=other_user)

    response = client.get(reverse("legacy_csv_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    files = _zip_files(response)
    assert sorted(files) == sorted(legacy_csv.FILES)
    assert [row[0] for row in files["racer_profiles.csv"][1:]] == ["Alex Rivera", "Sam Rivera", "Jordan Lee"]
    assert len(files["master_library.csv"]) == 41
    assert len(files["track_logs.csv"]) == 31
    assert "Secret Track" not in str(files)


def test_other_user_downloads_only_their_own_data(other_client, user, tmp_path):
    import_folder(shutil.copytree(SAMPLES / "clean", tmp_path / "in"), user)

    files = _zip_files(other_client.get(reverse("legacy_csv_download")))

    # Only the first racer every account gets on login (named after the user); none of the owner's rows.
    assert [row[0] for row in files["racer_profiles.csv"]] == ["Name", "intruder"]
    assert all(len(files[name]) == 1 for name in ("car_configs.csv", "master_library.csv", "track_logs.csv"))


def test_anonymous_download_redirects_to_login(client):
    response = client.get(reverse("legacy_csv_download"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_download_is_get_only(owner_client):
    assert owner_client.post(reverse("legacy_csv_download")).status_code == 405


def test_racer_list_links_to_the_download(owner_client):
    response = owner_client.get(reverse("racer_list"))

    assert reverse("legacy_csv_download") in response.content.decode()
    assert "Download my data (CSV)" in response.content.decode()


FORMULAS = {
    "note": '=HYPERLINK("http://evil.example","click")',
    "event": "@SUM(A1:A9)",
    "track": "-2+3+cmd|' /C calc'!A0",
}


def test_formula_cells_are_exported_as_text_and_import_back_unchanged(tmp_path, user, settings):
    settings.TIME_ZONE = "UTC"
    import_folder(shutil.copytree(SAMPLES / "clean", tmp_path / "in"), user)
    logs = list(TrackLog.objects.filter(racer__owner=user).order_by("timestamp", "id")[:5])
    for log, (field, value) in zip(
        logs, [*FORMULAS.items(), ("note", "'til dusk"), ("note", "'=x")], strict=True
    ):
        setattr(log, field, value)
        log.save()
    LibrarySetup.objects.filter(added_by=user).update(source="+1+1")
    RacerProfile.objects.filter(owner=user, name="Sam Rivera").update(facebook="=1+1")

    call_command("export_legacy_csv", str(tmp_path / "out"), "--owner", user.username)

    text = "".join((tmp_path / "out" / name).read_text(encoding="utf-8") for name in legacy_csv.FILES)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    formulas = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert formulas and all(c.lstrip("-").replace(".", "", 1).isdigit() for c in formulas)
    for value in [*FORMULAS.values(), "+1+1", "=1+1"]:
        assert "'" + value in cells
    assert "'til dusk" in cells and "''=x" in cells
    zipped = zipfile.ZipFile(io.BytesIO(legacy_csv.export_zip(user)))
    assert zipped.read("track_logs.csv") == (tmp_path / "out" / "track_logs.csv").read_bytes()

    second = make_user()
    result = import_folder(tmp_path / "out", second)

    assert result.rejected == 0
    assert without_import_keys(snapshot(second)) == without_import_keys(snapshot(user))
    assert TrackLog.objects.filter(racer__owner=second, note="'=x").exists()
    assert TrackLog.objects.filter(racer__owner=second, track=FORMULAS["track"]).exists()


def without_import_keys(data: dict[str, list]) -> dict[str, list]:
    """The rows edited above kept the import key of their first values."""
    return {
        kind: sorted(
            ((*row[:6], *row[7:]) if kind in ("library", "track_logs") else row for row in rows), key=repr
        )
        for kind, rows in data.items()
    }
