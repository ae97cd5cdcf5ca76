"""Writes that span several rows: baselines and race days.

Every function is keyword-only and runs under ``transaction.atomic``.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from profiles.models import RacerProfile
from racing import timing_import
from racing.models import (
    BaselineVersion,
    RaceDay,
    RaceDayChange,
    RaceDayLap,
    RaceDayRound,
    TrackLog,
    Vehicle,
)
from racing.setup_params import BY_FIELD, FIELD_NAMES, PARAMS, values_of


class StaleBaseline(Exception):
    """The baseline changed since the edit began (another tab or device saved first)."""

    def __init__(self, current: BaselineVersion | None, based_on: int | None):
        self.current = current
        self.based_on = based_on
        number = current.number if current else 0
        super().__init__(f"The baseline is at version {number}, not {based_on}.")


class RaceDayClosed(Exception):
    """A closed race day is a record: it takes no more changes or rounds."""

    def __init__(
        self, message: str = "This race day is closed: it is a record now and takes no more changes."
    ):
        super().__init__(message)


def baseline_save(
    *, vehicle: Vehicle, values: dict, note: str = "", based_on: int | None = None
) -> BaselineVersion:
    """Add a new baseline version numbered current + 1.

    ``based_on`` is the version number the edit started from (0 when the
    vehicle had no baseline). When another save landed in between,
    ``StaleBaseline`` is raised and nothing is written. Locking the vehicle
    row serialises savers; the unique (vehicle, number) constraint backs it up.
    """
    unknown = set(values) - set(FIELD_NAMES)
    if unknown:
        raise ValueError(f"Unknown setup parameters: {sorted(unknown)}")
    try:
        with transaction.atomic():
            Vehicle.objects.select_for_update().filter(pk=vehicle.pk).first()
            current = vehicle.baseline_versions.current_number()
            if based_on is not None and based_on != current:
                raise StaleBaseline(vehicle.current_baseline(), based_on)
            fields = {p.field: p.stored(values.get(p.field)) for p in PARAMS}
            return BaselineVersion.objects.create(vehicle=vehicle, number=current + 1, note=note, **fields)
    except IntegrityError:
        # Another save took this number between our read and our insert.
        raise StaleBaseline(vehicle.current_baseline(), based_on) from None


def baseline_restore(*, version: BaselineVersion, note: str = "") -> BaselineVersion:
    """Make an old version current again, as a new version (history is kept)."""
    return baseline_save(
        vehicle=version.vehicle,
        values=values_of(version),
        note=note or f"Restored version {version.number}",
    )


def race_day_start(
    *,
    racer: RacerProfile,
    vehicle: Vehicle,
    track: str,
    date: datetime.date,
    surface: str = "",
    grip: str = "",
    temperature: Decimal | None = None,
    weather: str = "",
) -> RaceDay:
    """Open a race day whose setup starts as a copy of the vehicle's baseline."""
    if vehicle.racer_id != racer.pk:
        raise ValueError("The vehicle belongs to another racer.")
    with transaction.atomic():
        baseline = vehicle.current_baseline()
        values = values_of(baseline) if baseline else {}
        return RaceDay.objects.create(
            racer=racer,
            vehicle=vehicle,
            based_on=baseline,
            track=track,
            date=date,
            surface=surface,
            grip=grip,
            temperature=temperature,
            weather=weather,
            **values,
        )


def _apply_change(race_day: RaceDay, change: RaceDayChange) -> None:
    """Tried and kept changes are on the car; a reverted one puts the old value back."""
    param = BY_FIELD[change.parameter]
    if change.status in (RaceDayChange.Status.TRIED, RaceDayChange.Status.KEPT):
        value = param.parse(change.new_value)
    elif change.status == RaceDayChange.Status.REVERTED:
        value = param.parse(change.old_value)
    else:
        return
    setattr(race_day, param.field, param.stored(value))
    race_day.save(update_fields=[param.field, "updated_at"])


