"""Race days: start, list, detail, add changes and rounds, close into the track log; the track log."""

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django import forms
from django.db import IntegrityError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from api.auth import READ, WRITE
from api.endpoints.common import READ_ERRORS, WRITE_ERRORS, Id, account, text_filter
from api.endpoints.garage import own_vehicle
from api.idempotency import idempotent
from api.pagination import PageParams, keyset
from api.problems import ApiProblem, field_problem
from api.schemas import (
    ChangeIn,
    ChangeOut,
    CloseIn,
    RaceDayDetailOut,
    RaceDayOut,
    RaceDayStartIn,
    RoundIn,
    RoundOut,
    TrackLogOut,
    page_of,
)
from racing import services
from racing.forms import RaceDayChangeForm, RaceDayCloseForm, RaceDayRoundForm, RaceDayStartForm
from racing.models import RaceDay, RaceDayChange, RaceDayRound, TrackLog

router = Router(tags=["race days"])
RaceDayPage = page_of(RaceDayOut, "RaceDayPage")
TrackLogPage = page_of(TrackLogOut, "TrackLogPage")


class RaceDayFilters(PageParams):
    racer: Id | None = None
    vehicle: Id | None = None
    status: Literal["open", "closed"] | None = None


class TrackLogFilters(PageParams):
    racer: Id | None = None
    track: str = text_filter(120, "The track, any case.")
    vehicle: Id | None = None


def own_race_day(request: HttpRequest, race_day_id: int) -> RaceDay:
    try:
        return (
            RaceDay.objects.owned_by(account(request))
            .select_related("vehicle", "racer", "based_on")
            .get(pk=race_day_id)
        )
    except RaceDay.DoesNotExist:
        raise Http404("No such race day.") from None


T = TypeVar("T")


def _form_errors(form: Any) -> ApiProblem:
    return field_problem({name: list(messages) for name, messages in form.errors.items()})


def _closed(error: services.RaceDayClosed) -> ApiProblem:
    return ApiProblem(409, str(error))


def _write_to_day(form: forms.BaseForm, write: Callable[[dict[str, Any]], T]) -> T:
    """Validate ``form`` (422 with its field errors), then ``write`` its data (409 once the day is closed)."""
    if not form.is_valid():
        raise _form_errors(form)
    try:
        return write(form.cleaned_data)
    except services.RaceDayClosed as closed:
        raise _closed(closed) from None


@router.get("/race-days", response={200: RaceDayPage, **READ_ERRORS}, auth=READ)
def race_day_list(request: HttpRequest, filters: Query[RaceDayFilters]) -> dict[str, object]:
    """The account's race days, newest first."""
    days = RaceDay.objects.owned_by(account(request)).select_related("based_on")
    if filters.racer:
        days = days.filter(racer_id=filters.racer)
    if filters.vehicle:
        days = days.filter(vehicle_id=filters.vehicle)
    if filters.status:
        days = days.filter(status=filters.status)
    items, cursor = keyset(days, filters, order=("-date", "-id"))
    return {"items": items, "next_cursor": cursor}


@router.post("/race-days", response={201: RaceDayDetailOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def race_day_start(request: HttpRequest, payload: RaceDayStartIn) -> Status[RaceDay]:
    """Open a race day at a track; its setup starts as a copy of the vehicle's current baseline."""
    vehicle = own_vehicle(request, payload.vehicle)
    data = payload.dict()
    data["temperature"] = "" if payload.temperature is None else str(payload.temperature)
    form = RaceDayStartForm({**data, "vehicle": vehicle.pk}, racer=vehicle.racer)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        race_day = services.race_day_start(racer=vehicle.racer, **form.cleaned_data)
    except IntegrityError:  # started elsewhere since the form checked
        raise ApiProblem(
            409, "This vehicle already has an open race day. Close it before starting another."
        ) from None
    return Status(201, own_race_day(request, race_day.pk))


@router.get("/race-days/{race_day_id}", response={200: RaceDayDetailOut, **READ_ERRORS}, auth=READ)
def race_day_detail(request: HttpRequest, race_day_id: Id) -> RaceDay:
    """The race day with its setup, changes and rounds."""
    return own_race_day(request, race_day_id)


@router.post("/race-days/{race_day_id}/changes", response={201: ChangeOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def race_day_change_add(request: HttpRequest, race_day_id: Id, payload: ChangeIn) -> Status[RaceDayChange]:
    """Record a change (old → new, why, status); tried and kept changes go onto the day's setup."""
    race_day = own_race_day(request, race_day_id)
    form = RaceDayChangeForm(payload.dict(), race_day=race_day)
    return Status(
        201, _write_to_day(form, lambda data: services.race_day_change_add(race_day=race_day, **data))
    )


@router.post("/race-days/{race_day_id}/rounds", response={201: RoundOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def race_day_round_add(request: HttpRequest, race_day_id: Id, payload: RoundIn) -> Status[RaceDayRound]:
    """Record a round (practice, qualifier, main) with its result, note and lap times."""
    race_day = own_race_day(request, race_day_id)
    # The page's form reads laps as pasted text; the API takes a list.
    form = RaceDayRoundForm({**payload.dict(), "laps": ", ".join(str(lap) for lap in payload.laps)})
    return Status(
        201, _write_to_day(form, lambda data: services.race_day_round_add(race_day=race_day, **data))
    )


@router.post("/race-days/{race_day_id}/close", response={200: TrackLogOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def race_day_close(request: HttpRequest, race_day_id: Id, payload: CloseIn) -> TrackLog:
    """Close the day: it becomes a record, and a track-log entry summarises it (returned)."""
    race_day = own_race_day(request, race_day_id)
    form = RaceDayCloseForm(payload.dict())
    return _write_to_day(form, lambda data: services.race_day_close(race_day=race_day, note=data["note"]))


@router.get("/track-log", response={200: TrackLogPage, **READ_ERRORS}, auth=READ)
def track_log(request: HttpRequest, filters: Query[TrackLogFilters]) -> dict[str, object]:
    """The track log, newest first, filtered like the page: by track and vehicle (and racer)."""
    logs = TrackLog.objects.owned_by(account(request)).filtered(track=filters.track, vehicle=filters.vehicle)
    if filters.racer:
        logs = logs.filter(racer_id=filters.racer)
    items, cursor = keyset(logs, filters, order=("-timestamp", "-id"))
    return {"items": items, "next_cursor": cursor}
