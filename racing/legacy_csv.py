"""Import and export of the legacy CSV storage format.

Four files make one folder (see ``FILES``): racers with their sponsors and
vehicles, shop-master baselines, community library setups and track logs.

Import runs in three steps:

1. ``check_folder`` reads every file before anything is written: a missing
   file, a wrong header, binary or non-UTF-8 content or an empty file stops
   the import with a ``LegacyCsvError`` that names the file.
2. Each file is imported in its own transaction, in dependency order. Rows
   are validated one by one; accepted rows are written in batches. A row
   that fails validation is a reject (file, physical line, reason), never
   an error. An exception part-way rolls that file back completely.
3. The caller writes the report (``write_report``): a summary and one
   rejects CSV per file.

Every write of a file takes the owner's row lock first (as
``profiles.services`` does), so two imports for the same account run one
file after the other and the second finds the first one's rows "already
present". The partial unique constraints on ``import_key`` back this up:
new library setups and track logs are inserted with ``ignore_conflicts``,
so a row can never land twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from apex import caching
from library.models import LibrarySetup
from profiles.models import RacerProfile, Sponsor, User
from profiles.services import get_or_create_default_profile
from racing.models import BaselineVersion, TrackLog, Vehicle
from racing.services import StaleBaseline, baseline_save
from racing.setup_params import CSV_COLUMNS, INT, PARAMS, SetupParam

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

BATCH_SIZE = 500
PROGRESS_MIN_LINES = 2000
BASELINE_NOTE = "Imported from legacy CSV"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M"
_validate_email = EmailValidator()


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
class FileResult:
    name: str
    read: int = 0
    imported: int = 0
    already_present: int = 0
    rejects: list[RejectedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.rejects)


@dataclass
class ImportResult:
    files: list[FileResult]
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)


@dataclass
class _Row:
    line: int
    cells: list[str]  # as read, for the rejects report
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
        _check_file(folder / name, columns)


def _check_file(path: Path, columns: list[str]) -> None:
    name = path.name
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise LegacyCsvError(f"{name}: binary content, not a CSV text file.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LegacyCsvError(f"{name}: not UTF-8 text (bad byte at offset {exc.start}).") from None
    header = next(_records(io.StringIO(text, newline="")), None)
    if header is None:
        raise LegacyCsvError(f"{name}: empty file, expected the header {','.join(columns)}.")
    found = [cell.strip() for cell in header[1]]
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


def _records(handle) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, cells) for every non-blank record.

    ``csv.reader.line_num`` counts physical lines read so far, so a record
    starts one line after the previous record ended, even when quoted
    fields span several lines.
    """
    reader = csv.reader(handle)
    last = 0
    for cells in reader:
        start, last = last + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield start, cells


def _read_rows(path: Path, columns: list[str]) -> Iterator[_Row | RejectedRow]:
    total = path.read_bytes().count(b"\n")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = _records(handle)
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
                yield _Row(line, cells, {c: v.strip() for c, v in zip(columns, cells, strict=True)})
            progress.update(max(0, total - done))


# -- Field parsing -----------------------------------------------------------


def _text(value: str, label: str, max_length: int, required: bool = False) -> str:
    if required and not value:
        raise Reject(f"{label} is required")
    if len(value) > max_length:
        raise Reject(f"{label} is longer than {max_length} characters")
    return value


def parse_param(param: SetupParam, value: str):
    """One setup value from its CSV text (``None``/"" when blank)."""
    if value == "":
        return None if param.is_numeric else ""
    if not param.is_numeric:
        return _text(value, param.code, param.max_length)
    if param.kind == INT:
        if not re.fullmatch(r"[+-]?\d+", value):
            raise Reject(f"{param.code} {value!r} is not a whole number")
        number = int(value)
    else:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise Reject(f"{param.code} {value!r} is not a number") from None
        if not number.is_finite():
            raise Reject(f"{param.code} {value!r} is not a number")
        if number != number.quantize(Decimal("0.01")):
            raise Reject(f"{param.code} {value!r} has more than 2 decimal places")
    if not param.min <= number <= param.max:
        raise Reject(f"{param.code} {value} is out of range ({param.range_text()})")
    return number


def _params(data: dict[str, str]) -> dict[str, object]:
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


def split_car(value: str) -> tuple[str, str]:
    """ "Brand Model" → (brand, model); the brand is the first word."""
    brand, _, model = value.strip().partition(" ")
    model = model.strip()
    if not brand or not model:
        raise Reject(f'vehicle {value!r} needs a brand and a model ("Brand Model")')
    return _text(brand, "vehicle brand", 60), _text(model, "vehicle model", 100)


def car_label(brand: str, model: str) -> str:
    return f"{brand} {model}"


def _fingerprint(*parts: object) -> str:
    normalised = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(normalised.encode()).hexdigest()


