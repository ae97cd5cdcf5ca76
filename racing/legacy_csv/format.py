"""The legacy CSV format: four files, their columns, reading them and parsing their cells.

Every column that has a web form is cleaned by that form's own field
(``clean``; setup parameters through ``SetupParam.parse``), so a CSV row and
a form accept exactly the same values; the field's message becomes the
row's reject reason. Dates and timestamps have legacy formats of their own.
"""

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from tqdm import tqdm

from apex import csv as apex_csv
from racing.forms import VehicleForm
from racing.setup_params import CSV_COLUMNS, PARAMS, SetupParam, Value

RACERS, BASELINES, LIBRARY, TRACK_LOGS = (
    "racer_profiles.csv",
    "car_configs.csv",
    "master_library.csv",
    "track_logs.csv",
)
RACER_COLUMNS = ["Name", "Email", "Facebook", "Instagram", "Transponder", "Sponsors", "Vehicles", "Default"]
BASELINE_COLUMNS = ["Racer", "Car", *CSV_COLUMNS]
LIBRARY_COLUMNS = ["Track", "Brand", "Vehicle", "Condition", "Date", "Source", *CSV_COLUMNS]
TRACK_LOG_COLUMNS = ["Timestamp", "Racer", "Track", "Car", "Event", "Note"]
# In import order: later files refer to racers and vehicles of the first.
FILES = {
    RACERS: RACER_COLUMNS,
    BASELINES: BASELINE_COLUMNS,
    LIBRARY: LIBRARY_COLUMNS,
    TRACK_LOGS: TRACK_LOG_COLUMNS,
}

PROGRESS_MIN_LINES = 2000
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"
SHOWN_VALUE_MAX = 40  # longer values are left out of a reject reason
# A file is read in chunks, so memory does not grow with it; this limit keeps
# the rows held for one run (keys seen, rejects for the report) bounded too.
MAX_FILE_BYTES = 20 * 2**20


class LegacyCsvError(Exception):
    """The folder cannot be imported at all; nothing was written."""


class Reject(Exception):
    """A row that is not imported, with the reason."""


@dataclass
class RejectedRow:
    line: int
    cells: list[str]
    reason: str


@dataclass
class Row:
    line: int
    cells: list[str]  # as read (formula escapes taken off), for the rejects report
    data: dict[str, str]  # trimmed, keyed by column


# -- Reading ---------------------------------------------------------------


def check_folder(folder: Path) -> None:
    """Raise ``LegacyCsvError`` unless all four files are present and readable."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LegacyCsvError(f"{folder}: no such folder.")
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise LegacyCsvError(f"{folder}: missing {', '.join(missing)}.")
    for name, columns in FILES.items():
        try:
            _check_file(folder / name, columns)
        except OSError as exc:
            raise LegacyCsvError(f"{name}: cannot read it ({exc.strerror or exc}).") from None


def _check_file(path: Path, columns: list[str]) -> None:
    """The whole file read once, a chunk at a time: size, content, header and CSV syntax."""
    name = path.name
    _scan_bytes(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = _records(handle, name)
        header = next(records, None)
        if header is None:
            raise LegacyCsvError(f"{name}: empty file, expected the header {','.join(columns)}.")
        _check_header(name, header[1], columns)
        for _ in records:
            pass  # a CSV error anywhere stops the import before anything is written


def _check_header(name: str, header: list[str], columns: list[str]) -> None:
    found = [cell.strip() for cell in header]
    if found != columns:
        missing = [c for c in columns if c not in found]
        extra = [c for c in found if c not in columns]
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(extra)}" if extra else "",
                "columns out of order" if not missing and not extra else "",
            )
            if part
        )
        raise LegacyCsvError(f"{name}: wrong header ({detail}); expected {','.join(columns)}.")


def _scan_bytes(path: Path) -> int:
    """The number of lines; ``LegacyCsvError`` for a file too big, binary or not UTF-8."""
    try:
        return apex_csv.check_text(path, MAX_FILE_BYTES)
    except apex_csv.CsvError as exc:
        raise LegacyCsvError(f"{path.name}: {exc}.") from None


def _records(handle: Iterable[str], name: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) for every non-blank record, formula escapes taken off.

    A record starts one line after the previous record ended, even when
    quoted fields span several lines (``apex.csv.Reader.line``). A CSV
    error (a field over the csv module's size limit) is a
    ``LegacyCsvError`` naming the file and line.
    """
    reader = apex_csv.reader(handle)
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line, cells
    except apex_csv.CsvError as exc:
        raise LegacyCsvError(f"{name}: {exc}.") from None


