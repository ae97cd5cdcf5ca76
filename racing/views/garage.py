"""The garage: the active racer's vehicles, and the account's data as legacy CSV."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apex.compiled import compiled
from apex.http import AuthenticatedHttpRequest
from apex.shortcuts import render_page
from racing.forms import VehicleForm
from racing.legacy_csv import export_zip_stream
from racing.models import RaceDay, RaceDayQuerySet, Vehicle, VehicleQuerySet
from racing.setup_params import display_groups
from racing.views.access import get_own_vehicle


@require_GET
@login_required
def vehicle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    vehicles = compiled(_garage_vehicles, request.racer.pk)
    context = {"vehicles": garage_rows(vehicles), "open_days": compiled(_open_days, request.racer.pk)}
    return render(request, "racing/vehicle_list.html", context)


def _open_days(racer_id: int) -> RaceDayQuerySet:
    # Their track, date and vehicle only, not a race day's ~60 setup columns.
    return (
        RaceDay.objects.for_racer(racer_id)
        .open()
        .select_related("vehicle")
        .only("track", "date", "vehicle__brand", "vehicle__model", "vehicle__nickname")
    )


def _garage_vehicles(racer_id: int) -> VehicleQuerySet:
    # Compiled once per process (apex.compiled): its three subqueries took longer to build than to run.
    return Vehicle.objects.filter(racer_id=racer_id).with_garage_summary()


def garage_rows(vehicles: Iterable[Vehicle]) -> list[dict[str, Any]]:
    """What the garage's table shows of each vehicle (``with_garage_summary()``), as plain values.

    The template reads dicts (a model attribute costs the template a failed
    lookup first) with the links already built: 30 vehicles were ~120
    lookups of methods a page.
    """
    rows = []
    for vehicle in vehicles:
        version = vehicle.current_version  # type: ignore[attr-defined]  # annotated
        open_day = vehicle.open_race_day_id  # type: ignore[attr-defined]  # annotated
        rows.append(
            {
                "name": str(vehicle),
                "url": vehicle.get_absolute_url(),
                "transponder": vehicle.transponder,
                "current_version": version,
                "baseline_url": vehicle.get_baseline_versions_url()
                if version
                else vehicle.get_baseline_edit_url(),
                "open_race_day": bool(open_day),
                "race_day_url": vehicle.get_open_race_day_url()
                if open_day
                else vehicle.get_race_day_start_url(),
            }
        )
    return rows


def _save_vehicle(form: VehicleForm) -> Vehicle | None:
    """The saved vehicle, or None with the form's error when a twin landed meanwhile."""
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:  # the same vehicle saved in another tab since the form checked
        form.add_error(None, "You already have this vehicle. Give it a different nickname.")
        return None


@require_http_methods(["GET", "POST"])
@login_required
def vehicle_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = VehicleForm(request.POST or None, racer=request.racer)
    if request.method == "POST" and form.is_valid() and (vehicle := _save_vehicle(form)):
        messages.success(request, f"Added {vehicle} to {request.racer.name}'s garage.")
        return redirect(vehicle)
    return render(request, "racing/vehicle_form.html", {"form": form, "creating": True})


@require_GET
@login_required
def vehicle_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
    baseline = vehicle.current_baseline()
    context = {
        "vehicle": vehicle,
        "baseline": baseline,
        "groups": display_groups(baseline),
        "race_days": vehicle.race_days.all()[:10],
    }
    return render(request, "racing/vehicle_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def vehicle_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
    form = VehicleForm(request.POST or None, instance=vehicle, racer=vehicle.racer)
    if request.method == "POST" and form.is_valid() and _save_vehicle(form):
        messages.success(request, f"Saved {vehicle}.")
        return redirect(vehicle)
    return render(request, "racing/vehicle_form.html", {"form": form, "vehicle": vehicle})


@require_http_methods(["GET", "POST"])
@login_required
def vehicle_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
    if request.method == "POST":
        vehicle.delete()
        messages.success(request, f"Deleted {vehicle} with its baselines and race days.")
        return redirect("vehicle_list")
    return render_page(request, "racing/vehicle_confirm_delete.html", {"vehicle": vehicle}, partial="dialog")


@require_GET
@login_required
def legacy_csv_download(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """All of the user's racers, baselines, library setups and track logs as legacy CSV files."""
    response = StreamingHttpResponse(export_zip_stream(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="apex-legacy-csv.zip"'
    return response
