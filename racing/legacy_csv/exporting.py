"""Exporting one account as the four legacy CSV files (the format the import reads)."""

import io
import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from django.db.models import Prefetch
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

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def _params_cells(obj: SetupValues) -> list[str]:
    return [p.format(getattr(obj, p.field)) for p in PARAMS]


# Rows read from the database at a time: memory stays the same for any
# number of rows (each chunk's objects are dropped before the next is read).
CHUNK_SIZE = 2000


def _racer_rows(owner: User) -> Iterator[list[str]]:
    racers = (
        RacerProfile.objects.owned_by(owner)
        .order_by("created_at", "id")
        .prefetch_related("sponsors", Prefetch("vehicles", queryset=Vehicle.objects.order_by("id")))
    )
    for r in racers.iterator(chunk_size=CHUNK_SIZE):
        cars = dict.fromkeys(car_label(v.brand, v.model) for v in r.vehicles.all())
        yield [
            r.name,
            r.email,
            r.facebook,
            r.instagram,
            r.transponder,
            "|".join(s.name for s in r.sponsors.all()),
            "|".join(cars),
            "yes" if r.is_default else "",
        ]


def _baseline_rows(owner: User) -> Iterator[list[str]]:
    """The current (highest-numbered) version of each vehicle's baseline."""
    versions = (
        BaselineVersion.objects.owned_by(owner)
        .select_related("vehicle__racer")
        .order_by("vehicle__racer__created_at", "vehicle__racer_id", "vehicle_id", "number")
    )
    current: BaselineVersion | None = None
    for version in versions.iterator(chunk_size=CHUNK_SIZE):
        if current is not None and version.vehicle_id != current.vehicle_id:
            yield _baseline_row(current)
        current = version
    if current is not None:
        yield _baseline_row(current)


def _baseline_row(version: BaselineVersion) -> list[str]:
    v = version.vehicle
    return [v.racer.name, car_label(v.brand, v.model), *_params_cells(version)]


def _library_rows(owner: User) -> Iterator[list[str]]:
    for s in LibrarySetup.objects.filter(added_by=owner).order_by("id").iterator(chunk_size=CHUNK_SIZE):
        yield [
            s.track,
            s.brand,
            s.vehicle,
            s.condition,
            s.date.isoformat() if s.date else "",
            s.source,
            *_params_cells(s),
        ]


def _track_log_rows(owner: User) -> Iterator[list[str]]:
    logs = TrackLog.objects.owned_by(owner).select_related("racer", "vehicle").order_by("timestamp", "id")
    for log in logs.iterator(chunk_size=CHUNK_SIZE):
        yield [
            timezone.localtime(log.timestamp).strftime(TIMESTAMP_FORMAT),
            log.racer.name,
            log.track,
            car_label(log.vehicle.brand, log.vehicle.model) if log.vehicle else "",
            log.event,
            log.note,
        ]


def export_files(owner: User) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """The owner's data as the four legacy files: each name with its rows (header first), read as consumed."""
    rows_of = {
        RACERS: _racer_rows,
        BASELINES: _baseline_rows,
        LIBRARY: _library_rows,
        TRACK_LOGS: _track_log_rows,
    }
    for name, columns in FILES.items():
        yield name, itertools.chain([list(columns)], rows_of[name](owner))


def export_rows(owner: User) -> dict[str, list[list[str]]]:
    """The owner's data as the four legacy files (header row first), in memory: for small accounts and tests."""
    return {name: list(rows) for name, rows in export_files(owner)}


def export_folder(owner: User, folder: Path) -> dict[str, int]:
    """Write the four files into ``folder``, row by row; returns the rows written per file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in export_files(owner):
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            writer = apex_csv.writer(f)
            counts[name] = -1  # the header
            for row in rows:
                writer.writerow(row)
                counts[name] += 1
    return counts


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (``ZipFile`` writes to it)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: "ReadableBuffer", /) -> int:
        chunk = bytes(data)
        self.chunks.append(chunk)
        self.size += len(chunk)
        return len(chunk)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


# Bytes of the archive handed on at a time.
STREAM_CHUNK = 64 * 1024


def export_zip_stream(owner: User) -> Iterator[bytes]:
    """The four files as one ZIP archive, produced piece by piece as the rows are read.

    ``ZipFile`` writes to an unseekable stream with data descriptors (sizes
    after each member), so nothing is held but the current chunk of rows and
    compressor state: the same memory for ten rows as for a million.
    """
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in export_files(owner):
            with (
                archive.open(name, "w") as member,
                io.TextIOWrapper(member, encoding="utf-8", newline="") as text,
            ):
                writer = apex_csv.writer(text)
                for row in rows:
                    writer.writerow(row)
                    if pipe.size >= STREAM_CHUNK:
                        yield pipe.take()
    yield pipe.take()


def export_zip(owner: User) -> bytes:
    return b"".join(export_zip_stream(owner))
