"""Ownership: every racing view reaches a racer's rows through these helpers.

Each returns the object or raises (404 when it is not the user's, so other
users cannot tell it exists); none returns a response for the caller to test.
Each also tells the page whose racer it shows (``show_racer_page``): a page
of a racer who is not the active one gets a banner offering the switch, and
its writes are refused until then.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db.models import F, QuerySet
from django.http import Http404

from apex.compiled import compiled
from apex.http import AuthenticatedHttpRequest
from profiles.session import show_racer_page
from racing.models import (
    BaselineVersion,
    RaceDay,
    RaceDayQuerySet,
    TrackLog,
    TrackLogQuerySet,
    Vehicle,
    VehicleQuerySet,
)
from racing.services import RaceDayClosed

# The lookups below run on every page of a vehicle, race day or track-log
# entry: each is compiled once per process (apex.compiled), as building their
# joined SQL took longer than running it.


def _own_vehicle(pk: int, owner_id: int) -> VehicleQuerySet:
    return Vehicle.objects.owned_by(owner_id).filter(pk=pk).select_related("racer").order_by()


def _own_race_day(pk: int, owner_id: int) -> RaceDayQuerySet:
    # The baseline version's number, not its ~30 columns and a model: the page names the version.
    return (
        RaceDay.objects.owned_by(owner_id)
        .filter(pk=pk)
        .select_related("vehicle", "racer")
        .annotate(based_on_number=F("based_on__number"))
        .order_by()
    )


def _own_track_log(pk: int, owner_id: int) -> TrackLogQuerySet:
    return TrackLog.objects.owned_by(owner_id).filter(pk=pk).select_related("vehicle", "racer").order_by()


Owned = TypeVar("Owned", Vehicle, RaceDay, TrackLog)


def _own(
    build: Callable[[int, int], "QuerySet[Owned]"], request: AuthenticatedHttpRequest, pk: int, missing: str
) -> Owned:
    found = compiled(build, pk, request.user.pk)
    if not found:
        raise Http404(missing)
    show_racer_page(request, found[0].racer)
    return found[0]


def get_own_vehicle(request: AuthenticatedHttpRequest, pk: int) -> Vehicle:
    """The vehicle if one of the logged-in user's racers has it, else 404."""
    return _own(_own_vehicle, request, pk, "No such vehicle.")


def get_own_baseline_version(
    request: AuthenticatedHttpRequest, vehicle_pk: int, number: int
) -> BaselineVersion:
    vehicle = get_own_vehicle(request, vehicle_pk)
    try:
        return vehicle.baseline_versions.select_related("vehicle").get(number=number)
    except BaselineVersion.DoesNotExist:
        raise Http404("No such baseline version.") from None


def get_own_race_day(request: AuthenticatedHttpRequest, pk: int) -> RaceDay:
    return _own(_own_race_day, request, pk, "No such race day.")


def get_own_open_race_day(request: AuthenticatedHttpRequest, pk: int) -> RaceDay:
    """The user's race day while it is open; ``RaceDayClosed`` once it is a record."""
    race_day = get_own_race_day(request, pk)
    if not race_day.is_open:
        raise RaceDayClosed
    return race_day


def get_own_track_log(request: AuthenticatedHttpRequest, pk: int) -> TrackLog:
    return _own(_own_track_log, request, pk, "No such track-log entry.")


def int_or_none(raw: str | None) -> int | None:
    """A whole number from a query or form parameter, or None."""
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None