def _values_key(values: dict[str, object]) -> tuple[str, ...]:
    return tuple(p.format(values[p.field]) for p in PARAMS)


# -- Import ----------------------------------------------------------------


def import_folder(folder: Path, owner: User, *, dry_run: bool = False) -> ImportResult:
    """Import the four files into ``owner``'s account; see the module docstring.

    A dry run does the same work inside a transaction that is rolled back,
    so its counts are exactly what a real run would report.
    """
    folder = Path(folder)
    check_folder(folder)
    importers: list[tuple[str, Callable[[Iterable, User, FileResult], None]]] = [
        (RACERS, _import_racers),
        (BASELINES, _import_baselines),
        (LIBRARY, _import_library),
        (TRACK_LOGS, _import_track_logs),
    ]
    result = ImportResult(files=[], dry_run=dry_run)
    # A real run commits file by file; a dry run wraps them all to roll back.
    with transaction.atomic() if dry_run else nullcontext():
        for name, importer in importers:
            file_result = FileResult(name)
            with transaction.atomic():
                _lock_owner(owner)
                importer(_counted(_read_rows(folder / name, FILES[name]), file_result), owner, file_result)
            result.files.append(file_result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _lock_owner(owner: User) -> None:
    User.objects.select_for_update().filter(pk=owner.pk).first()


def _counted(rows: Iterable[_Row | RejectedRow], result: FileResult) -> Iterator[_Row]:
    """Count every row read; rows the reader already rejected go to the report."""
    for row in rows:
        result.read += 1
        if isinstance(row, RejectedRow):
            result.rejects.append(row)
        else:
            yield row


def _reject(result: FileResult, row: _Row, reason: str) -> None:
    result.rejects.append(RejectedRow(row.line, row.cells, reason))


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _racers_by_name(owner: User) -> dict[str, RacerProfile]:
    return {r.name: r for r in RacerProfile.objects.owned_by(owner).order_by("-id")}


def _vehicles_by_car(owner: User) -> dict[tuple[int, str, str], Vehicle]:
    """(racer id, brand, model) → vehicle; a vehicle without nickname wins."""
    vehicles = Vehicle.objects.filter(racer__owner=owner).order_by("-nickname", "-id")
    return {(v.racer_id, v.brand, v.model): v for v in vehicles}


def _import_racers(rows: Iterable[_Row], owner: User, result: FileResult) -> None:
    """Racers by owner + name; sponsors and vehicles are added, never removed.

    An existing racer keeps its profile fields. The ``Default`` column only
    decides when the owner has no default racer yet; otherwise the backfill
    rule applies ("Default Racer" by name, else the oldest racer).
    """
    existing = _racers_by_name(owner)
    seen: dict[str, tuple[int, tuple]] = {}
    default_line: int | None = None
    default_name: str | None = None
    accepted: list[tuple[str, dict, list[str], list[tuple[str, str]]]] = []
    for row in rows:
        d = row.data
        try:
            name = _text(d["Name"], "Name", 100, required=True)
            email = _text(d["Email"], "Email", 254)
            if email:
                try:
                    _validate_email(email)
                except ValidationError:
                    raise Reject(f"Email {email!r} is not a valid address") from None
            fields = {
                "email": email,
                "facebook": _text(d["Facebook"], "Facebook", 200),
                "instagram": _text(d["Instagram"], "Instagram", 200),
                "transponder": _text(d["Transponder"], "Transponder", 40),
            }
            sponsors = list(
                dict.fromkeys(_text(s.strip(), "Sponsor", 100) for s in d["Sponsors"].split("|") if s.strip())
            )
            cars = list(dict.fromkeys(split_car(c) for c in d["Vehicles"].split("|") if c.strip()))
            flag = d["Default"].lower()
            if flag not in ("yes", "no", ""):
                raise Reject(f"Default {d['Default']!r} must be yes or blank")
            signature = (tuple(fields.items()), tuple(sponsors), tuple(cars), flag == "yes")
            if name in seen:
                first_line, first_signature = seen[name]
                if signature != first_signature:
                    raise Reject(f"conflicts with line {first_line}")
                result.already_present += 1
                continue
            if flag == "yes":
                if default_line is not None:
                    raise Reject(f"Default is already yes on line {default_line}; only one racer can be")
                default_line, default_name = row.line, name
        except Reject as reason:
            _reject(result, row, str(reason))
            continue
        seen[name] = (row.line, signature)
        accepted.append((name, fields, sponsors, cars))

    new_racers = [
        RacerProfile(owner=owner, name=name, **fields)
        for name, fields, _, _ in accepted
        if name not in existing
    ]
    for racer in RacerProfile.objects.bulk_create(new_racers):
        existing[racer.name] = racer
    new_ids = {r.pk for r in new_racers}
    racer_ids = [existing[name].pk for name, *_ in accepted]
    have_sponsors = set(Sponsor.objects.filter(racer_id__in=racer_ids).values_list("racer_id", "name"))
    have_cars = set(
        Vehicle.objects.filter(racer_id__in=racer_ids, nickname="").values_list("racer_id", "brand", "model")
    )
    sponsors_to_add, vehicles_to_add = [], []
    for name, _, sponsors, cars in accepted:
        racer = existing[name]
        add_sponsors = [s for s in sponsors if (racer.pk, s) not in have_sponsors]
        add_cars = [c for c in cars if (racer.pk, *c) not in have_cars]
        sponsors_to_add += [Sponsor(racer=racer, name=s) for s in add_sponsors]
        vehicles_to_add += [Vehicle(racer=racer, brand=b, model=m) for b, m in add_cars]
        if racer.pk in new_ids or add_sponsors or add_cars:
            result.imported += 1
        else:
            result.already_present += 1
    Sponsor.objects.bulk_create(sponsors_to_add, ignore_conflicts=True)
    Vehicle.objects.bulk_create(vehicles_to_add, ignore_conflicts=True)

    current = RacerProfile.objects.owned_by(owner).filter(is_default=True).first()
    if current is None and default_name is not None:
        RacerProfile.objects.filter(pk=existing[default_name].pk).update(is_default=True)
    elif current is None and existing:
        get_or_create_default_profile(owner)
    elif current is not None and default_name is not None and current.name != default_name:
        result.warnings.append(
            f"{RACERS}:{default_line}: {default_name} is marked Default, "
            f"but {current.name} stays the default racer of this account"
        )


def _import_baselines(rows: Iterable[_Row], owner: User, result: FileResult) -> None:
    """One baseline per racer and car: the first baseline (v1) of a vehicle.

    A vehicle that has a baseline already counts the row as already present
    when the values are equal and rejects it as a conflict otherwise; the
    same within the file ("conflicts with line N"), the first row winning.
    """
    racers = _racers_by_name(owner)
    vehicles = _vehicles_by_car(owner)
    current: dict[int, BaselineVersion] = {}
    for version in BaselineVersion.objects.filter(vehicle__racer__owner=owner).order_by("vehicle", "number"):
        current[version.vehicle_id] = version
    seen: dict[int, tuple[int, tuple]] = {}
    new: list[tuple[_Row, Vehicle, dict, tuple]] = []
    for row in rows:
        d = row.data
        try:
            racer = racers.get(_text(d["Racer"], "Racer", 100, required=True))
            if racer is None:
                raise Reject(f"unknown racer {d['Racer']!r}")
            brand, model = split_car(_text(d["Car"], "Car", 161, required=True))
            vehicle = vehicles.get((racer.pk, brand, model))
            if vehicle is None:
                raise Reject(f"{racer.name} has no vehicle {d['Car']!r} in {RACERS}")
            values = _params(d)
            key = _values_key(values)
            if vehicle.pk in seen:
                first_line, first_key = seen[vehicle.pk]
                if key != first_key:
                    raise Reject(f"conflicts with line {first_line}")
                result.already_present += 1
                continue
            if vehicle.pk in current:
                version = current[vehicle.pk]
                if key != _values_key(version.setup_values()):
                    raise Reject(f"conflicts with the current baseline (v{version.number}) of {vehicle}")
                seen[vehicle.pk] = (row.line, key)
                result.already_present += 1
                continue
        except Reject as reason:
            _reject(result, row, str(reason))
            continue
        seen[vehicle.pk] = (row.line, key)
        new.append((row, vehicle, values, key))
    for row, vehicle, values, key in new:
        try:
            baseline_save(vehicle=vehicle, values=values, note=BASELINE_NOTE, based_on=0)
        except StaleBaseline as stale:
            # Saved by someone else since we looked: equal values are no loss.
            if stale.current is not None and key == _values_key(stale.current.setup_values()):
                result.already_present += 1
            else:
                _reject(result, row, f"conflicts with a baseline saved meanwhile for {vehicle}")
            continue
        result.imported += 1


def _library_row(d: dict[str, str], owner: User) -> LibrarySetup:
    track = _text(d["Track"], "Track", 120, required=True)
    brand = _text(d["Brand"], "Brand", 60, required=True)
    vehicle = _text(d["Vehicle"], "Vehicle", 100, required=True)
    condition = _text(d["Condition"], "Condition", 60)
    day = parse_date(d["Date"])
    source = _text(d["Source"], "Source", 200)
    values = _params(d)
    key = _fingerprint(track, brand, vehicle, condition, day, source, *_values_key(values))
    return LibrarySetup(
        track=track,
        brand=brand,
        vehicle=vehicle,
        condition=condition,
        date=day,
        source=source,
        added_by=owner,
        import_key=key,
        **values,
    )


def _import_library(rows: Iterable[_Row], owner: User, result: FileResult) -> None:
    _import_keyed(
        rows,
        result,
        build=lambda d: _library_row(d, owner),
        scope=Q(added_by=owner),
        model=LibrarySetup,
    )


def _track_log_row(d: dict[str, str], racers: dict, vehicles: dict) -> TrackLog:
    timestamp = parse_timestamp(_text(d["Timestamp"], "Timestamp", 40, required=True))
    racer = racers.get(_text(d["Racer"], "Racer", 100, required=True))
    if racer is None:
        raise Reject(f"unknown racer {d['Racer']!r}")
    track = _text(d["Track"], "Track", 120, required=True)
    vehicle = None
    if d["Car"]:
        vehicle = vehicles.get((racer.pk, *split_car(d["Car"])))
        if vehicle is None:
            raise Reject(f"{racer.name} has no vehicle {d['Car']!r} in {RACERS}")
    event = _text(d["Event"], "Event", 120)
    note = d["Note"]
    car = car_label(vehicle.brand, vehicle.model) if vehicle else ""
    key = _fingerprint(timestamp.strftime("%Y-%m-%d %H:%M:%S"), track, car, event, note)
    return TrackLog(
        racer=racer,
        timestamp=timestamp,
        track=track,
        vehicle=vehicle,
        event=event,
        note=note,
        import_key=key,
    )


def _import_track_logs(rows: Iterable[_Row], owner: User, result: FileResult) -> None:
    racers = _racers_by_name(owner)
    vehicles = _vehicles_by_car(owner)
    _import_keyed(
        rows,
        result,
        build=lambda d: _track_log_row(d, racers, vehicles),
        scope=Q(racer__owner=owner),
        model=TrackLog,
    )


def _import_keyed(rows: Iterable[_Row], result: FileResult, *, build, scope: Q, model) -> None:
    """Rows identified by ``import_key``, written a batch at a time.

    Keys already in the account (or earlier in the file) are "already
    present". The rest go in with ``ignore_conflicts``: the partial unique
    constraint decides, so no row is stored twice.
    """
    seen: set[tuple[int, str]] = set()
    for batch in _batches(rows, BATCH_SIZE):
        built = []
        for row in batch:
            try:
                obj = build(row.data)
            except Reject as reason:
                _reject(result, row, str(reason))
                continue
            built.append(obj)
        owner_field = "added_by_id" if model is LibrarySetup else "racer_id"
        keys = {obj.import_key for obj in built}
        present = set(model.objects.filter(scope, import_key__in=keys).values_list(owner_field, "import_key"))
        new = []
        for obj in built:
            identity = (getattr(obj, owner_field), obj.import_key)
            if identity in seen or identity in present:
                result.already_present += 1
                continue
            seen.add(identity)
            new.append(obj)
        model.objects.bulk_create(new, ignore_conflicts=True)
        # bulk_create sends no signals; the library pages show these rows.
        caching.invalidate_on_commit(caching.LIBRARY)
        result.imported += len(new)


# -- Report ----------------------------------------------------------------


def summary_rows(result: ImportResult) -> list[list[str]]:
    rows = [["File", "Read", "Imported", "Already present", "Rejected"]]
    for f in result.files:
        rows.append([f.name, str(f.read), str(f.imported), str(f.already_present), str(f.rejected)])
    return rows


def format_summary(result: ImportResult) -> str:
    rows = summary_rows(result)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    return "\n".join(lines)


def write_report(result: ImportResult, report_dir: Path) -> None:
    """summary.csv and one ``rejects-<file>`` per file (Line, Reason, then the original columns)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    with (report_dir / "summary.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(summary_rows(result))
    for f in result.files:
        with (report_dir / f"rejects-{f.name}").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            # Line and Reason first: a row with too many fields still lines up.
            writer.writerow(["Line", "Reason", *FILES[f.name]])
            for reject in f.rejects:
                writer.writerow([reject.line, reject.reason, *reject.cells])


# -- Export ----------------------------------------------------------------


def _params_cells(obj) -> list[str]:
    return [p.format(getattr(obj, p.field)) for p in PARAMS]


def export_rows(owner: User) -> dict[str, list[list[str]]]:
    """The owner's data as the four legacy files (header row first)."""
    racers = list(
        RacerProfile.objects.owned_by(owner).order_by("created_at", "id").prefetch_related("sponsors")
    )
    vehicles = list(Vehicle.objects.filter(racer__owner=owner).order_by("racer_id", "id"))
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
    baselines = BaselineVersion.objects.filter(vehicle__racer__owner=owner).select_related("vehicle__racer")
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

    logs = TrackLog.objects.filter(racer__owner=owner).select_related("racer", "vehicle")
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
    csv.writer(buffer).writerows(rows)
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
