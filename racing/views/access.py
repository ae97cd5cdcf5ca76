"""Ownership: every racing view reaches a racer's rows through these helpers.

Each returns the object or raises (404 when it is not the user's, so other
users cannot tell it exists); none returns a response for the caller to test.
Each also tells the page whose racer it shows (``show_racer_page``): a page
of a racer who is not the active one gets a banner offering the switch, and
its writes are refused until then.
"""

from django.db.models import F
from django.http import Http404

from apex.http import AuthenticatedHttpRequest
from profiles.session import show_racer_page
from racing.models import BaselineVersion, RaceDay, TrackLog, Vehicle
from racing.services import RaceDayClosed


def get_own_vehicle(request: AuthenticatedHttpRequest, pk: int) -> Vehicle:
    """The vehicle if one of the logged-in user's racers has it, else 404."""
    try:
        vehicle = Vehicle.objects.owned_by(request.user).select_related("racer").get(pk=pk)
    except Vehicle.DoesNotExist:
        raise Http404("No such vehicle.") from None
    show_racer_page(request, vehicle.racer)
    return vehicle


def get_own_baseline_version(
    request: AuthenticatedHttpRequest, vehicle_pk: int, number: int
) -> BaselineVersion:
    vehicle = get_own_vehicle(request, vehicle_pk)
    try:
        return vehicle.baseline_versions.select_related("vehicle").get(number=number)
    except BaselineVersion.DoesNotExist:
        raise Http404("No such baseline version.") from None


def get_own_race_day(request: AuthenticatedHttpRequest, pk: int) -> RaceDay:
    try:
        # The baseline version's number, not its ~30 columns and a model: the page names the version.
        race_day = (
            RaceDay.objects.owned_by(request.user)
            .select_related("vehicle", "racer")
            .annotate(based_on_number=F("based_on__number"))
            .get(pk=pk)
        )
    except RaceDay.DoesNotExist:
        raise Http404("No such race day.") from None
    show_racer_page(request, race_day.racer)
    return race_day


def get_own_open_race_day(request: AuthenticatedHttpRequest, pk: int) -> RaceDay:
    """The user's race day while it is open; ``RaceDayClosed`` once it is a record."""
    race_day = get_own_race_day(request, pk)
    if not race_day.is_open:
        raise RaceDayClosed
    return race_day


def get_own_track_log(request: AuthenticatedHttpRequest, pk: int) -> TrackLog:
    try:
        log = TrackLog.objects.owned_by(request.user).select_related("vehicle", "racer").get(pk=pk)
    except TrackLog.DoesNotExist:
        raise Http404("No such track-log entry.") from None
    show_racer_page(request, log.racer)
    return log


def int_or_none(raw: str | None) -> int | None:
    """A whole number from a query or form parameter, or None."""
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None
