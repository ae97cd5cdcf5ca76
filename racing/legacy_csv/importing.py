"""Importing a legacy CSV folder into one account: racers, baselines, library setups, track logs."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.db import transaction
from django.db.models import Q

from apex import caching
from library.forms import LibrarySetupForm
from library.models import LibrarySetup
from profiles.forms import RacerForm, SponsorFormSet
from profiles.models import RacerProfile, Sponsor, User
from profiles.services import get_or_create_default_profile, owner_lock, racer_set_default
from racing.forms import TrackLogForm
from racing.legacy_csv.format import (
    BASELINES,
    FILES,
    LIBRARY,
    RACERS,
    TRACK_LOGS,
    Reject,
    RejectedRow,
    Row,
    car_label,
    check_folder,
    clean,
    fingerprint,
    parse_date,
    parse_params,
    parse_timestamp,
    read_rows,
    required,
    split_car,
    values_key,
)
from racing.models import BaselineVersion, TrackLog, Vehicle
from racing.services import StaleBaseline, baseline_save

BATCH_SIZE = 500
BASELINE_NOTE = "Imported from legacy CSV"
# Cells are cleaned by the web forms' own fields (see format.clean).
RACER_FIELDS = RacerForm.base_fields
SPONSOR_NAME = SponsorFormSet.form.base_fields["name"]
LIBRARY_FIELDS = LibrarySetupForm.base_fields
TRACK_LOG_FIELDS = TrackLogForm.base_fields

# Rows identified by their import_key (see _import_keyed).
Keyed = TypeVar("Keyed", LibrarySetup, TrackLog)


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


def import_folder(folder: Path, owner: User, *, dry_run: bool = False) -> ImportResult:
    """Import the four files into ``owner``'s account, all or nothing; see the module docstring.

    A dry run does the same work and rolls the transaction back, so its
    counts are exactly what a real run would report.
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
    # One transaction for the run: a failure or a killed process in any file
    # leaves the account as it was, never some files in and others not.
    with transaction.atomic():
        owner_lock(owner=owner)
        for name, importer in importers:
            file_result = FileResult(name)
            importer(_counted(read_rows(folder / name, FILES[name]), file_result), owner, file_result)
            result.files.append(file_result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _counted(rows: Iterable[Row | RejectedRow], result: FileResult) -> Iterator[Row]:
    """Count every row read; rows the reader already rejected go to the report."""
    for row in rows:
        result.read += 1
        if isinstance(row, RejectedRow):
            result.rejects.append(row)
        else:
            yield row


def _reject(result: FileResult, row: Row, reason: str) -> None:
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
    vehicles = Vehicle.objects.owned_by(owner).order_by("-nickname", "-id")
    return {(v.racer_id, v.brand, v.model): v for v in vehicles}


def _import_racers(rows: Iterable[Row], owner: User, result: FileResult) -> None:
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
            name = clean(RACER_FIELDS["name"], "Name", d["Name"])
            fields = {
                field: clean(RACER_FIELDS[field], column, d[column])
                for field, column in (
                    ("email", "Email"),
                    ("facebook", "Facebook"),
                    ("instagram", "Instagram"),
                    ("transponder", "Transponder"),
                )
            }
            sponsors = list(
                dict.fromkeys(
                    clean(SPONSOR_NAME, "Sponsor", s.strip()) for s in d["Sponsors"].split("|") if s.strip()
                )
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

    # Read before the insert: the database makes an owner's first racer the default.
    current = RacerProfile.objects.owned_by(owner).filter(is_default=True).first()
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

    if current is None and default_name is not None:
        racer_set_default(owner=owner, racer_id=existing[default_name].pk)
    elif current is None and existing:
        get_or_create_default_profile(owner)
    elif current is not None and default_name is not None and current.name != default_name:
        result.warnings.append(
            f"{RACERS}:{default_line}: {default_name} is marked Default, "
            f"but {current.name} stays the default racer of this account"
        )


def _import_baselines(rows: Iterable[Row], owner: User, result: FileResult) -> None:
    """One baseline per racer and car: the first baseline (v1) of a vehicle.

    A vehicle that has a baseline already counts the row as already present
    when the values are equal and rejects it as a conflict otherwise; the
    same within the file ("conflicts with line N"), the first row winning.
    """
    racers = _racers_by_name(owner)
    vehicles = _vehicles_by_car(owner)
    current: dict[int, BaselineVersion] = {}
    for version in BaselineVersion.objects.owned_by(owner).order_by("vehicle", "number"):
        current[version.vehicle_id] = version
    seen: dict[int, tuple[int, tuple]] = {}
    new: list[tuple[Row, Vehicle, dict, tuple]] = []
    for row in rows:
        d = row.data
        try:
            racer = _racer(racers, d["Racer"])
            brand, model = split_car(required("Car", d["Car"]))
            vehicle = vehicles.get((racer.pk, brand, model))
            if vehicle is None:
                raise Reject(f"{racer.name} has no vehicle {d['Car']!r} in {RACERS}")
            values = parse_params(d)
            key = values_key(values)
            if vehicle.pk in seen:
                first_line, first_key = seen[vehicle.pk]
                if key != first_key:
                    raise Reject(f"conflicts with line {first_line}")
                result.already_present += 1
                continue
            if vehicle.pk in current:
                version = current[vehicle.pk]
                if key != values_key(version.setup_values()):
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
            if stale.current is not None and key == values_key(stale.current.setup_values()):
                result.already_present += 1
            else:
                _reject(result, row, f"conflicts with a baseline saved meanwhile for {vehicle}")
            continue
        result.imported += 1


def _library_row(d: dict[str, str], owner: User) -> LibrarySetup:
    track = clean(LIBRARY_FIELDS["track"], "Track", d["Track"])
    brand = clean(LIBRARY_FIELDS["brand"], "Brand", d["Brand"])
    vehicle = clean(LIBRARY_FIELDS["vehicle"], "Vehicle", d["Vehicle"])
    condition = clean(LIBRARY_FIELDS["condition"], "Condition", d["Condition"])
    day = parse_date(d["Date"])
    source = clean(LIBRARY_FIELDS["source"], "Source", d["Source"])
    values = parse_params(d)
    key = fingerprint(track, brand, vehicle, condition, day, source, *values_key(values))
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


def _import_library(rows: Iterable[Row], owner: User, result: FileResult) -> None:
    _import_keyed(
        rows,
        result,
        build=lambda d: _library_row(d, owner),
        scope=Q(added_by=owner),
        model=LibrarySetup,
    )


def _track_log_row(d: dict[str, str], racers: dict, vehicles: dict) -> TrackLog:
    timestamp = parse_timestamp(d["Timestamp"])
    racer = _racer(racers, d["Racer"])
    track = clean(TRACK_LOG_FIELDS["track"], "Track", d["Track"])
    vehicle = None
    if d["Car"]:
        vehicle = vehicles.get((racer.pk, *split_car(d["Car"])))
        if vehicle is None:
            raise Reject(f"{racer.name} has no vehicle {d['Car']!r} in {RACERS}")
    event = clean(TRACK_LOG_FIELDS["event"], "Event", d["Event"])
    note = clean(TRACK_LOG_FIELDS["note"], "Note", d["Note"])
    car = car_label(vehicle.brand, vehicle.model) if vehicle else ""
    key = fingerprint(timestamp.strftime("%Y-%m-%d %H:%M:%S"), track, car, event, note)
    return TrackLog(
        racer=racer,
        timestamp=timestamp,
        track=track,
        vehicle=vehicle,
        event=event,
        note=note,
        import_key=key,
    )


def _import_track_logs(rows: Iterable[Row], owner: User, result: FileResult) -> None:
    racers = _racers_by_name(owner)
    vehicles = _vehicles_by_car(owner)
    _import_keyed(
        rows,
        result,
        build=lambda d: _track_log_row(d, racers, vehicles),
        scope=Q(racer__owner=owner),
        model=TrackLog,
    )


def _import_keyed(
    rows: Iterable[Row],
    result: FileResult,
    *,
    build: Callable[[dict[str, str]], Keyed],
    scope: Q,
    model: type[Keyed],
) -> None:
    """Rows identified by ``import_key``, written a batch at a time.

    Keys already in the account (or earlier in the file) are "already
    present". The rest go in with ``ignore_conflicts``: the partial unique
    constraint decides, so no row is stored twice.
    """
    seen: set[tuple[int, str]] = set()
    for batch in _batches(rows, BATCH_SIZE):
        built: list[Keyed] = []
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
        new: list[Keyed] = []
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


def _racer(racers: dict[str, RacerProfile], name: str) -> RacerProfile:
    racer = racers.get(required("Racer", name))
    if racer is None:
        raise Reject(f"unknown racer {name!r}")
    return racer
