"""Exporting one account as the four legacy CSV files (the format the import reads)."""

import io
import zipfile
from pathlib import Path

from django.utils import timezone

from apex import csv as apex_csv
from library.models import LibrarySetup
from profiles.models import RacerProfile, User
from racing.legacy_csv.format import (
    BASELINES,
    FILES,
    LIBRARY,
    RACERS,
    TIMESTAMP_FORMAT,
    TRACK_LOGS,
    car_label,
)
from racing.models import BaselineVersion, TrackLog, Vehicle
from racing.setup_params import PARAMS
from racing.setup_values import SetupValues


def _params_cells(obj: SetupValues) -> list[str]:
    return [p.format(getattr(obj, p.field)) for p in PARAMS]


def export_rows(owner: User) -> dict[str, list[list[str]]]:
    """The owner's data as the four legacy files (header row first)."""
    racers = list(
        RacerProfile.objects.owned_by(owner).order_by("created_at", "id").prefetch_related("sponsors")
    )
    vehicles = list(Vehicle.objects.owned_by(owner).order_by("racer_id", "id"))
    cars_of: dict[int, list[str]] = {}
    for v in vehicles:
        label = car_label(v.brand, v.model)
        if label not in cars_of.setdefault(v.racer_id, []):
            cars_of[v.racer_id].append(label)
    files: dict[str, list[list[str]]] = {name: [list(columns)] for name, columns in FILES.items()}
    for r in racers:
        files[RACERS].append(
            [
                r.name,
                r.email,
                r.facebook,
                r.instagram,
                r.transponder,
                "|".join(s.name for s in r.sponsors.all()),
                "|".join(cars_of.get(r.pk, [])),
                "yes" if r.is_default else "",
            ]
        )

    latest: dict[int, BaselineVersion] = {}
    baselines = BaselineVersion.objects.owned_by(owner).select_related("vehicle__racer")
    for version in baselines.order_by(
        "vehicle__racer__created_at", "vehicle__racer_id", "vehicle_id", "number"
    ):
        latest[version.vehicle_id] = version
    for version in latest.values():
        v = version.vehicle
        files[BASELINES].append([v.racer.name, car_label(v.brand, v.model), *_params_cells(version)])

    for s in LibrarySetup.objects.filter(added_by=owner).order_by("id"):
        files[LIBRARY].append(
            [
                s.track,
                s.brand,
                s.vehicle,
                s.condition,
                s.date.isoformat() if s.date else "",
                s.source,
                *_params_cells(s),
            ]
        )

    logs = TrackLog.objects.owned_by(owner).select_related("racer", "vehicle")
    for log in logs.order_by("timestamp", "id"):
        files[TRACK_LOGS].append(
            [
                timezone.localtime(log.timestamp).strftime(TIMESTAMP_FORMAT),
                log.racer.name,
                log.track,
                car_label(log.vehicle.brand, log.vehicle.model) if log.vehicle else "",
                log.event,
                log.note,
            ]
        )
    return files


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    apex_csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def export_folder(owner: User, folder: Path) -> dict[str, int]:
    """Write the four files into ``folder``; returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in export_rows(owner).items():
        (folder / name).write_text(_csv_text(rows), encoding="utf-8", newline="")
        counts[name] = len(rows) - 1
    return counts


def export_zip(owner: User) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in export_rows(owner).items():
            archive.writestr(name, _csv_text(rows))
    return buffer.getvalue()