def read_rows(path: Path, columns: list[str]) -> Iterator[Row | RejectedRow]:
    total = _scan_bytes(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = _records(handle, path.name)
        next(records)  # the header, checked by check_folder
        with tqdm(
            total=total,
            desc=path.name,
            unit="line",
            file=sys.stderr,
            disable=total < PROGRESS_MIN_LINES or None,
        ) as progress:
            done = 1
            for line, cells in records:
                progress.update(line - done)
                done = line
                if len(cells) != len(columns):
                    yield RejectedRow(line, cells, f"expected {len(columns)} fields, found {len(cells)}")
                    continue
                yield Row(line, cells, {c: v.strip() for c, v in zip(columns, cells, strict=True)})
            progress.update(max(0, total - done))


# -- Cells -------------------------------------------------------------------


def _reason(column: str, text: str, error: ValidationError) -> str:
    shown = f" {text!r}" if text and len(text) <= SHOWN_VALUE_MAX else ""
    return f"{column}{shown}: {' '.join(error.messages)}"


def clean(field: forms.Field, column: str, text: str) -> Any:
    """``text`` cleaned by a web form's own field; its error becomes the reject reason."""
    try:
        return field.clean(text)
    except ValidationError as error:
        raise Reject(_reason(column, text, error)) from None


def parse_param(param: SetupParam, text: str) -> Value:
    """One setup value from its CSV text, by the parameter's form field (None/"" when blank)."""
    try:
        return param.parse(text)
    except ValidationError as error:
        raise Reject(_reason(param.code, text, error)) from None


def required(column: str, text: str) -> str:
    if not text:
        raise Reject(f"{column}: This field is required.")
    return text


def split_car(value: str) -> tuple[str, str]:
    """ "Brand Model" → (brand, model); the brand is the first word."""
    brand, _, model = value.strip().partition(" ")
    model = model.strip()
    if not brand or not model:
        raise Reject(f'vehicle {value!r} needs a brand and a model ("Brand Model")')
    vehicle = VehicleForm.base_fields
    return clean(vehicle["brand"], "vehicle brand", brand), clean(vehicle["model"], "vehicle model", model)


def parse_params(data: dict[str, str]) -> dict[str, Value]:
    return {p.field: parse_param(p, data[p.code]) for p in PARAMS}


def parse_date(value: str) -> date | None:
    """ISO ``YYYY-MM-DD``; day-first ``DD/MM/YYYY`` only when the day is over 12."""
    if value == "":
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value):
            day, month, year = (int(part) for part in match.groups())
            if day <= 12:
                raise Reject(f"Date {value!r} is ambiguous (day or month first?); use YYYY-MM-DD")
            return date(year, month, day)
    except ValueError:
        raise Reject(f"Date {value!r} is not a valid date") from None
    raise Reject(f"Date {value!r} is not a date (use YYYY-MM-DD)")


def parse_timestamp(value: str) -> datetime:
    """``YYYY-MM-DD HH:MM`` in local time of the track: the current time zone."""
    for fmt in (TIMESTAMP_FORMAT, "%Y-%m-%d %H:%M:%S"):
        try:
            naive = datetime.strptime(value, fmt)  # noqa: DTZ007 - made aware below
        except ValueError:
            continue
        return timezone.make_aware(naive, timezone.get_current_timezone())
    raise Reject(f"Timestamp {value!r} is not YYYY-MM-DD HH:MM")


def car_label(brand: str, model: str) -> str:
    return f"{brand} {model}"


def fingerprint(*parts: object) -> str:
    normalised = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(normalised.encode()).hexdigest()


def values_key(values: dict[str, Value]) -> tuple[str, ...]:
    return tuple(p.format(values[p.field]) for p in PARAMS)
