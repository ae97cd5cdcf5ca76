"""What the racing pages cache per racer, and the writes that retire it.

The track log's filter lists every track the racer has logged (a DISTINCT
over all their entries) and their vehicles; both change only when a track
log or a vehicle does, so they are cached under the racer's scope and the
account's (``apex.caching.cached_in_scopes_many``). The account's scope is
retired by every write under ``owner_lock`` (the legacy CSV import's
bulk_create too), the racer's by the receivers below. The race-day change
form's "Your usual" parameters (a GROUP BY over every change the racer
recorded) are cached the same way and retired when a change is recorded or
deleted.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from apex.caching import cached_in_scopes, cached_in_scopes_many, invalidate_scopes, owner_scope, racer_scope
from profiles.models import RacerProfile
from racing.models import RaceDay, RaceDayChange, TrackLog, Vehicle
from racing.setup_params import COMMON_FIELDS


def _scopes(racer: RacerProfile) -> list[str]:
    return [owner_scope(racer.owner_id), racer_scope(racer.pk)]


def racer_filter_choices(racer: RacerProfile) -> tuple[list[str], list[tuple[int, str]]]:
    """The track log's filter lists, in one cache round trip.

    The distinct tracks of the racer's track log, by name, and the racer's
    vehicles as (id, label), in the garage's order.
    """
    found = cached_in_scopes_many(
        _scopes(racer),
        {
            "tracks": lambda: TrackLog.objects.for_racer(racer).tracks(),
            "vehicle-choices": lambda: [(v.pk, str(v)) for v in Vehicle.objects.for_racer(racer)],
        },
    )
    return found["tracks"], found["vehicle-choices"]


def racer_usual_parameters(racer: RacerProfile, limit: int = 8) -> list[str]:
    """The change form's "Your usual" parameters: the racer's recent, then most changed, then common ones.

    Counting the most changed reads every change the racer ever recorded,
    on every race-day page; the list changes only when a change is recorded
    or deleted, so it is cached under the racer's scope and retired by the
    receivers below.
    """

    def compute() -> list[str]:
        changes = RaceDayChange.objects.for_racer(racer)
        recent = changes.recent_parameters()
        common = [*changes.most_changed_parameters(), *COMMON_FIELDS]
        return list(dict.fromkeys([*recent, *common]))[:limit]

    return cached_in_scopes(_scopes(racer), f"usual-parameters-{limit}", compute)


def _owner_id(vehicle: Vehicle) -> int | None:
    if Vehicle.racer.is_cached(vehicle):
        return vehicle.racer.owner_id
    return RacerProfile.objects.filter(pk=vehicle.racer_id).values_list("owner_id", flat=True).first()


def _vehicle_saved(sender: type[Vehicle], instance: Vehicle, created: bool, **kwargs: Any) -> None:
    scopes = [racer_scope(instance.racer_id)]
    if created and (owner_id := _owner_id(instance)) is not None:
        scopes.append(owner_scope(owner_id))  # the switcher counts vehicles
    invalidate_scopes(*scopes)


def _vehicle_deleted(sender: type[Vehicle], instance: Vehicle, **kwargs: Any) -> None:
    scopes = [racer_scope(instance.racer_id)]
    if (owner_id := _owner_id(instance)) is not None:
        scopes.append(owner_scope(owner_id))
    invalidate_scopes(*scopes)


def _track_log_changed(sender: type[TrackLog], instance: TrackLog, **kwargs: Any) -> None:
    invalidate_scopes(racer_scope(instance.racer_id))


def _change_changed(sender: type[RaceDayChange], instance: RaceDayChange, **kwargs: Any) -> None:
    if RaceDayChange.race_day.is_cached(instance):
        racer_id: int | None = instance.race_day.racer_id
    else:
        racer_id = RaceDay.objects.filter(pk=instance.race_day_id).values_list("racer_id", flat=True).first()
    if racer_id is not None:
        invalidate_scopes(racer_scope(racer_id))


def connect() -> None:
    post_save.connect(_vehicle_saved, sender=Vehicle, dispatch_uid="racing-cache-vehicle-save")
    post_delete.connect(_vehicle_deleted, sender=Vehicle, dispatch_uid="racing-cache-vehicle-delete")
    post_save.connect(_track_log_changed, sender=TrackLog, dispatch_uid="racing-cache-tracklog-save")
    post_delete.connect(_track_log_changed, sender=TrackLog, dispatch_uid="racing-cache-tracklog-delete")
    post_save.connect(_change_changed, sender=RaceDayChange, dispatch_uid="racing-cache-change-save")
    post_delete.connect(_change_changed, sender=RaceDayChange, dispatch_uid="racing-cache-change-delete")
