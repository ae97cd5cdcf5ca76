"""The legacy-CSV export streams: its peak memory does not grow with the number of rows."""

import datetime as dt
import tracemalloc
import zipfile
from io import BytesIO

import pytest
from django.utils import timezone

from apex.tests.fixtures import make_user
from library.models import LibrarySetup
from profiles.models import User
from profiles.tests.factories import make_racer
from racing.legacy_csv import export_zip_stream, exporting
from racing.models import TrackLog, Vehicle

pytestmark = pytest.mark.django_db

SMALL, LARGE = 500, 5_000
# Rows read at a time in these tests: small chunks make the small account
# several chunks too, and keep the test quick.
CHUNK = 100


def account(rows: int) -> User:
    """An account with ``rows`` track logs and ``rows // 4`` library setups."""
    owner = make_user()
    racer = make_racer(owner, "Racer")
    vehicle = Vehicle.objects.create(racer=racer, brand="Mugen", model="MBX8R")
    start = timezone.now() - dt.timedelta(days=1)
    TrackLog.objects.bulk_create(
        TrackLog(
            racer=racer,
            vehicle=vehicle,
            track=f"Track {i % 50}",
            timestamp=start + dt.timedelta(seconds=i),
            note="Rear end loose on the exit of the hairpin, softer rear springs next time",
        )
        for i in range(rows)
    )
    LibrarySetup.objects.bulk_create(
        LibrarySetup(added_by=owner, track=f"Track {i}", brand="Mugen", vehicle="MBX8R")
        for i in range(rows // 4)
    )
    return owner


def peak_while_streaming(owner: User) -> tuple[int, int]:
    """(peak bytes allocated, bytes of the archive) while the download is consumed and dropped piece by piece."""
    size = 0
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for piece in export_zip_stream(owner):
            size += len(piece)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def test_export_peak_memory_does_not_grow_with_the_rows(monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK_SIZE", CHUNK)
    small, large = account(SMALL), account(LARGE)
    small_peak, small_size = peak_while_streaming(small)
    large_peak, large_size = peak_while_streaming(large)

    assert large_size > 5 * small_size  # ten times the rows went through (compressed)
    # Everything in memory at once grows tenfold with the rows (about 3 MB
    # more here); streamed, only a chunk of rows and compressor state are.
    assert large_peak < small_peak * 1.25 + 100_000, (small_peak, large_peak)


def test_the_streamed_archive_holds_every_row(monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK_SIZE", CHUNK)
    owner = account(CHUNK + 5)
    archive = zipfile.ZipFile(BytesIO(b"".join(export_zip_stream(owner))))
    assert archive.testzip() is None
    lines = archive.read("track_logs.csv").decode().splitlines()
    assert len(lines) == 1 + CHUNK + 5
    assert len(archive.read("master_library.csv").decode().splitlines()) == 1 + (CHUNK + 5) // 4