def _lock_open(race_day: RaceDay) -> RaceDay:
    locked = RaceDay.objects.select_for_update().get(pk=race_day.pk)
    if not locked.is_open:
        raise RaceDayClosed
    return locked


def race_day_change_add(
    *,
    race_day: RaceDay,
    parameter: str,
    old_value: str,
    new_value: str,
    reason: str = "",
    status: str = RaceDayChange.Status.PLANNED,
    symptom: str = "",
) -> RaceDayChange:
    with transaction.atomic():
        locked = _lock_open(race_day)
        change = RaceDayChange.objects.create(
            race_day=locked,
            parameter=parameter,
            old_value=old_value,
            new_value=new_value,
            reason=reason,
            status=status,
            symptom=symptom,
        )
        _apply_change(locked, change)
        _copy_setup(locked, race_day)
        return change


def race_day_change_set_status(*, change: RaceDayChange, status: str) -> RaceDayChange:
    with transaction.atomic():
        locked = _lock_open(change.race_day)
        change.status = status
        change.save(update_fields=["status", "updated_at"])
        _apply_change(locked, change)
        _copy_setup(locked, change.race_day)
        return change


def _copy_setup(source: RaceDay, target: RaceDay) -> None:
    for name in FIELD_NAMES:
        setattr(target, name, getattr(source, name))


def race_day_round_add(
    *, race_day: RaceDay, kind: str, note: str = "", result: str = "", laps: Sequence[Decimal] = ()
) -> RaceDayRound:
    """A round and its laps, numbered from 1 in the order given: all of it or nothing."""
    with transaction.atomic():
        locked = _lock_open(race_day)
        round_ = RaceDayRound.objects.create(race_day=locked, kind=kind, note=note, result=result)
        RaceDayLap.objects.bulk_create(
            RaceDayLap(round=round_, lap_no=number, time=time) for number, time in enumerate(laps, start=1)
        )
        return round_


def race_day_laps_import(
    *, race_day: RaceDay, data: bytes, kind: str, format: str = "", source: str = ""
) -> tuple[RaceDayRound, timing_import.Match]:
    """A round from a timing system's export: this racer's laps, all of them or nothing.

    ``TimingFileError`` when the file is unreadable, has a bad line or nobody
    in it is this racer (by the vehicle's or racer's transponder, else name).
    """
    competitors = timing_import.read_competitors(data, format)
    match = timing_import.find_racer(
        competitors,
        transponders=[race_day.vehicle.transponder, race_day.racer.transponder],
        name=race_day.racer.name,
    )
    note = f"Imported from {source or 'a timing file'}: {match.competitor.name or match.competitor.transponder}, matched by {match.by}."
    round_ = race_day_round_add(race_day=race_day, kind=kind, note=note, laps=match.laps)
    return round_, match


def race_day_close(*, race_day: RaceDay, note: str = "") -> TrackLog:
    """Close the day and write a track-log entry that summarises it."""
    with transaction.atomic():
        locked = _lock_open(race_day)
        now = timezone.now()
        locked.status = RaceDay.Status.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        race_day.status, race_day.closed_at = locked.status, locked.closed_at
        summary = locked.summary()
        if note:
            summary = f"{summary}\n\n{note}"
        return TrackLog.objects.create(
            racer=locked.racer,
            timestamp=now,
            track=locked.track,
            vehicle=locked.vehicle,
            event="Race day",
            note=summary,
            race_day=locked,
        )


def race_day_promote(*, race_day: RaceDay, based_on: int | None = None) -> BaselineVersion:
    """The day's final setup becomes the vehicle's new baseline version."""
    return baseline_save(
        vehicle=race_day.vehicle,
        values=values_of(race_day),
        note=f"From race day at {race_day.track} on {race_day.date:%Y-%m-%d}",
        based_on=based_on,
    )
