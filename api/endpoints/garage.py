"""Vehicles and their baselines: current, versions, and saving a new version."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from api.auth import READ, WRITE
from api.endpoints.common import READ_ERRORS, WRITE_ERRORS, Id, account
from api.idempotency import idempotent
from api.pagination import PageParams, keyset
from api.problems import ApiProblem, field_problem
from api.schemas import BaselineIn, BaselineOut, StaleBaselineProblem, VehicleOut, page_of, setup_form_data
from racing import services
from racing.forms import BaselineForm
from racing.models import BaselineVersion, Vehicle
from racing.setup_params import FIELD_NAMES

router = Router(tags=["garage"])
VehiclePage = page_of(VehicleOut, "VehiclePage")
BaselinePage = page_of(BaselineOut, "BaselinePage")


class VehicleFilters(PageParams):
    racer: Id | None = None


def own_vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    """The vehicle if one of the caller's racers has it, else 404 (others cannot tell it exists)."""
    try:
        return Vehicle.objects.owned_by(account(request)).with_garage_summary().get(pk=vehicle_id)
    except Vehicle.DoesNotExist:
        raise Http404("No such vehicle.") from None


@router.get("/vehicles", response={200: VehiclePage, **READ_ERRORS}, auth=READ)
def vehicle_list(request: HttpRequest, filters: Query[VehicleFilters]) -> dict[str, object]:
    """The account's vehicles (all racers, or one with ``racer``), oldest first."""
    vehicles = Vehicle.objects.owned_by(account(request)).with_garage_summary()
    if filters.racer:
        vehicles = vehicles.filter(racer_id=filters.racer)
    items, cursor = keyset(vehicles, filters, order=("id",))
    return {"items": items, "next_cursor": cursor}


@router.get("/vehicles/{vehicle_id}", response={200: VehicleOut, **READ_ERRORS}, auth=READ)
def vehicle_detail(request: HttpRequest, vehicle_id: Id) -> Vehicle:
    return own_vehicle(request, vehicle_id)


@router.get("/vehicles/{vehicle_id}/baseline", response={200: BaselineOut, **READ_ERRORS}, auth=READ)
def baseline_current(request: HttpRequest, vehicle_id: Id) -> BaselineVersion:
    """The current baseline (the highest version); 404 when the vehicle has none yet."""
    baseline = own_vehicle(request, vehicle_id).current_baseline()
    if baseline is None:
        raise Http404("This vehicle has no baseline yet.")
    return baseline


@router.get(
    "/vehicles/{vehicle_id}/baseline/versions", response={200: BaselinePage, **READ_ERRORS}, auth=READ
)
def baseline_versions(request: HttpRequest, vehicle_id: Id, page: Query[PageParams]) -> dict[str, object]:
    """Every saved version, newest first."""
    vehicle = own_vehicle(request, vehicle_id)
    items, cursor = keyset(vehicle.baseline_versions.all(), page, order=("-number",))
    return {"items": items, "next_cursor": cursor}


@router.post(
    "/vehicles/{vehicle_id}/baseline/versions",
    response={201: BaselineOut, **WRITE_ERRORS, 409: StaleBaselineProblem},
    auth=WRITE,
)
@decorate_view(idempotent)
def baseline_save(request: HttpRequest, vehicle_id: Id, payload: BaselineIn) -> Status[Any]:
    """Save a new baseline version, based on ``based_on``.

    When another save landed since that version (another device, another
    tab), nothing is written: 409 with the current version and your values,
    the same refusal as the baseline page.
    """
    vehicle = own_vehicle(request, vehicle_id)
    unknown = sorted(set(payload.values) - set(FIELD_NAMES))
    if unknown:
        raise field_problem({name: ["Not a setup parameter."] for name in unknown}, prefix="values.")
    data = {**setup_form_data(payload.values), "based_on": str(payload.based_on), "note": payload.note}
    form = BaselineForm(data)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise field_problem(
            {("values." if name in FIELD_NAMES else "") + name: messages for name, messages in errors.items()}
        )
    try:
        version = services.baseline_save(
            vehicle=vehicle,
            values=form.setup_values(),
            note=form.cleaned_data["note"],
            based_on=form.cleaned_data["based_on"],
        )
    except services.StaleBaseline as stale:
        current = stale.current
        number = current.number if current else 0
        raise ApiProblem(
            409,
            f"The baseline was saved somewhere else (version {number}) after version {payload.based_on}, "
            f"which this save is based on. Nothing was saved: compare, then send again with based_on={number}.",
            current=BaselineOut.from_orm(current).model_dump(mode="json") if current else None,
            yours={"based_on": payload.based_on, "note": payload.note, "values": setup_of_values(form)},
        ) from None
    return Status(201, version)


def setup_of_values(form: BaselineForm) -> dict[str, str]:
    values = form.setup_values()
    return {name: "" if value is None else str(value) for name, value in values.items()}
