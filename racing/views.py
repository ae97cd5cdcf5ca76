from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apex.http import AuthenticatedHttpRequest
from apex.pagination import counted_page
from apex.shortcuts import render_page
from library.models import LibrarySetup
from racing import legacy_csv, services
from racing.forms import (
    BaselineForm,
    RaceDayChangeForm,
    RaceDayChangeStatusForm,
    RaceDayCloseForm,
    RaceDayRoundForm,
    RaceDayStartForm,
    TrackLogFilterForm,
    TrackLogForm,
    VehicleForm,
)
from racing.models import BaselineVersion, RaceDay, RaceDayChange, TrackLog, Vehicle
from racing.setup_params import BY_FIELD, diff, display_groups, grouped, values_of

# --- ownership ---------------------------------------------------------------


def _get_own_vehicle(request: AuthenticatedHttpRequest, pk: int) -> Vehicle:
    """The vehicle if one of the logged-in user's racers has it, else 404."""
    try:
        return Vehicle.objects.owned_by(request.user).select_related("racer").get(pk=pk)
    except Vehicle.DoesNotExist:
        raise Http404("No such vehicle.") from None


def _get_own_baseline_version(request: AuthenticatedHttpRequest, vehicle_pk: int, number: int):
    vehicle = _get_own_vehicle(request, vehicle_pk)
    try:
        return vehicle.baseline_versions.select_related("vehicle").get(number=number)
    except BaselineVersion.DoesNotExist:
        raise Http404("No such baseline version.") from None


def _get_own_race_day(request: AuthenticatedHttpRequest, pk: int) -> RaceDay:
    try:
        return (
            RaceDay.objects.owned_by(request.user).select_related("vehicle", "racer", "based_on").get(pk=pk)
        )
    except RaceDay.DoesNotExist:
        raise Http404("No such race day.") from None


def _get_own_track_log(request: AuthenticatedHttpRequest, pk: int) -> TrackLog:
    try:
        return TrackLog.objects.owned_by(request.user).select_related("vehicle").get(pk=pk)
    except TrackLog.DoesNotExist:
        raise Http404("No such track-log entry.") from None


# --- vehicles ----------------------------------------------------------------


@require_GET
@login_required
def vehicle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    vehicles = Vehicle.objects.for_racer(request.racer).with_garage_summary()
    open_days = RaceDay.objects.for_racer(request.racer).open().select_related("vehicle")
    return render(request, "racing/vehicle_list.html", {"vehicles": vehicles, "open_days": open_days})


@require_http_methods(["GET", "POST"])
@login_required
def vehicle_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = VehicleForm(request.POST or None, racer=request.racer)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                vehicle = form.save()
        except IntegrityError:
            form.add_error(None, "You already have this vehicle. Give it a different nickname.")
        else:
            messages.success(request, f"Added {vehicle} to {request.racer.name}'s garage.")
            return redirect(vehicle)
    return render(request, "racing/vehicle_form.html", {"form": form, "creating": True})


@require_GET
@login_required
def vehicle_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = _get_own_vehicle(request, pk)
    baseline = vehicle.current_baseline()
    race_days = vehicle.race_days.all()[:10]
    return render(
        request,
        "racing/vehicle_detail.html",
        {
            "vehicle": vehicle,
            "baseline": baseline,
            "groups": display_groups(baseline),
            "race_days": race_days,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def vehicle_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = _get_own_vehicle(request, pk)
    form = VehicleForm(request.POST or None, instance=vehicle, racer=vehicle.racer)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            form.add_error(None, "You already have this vehicle. Give it a different nickname.")
        else:
            messages.success(request, f"Saved {vehicle}.")
            return redirect(vehicle)
    return render(request, "racing/vehicle_form.html", {"form": form, "vehicle": vehicle})


@require_http_methods(["GET", "POST"])
@login_required
def vehicle_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = _get_own_vehicle(request, pk)
    if request.method == "POST":
        vehicle.delete()
        messages.success(request, f"Deleted {vehicle} with its baselines and race days.")
        return redirect("vehicle_list")
    return render_page(request, "racing/vehicle_confirm_delete.html", {"vehicle": vehicle}, partial="dialog")


# --- baselines -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def baseline_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = _get_own_vehicle(request, pk)
    current = vehicle.current_baseline()
    stale = None
    if request.method == "POST":
        form = BaselineForm(request.POST)
        if form.is_valid():
            try:
                version = services.baseline_save(
                    vehicle=vehicle,
                    values=form.setup_values(),
                    note=form.cleaned_data["note"],
                    based_on=form.cleaned_data["based_on"],
                )
            except services.StaleBaseline as error:
                # Keep everything typed; show what the other save holds and
                # base the next attempt on it, so saving again is a choice.
                stale = error.current
                data = request.POST.copy()
                data["based_on"] = str(stale.number if stale else 0)
                form = BaselineForm(data)
                form.is_valid()
                messages.error(
                    request,
                    f"The baseline was saved somewhere else (version {stale.number if stale else 0}) "
                    "while you were editing. Your values are still below; compare them with that "
                    "version and save again to make yours the current baseline.",
                )
            else:
                messages.success(request, f"Saved baseline version {version.number} of {vehicle}.")
                return redirect(version.get_changes_url())
    else:
        initial = values_of(current) if current else {}
        form = BaselineForm(initial={**initial, "based_on": current.number if current else 0})
    stale_changes = []
    if stale is not None and form.is_bound:
        typed = {name: form.cleaned_data.get(name) for name in values_of(stale)} if form.is_valid() else {}
        stale_changes = diff(values_of(stale), typed) if typed else []
    return render(
        request,
        "racing/baseline_form.html",
        {
            "vehicle": vehicle,
            "current": current,
            "form": form,
            "stale": stale,
            "stale_rows": display_groups(stale),
            "stale_changes": stale_changes,
            "stale_label": f"Version {stale.number}" if stale else "",
        },
    )


@require_GET
@login_required
def baseline_versions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = _get_own_vehicle(request, pk)
    page = counted_page(request, vehicle.baseline_versions.order_by("-number"))
    return render_page(
        request, "racing/baseline_versions.html", {"vehicle": vehicle, "page": page}, partial="versions"
    )


@require_GET
@login_required
def baseline_version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_own_baseline_version(request, pk, number)
    current_number = version.vehicle.baseline_versions.order_by("-number").values_list("number", flat=True)[0]
    return render(
        request,
        "racing/baseline_version_detail.html",
        {
            "vehicle": version.vehicle,
            "version": version,
            "groups": display_groups(version),
            "is_current": version.number == current_number,
            "current_number": current_number,
        },
    )


@require_GET
@login_required
def baseline_diff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = _get_own_vehicle(request, pk)
    numbers = list(vehicle.baseline_versions.order_by("-number").values_list("number", flat=True))
    a, b = _int_or_none(request.GET.get("a")), _int_or_none(request.GET.get("b"))
    if b is None and numbers:
        b = numbers[0]
    if a is None and b is not None:
        a = b - 1 if b - 1 in numbers else b
    # Only numbers that exist reach the query: an enormous one overflows SQLite's integer.
    versions = {v.number: v for v in vehicle.baseline_versions.filter(number__in={a, b} & set(numbers))}
    old, new = versions.get(a), versions.get(b)
    if numbers and (old is None or new is None):
        raise Http404("No such baseline version.")
    changes = diff(values_of(old), values_of(new)) if old and new else []
    return render(
        request,
        "racing/baseline_diff.html",
        {
            "vehicle": vehicle,
            "old": old,
            "new": new,
            "changes": changes,
            "numbers": numbers,
            "old_label": f"v{old.number}" if old else "",
            "new_label": f"v{new.number}" if new else "",
        },
    )


def _int_or_none(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@login_required
def baseline_restore(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = _get_own_baseline_version(request, pk, number)
    vehicle = version.vehicle
    if request.method == "POST":
        new = services.baseline_restore(version=version)
        messages.success(request, f"Restored version {version.number} as version {new.number}.")
        return redirect(new.get_changes_url())
    current = vehicle.current_baseline()
    return render(
        request,
        "racing/baseline_confirm_restore.html",
        {
            "vehicle": vehicle,
            "version": version,
            "current": current,
            "current_label": f"Now (v{current.number})",
            "changes": diff(values_of(current), values_of(version)),
        },
    )


# --- compare -------------------------------------------------------------------

COMPARE_KINDS = {"baseline": "Baseline", "library": "Library setup", "raceday": "Race day"}


def _compare_item(request: HttpRequest, ref: str):
    """``baseline:12`` / ``library:40`` / ``raceday:5`` → (label, object); owned ones are checked."""
    kind, _, raw_pk = (ref or "").partition(":")
    pk = _int_or_none(raw_pk)
    if kind not in COMPARE_KINDS or pk is None:
        raise Http404("Choose two setups to compare.")
    if kind == "library":
        setup = get_object_or_404(LibrarySetup, pk=pk)
        return f"Library: {setup}", setup
    if kind == "baseline":
        version = get_object_or_404(
            BaselineVersion.objects.owned_by(request.user).select_related("vehicle"), pk=pk
        )
        return f"{version.vehicle} baseline v{version.number}", version
    race_day = get_object_or_404(RaceDay.objects.owned_by(request.user).select_related("vehicle"), pk=pk)
    return f"Race day: {race_day}", race_day


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    owned = [ref for ref in (a, b) if ref and not ref.startswith("library:")]
    if owned and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {
        "choices": _compare_choices(request),
        "pickers": [("a", a, "First setup"), ("b", b, "Second setup")],
    }
    if not (a and b):
        return render(request, "racing/compare.html", context)
    (label_a, left), (label_b, right) = _compare_item(request, a), _compare_item(request, b)
    values_a, values_b = values_of(left), values_of(right)
    changed = {p.field for p, _old, _new in diff(values_a, values_b)}
    context["groups"] = [
        (
            label,
            [
                (p, p.format(values_a[p.field]), p.format(values_b[p.field]), p.field in changed)
                for p in params
            ],
        )
        for _key, label, params in grouped()
    ]
    context.update(label_a=label_a, label_b=label_b, changed_count=len(changed))
    return render(request, "racing/compare.html", context)


def _compare_choices(request: HttpRequest) -> list[tuple[str, list[tuple[str, str]]]]:
    """The active racer's current baselines and recent race days, for the pickers."""
    if not request.user.is_authenticated:
        return []
    vehicles = Vehicle.objects.for_racer(request.racer)
    baselines = (
        BaselineVersion.objects.filter(vehicle__in=vehicles)
        .select_related("vehicle")
        .order_by("vehicle", "-number")
    )[:100]
    race_days = RaceDay.objects.for_racer(request.racer).select_related("vehicle")[:50]
    return [
        ("Baselines", [(f"baseline:{v.pk}", str(v)) for v in baselines]),
        ("Race days", [(f"raceday:{d.pk}", str(d)) for d in race_days]),
    ]


# --- race days -------------------------------------------------------------------


@require_GET
@login_required
def raceday_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    race_days = RaceDay.objects.for_racer(request.racer).select_related("vehicle")
    page = counted_page(request, race_days)
    return render_page(request, "racing/raceday_list.html", {"page": page}, partial="race_days")


@require_http_methods(["GET", "POST"])
@login_required
def raceday_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {}
    if vehicle_pk := _int_or_none(request.GET.get("vehicle")):
        initial["vehicle"] = vehicle_pk
    form = RaceDayStartForm(request.POST or None, racer=request.racer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            race_day = services.race_day_start(racer=request.racer, **data)
        except IntegrityError:
            form.add_error("vehicle", "This vehicle already has an open race day.")
        else:
            baseline = race_day.based_on
            messages.success(
                request,
                f"Race day started. Setup copied from baseline version {baseline.number}."
                if baseline
                else "Race day started. The vehicle has no baseline yet, so the setup starts blank.",
            )
            return redirect(race_day)
    return render(request, "racing/raceday_start.html", {"form": form})


def _raceday_context(race_day: RaceDay, **extra) -> dict:
    return {
        "race_day": race_day,
        "groups": display_groups(race_day),
        "changes": race_day.changes.all(),
        "rounds": race_day.rounds.all(),
        "status_choices": RaceDayChange.Status.choices,
        **extra,
    }


@require_GET
@login_required
def raceday_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = _get_own_race_day(request, pk)
    # "Fill in the old value" submits the change form here by GET (works without JS).
    parameter = request.GET.get("parameter", "")
    initial = {name: request.GET[name] for name in ("new_value", "reason", "status") if name in request.GET}
    initial |= _change_initial(race_day, parameter)
    change_form = RaceDayChangeForm(race_day=race_day, initial=initial)
    context = _raceday_context(race_day, change_form=change_form, round_form=RaceDayRoundForm())
    return render(request, "racing/raceday_detail.html", context)


def _change_initial(race_day: RaceDay, parameter: str) -> dict:
    param = BY_FIELD.get(parameter)
    if param is None:
        return {}
    return {"parameter": param.field, "old_value": param.format(getattr(race_day, param.field))}


@require_GET
@login_required
def raceday_change_old_value(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The old-value field, prefilled from the day's setup when a parameter is chosen (htmx)."""
    race_day = _get_own_race_day(request, pk)
    parameter = request.GET.get("parameter", "")
    form = RaceDayChangeForm(race_day=race_day, initial=_change_initial(race_day, parameter))
    if not request.htmx:
        return redirect(f"{race_day.get_absolute_url()}?parameter={parameter}#add-change")
    return render(request, "racing/raceday_detail.html#old_value", {"change_form": form})


@require_POST
@login_required
def raceday_change_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = _get_own_race_day(request, pk)
    if not race_day.is_open:
        messages.error(request, "This race day is closed; it takes no more changes.")
        return redirect(race_day)
    form = RaceDayChangeForm(request.POST, race_day=race_day)
    if form.is_valid():
        try:
            services.race_day_change_add(race_day=race_day, **form.cleaned_data)
        except services.RaceDayClosed:  # closed in another tab since the check above
            messages.error(request, "This race day is closed; it takes no more changes.")
            return redirect(race_day)
        if not request.htmx:
            messages.success(request, "Change recorded.")
            return redirect(race_day)
        form = RaceDayChangeForm(race_day=race_day)
    elif not request.htmx:
        context = _raceday_context(race_day, change_form=form, round_form=RaceDayRoundForm())
        return render(request, "racing/raceday_detail.html", context, status=422)
    # htmx swaps only 2xx answers, so an invalid form comes back as 200 with its errors.
    context = _raceday_context(race_day, change_form=form)
    return render_page(request, "racing/raceday_detail.html", context, partial="workspace")


@require_POST
@login_required
def raceday_change_status(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> HttpResponse:
    race_day = _get_own_race_day(request, pk)
    change = get_object_or_404(race_day.changes, pk=change_pk)
    form = RaceDayChangeStatusForm(request.POST)
    if not race_day.is_open:
        messages.error(request, "This race day is closed; its changes are a record now.")
        return redirect(race_day)
    if form.is_valid():
        try:
            services.race_day_change_set_status(change=change, status=form.cleaned_data["status"])
        except services.RaceDayClosed:  # closed in another tab since the check above
            messages.error(request, "This race day is closed; its changes are a record now.")
            return redirect(race_day)
    if not request.htmx:
        if form.is_valid():
            messages.success(request, f"{change.param.label}: marked {change.get_status_display().lower()}.")
        else:
            messages.error(request, f"{change.param.label}: choose one of planned, tried, kept or reverted.")
        return redirect(race_day)
    context = _raceday_context(race_day, change_form=RaceDayChangeForm(race_day=race_day))
    return render_page(request, "racing/raceday_detail.html", context, partial="workspace")


@require_POST
@login_required
def raceday_round_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = _get_own_race_day(request, pk)
    if not race_day.is_open:
        messages.error(request, "This race day is closed; it takes no more rounds.")
        return redirect(race_day)
    form = RaceDayRoundForm(request.POST)
    if form.is_valid():
        try:
            services.race_day_round_add(race_day=race_day, **form.cleaned_data)
        except services.RaceDayClosed:  # closed in another tab since the check above
            messages.error(request, "This race day is closed; it takes no more rounds.")
            return redirect(race_day)
        if not request.htmx:
            messages.success(request, "Round recorded.")
            return redirect(race_day)
        form = RaceDayRoundForm()
    elif not request.htmx:
        context = _raceday_context(
            race_day, change_form=RaceDayChangeForm(race_day=race_day), round_form=form
        )
        return render(request, "racing/raceday_detail.html", context, status=422)
    return render_page(
        request,
        "racing/raceday_detail.html",
        {"race_day": race_day, "rounds": race_day.rounds.all(), "round_form": form},
        partial="rounds",
    )


@require_http_methods(["GET", "POST"])
@login_required
def raceday_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = _get_own_race_day(request, pk)
    if not race_day.is_open:
        messages.info(request, "This race day is already closed.")
        return redirect(race_day)
    form = RaceDayCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.race_day_close(race_day=race_day, note=form.cleaned_data["note"])
        messages.success(
            request, "Race day closed and summarised in your track log. Keep the day's setup as the baseline?"
        )
        return redirect("raceday_promote", pk=race_day.pk)
    return render(request, "racing/raceday_close.html", {"race_day": race_day, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def raceday_promote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = _get_own_race_day(request, pk)
    vehicle = race_day.vehicle
    current = vehicle.current_baseline()
    if request.method == "POST":
        based_on = _int_or_none(request.POST.get("based_on"))
        try:
            version = services.race_day_promote(race_day=race_day, based_on=based_on)
        except services.StaleBaseline:
            messages.error(
                request,
                "The baseline changed while you were looking. Check the differences below and promote again.",
            )
            return redirect("raceday_promote", pk=race_day.pk)
        messages.success(
            request, f"The race day's setup is now baseline version {version.number} of {vehicle}."
        )
        return redirect(version.get_changes_url())
    changes = diff(values_of(current), values_of(race_day))
    return render(
        request,
        "racing/raceday_promote.html",
        {"race_day": race_day, "vehicle": vehicle, "current": current, "changes": changes},
    )


# --- track log ---------------------------------------------------------------------


@require_GET
@login_required
def tracklog_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    logs = TrackLog.objects.for_racer(request.racer)
    tracks = list(logs.order_by("track").values_list("track", flat=True).distinct())
    filters = TrackLogFilterForm(request.GET, racer=request.racer, tracks=tracks)
    if filters.is_valid():
        logs = logs.filtered(track=filters.cleaned_data["track"], vehicle=filters.cleaned_data["vehicle"])
    page = counted_page(request, logs.select_related("vehicle", "race_day"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "racing/tracklog_list.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
        partial="timeline",
    )


@require_http_methods(["GET", "POST"])
@login_required
def tracklog_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TrackLogForm(request.POST or None, racer=request.racer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Added to your track log.")
        return redirect("tracklog_list")
    return render(request, "racing/tracklog_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@login_required
def tracklog_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = _get_own_track_log(request, pk)
    form = TrackLogForm(request.POST or None, instance=log, racer=log.racer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved the track-log entry.")
        return redirect("tracklog_list")
    return render(request, "racing/tracklog_form.html", {"form": form, "log": log})


@require_http_methods(["GET", "POST"])
@login_required
def tracklog_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = _get_own_track_log(request, pk)
    if request.method == "POST":
        log.delete()
        messages.success(request, "Deleted the track-log entry.")
        return redirect("tracklog_list")
    return render_page(request, "racing/tracklog_confirm_delete.html", {"log": log}, partial="dialog")


# --- legacy CSV download ----------------------------------------------------------


@require_GET
@login_required
def legacy_csv_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """All of the user's racers, baselines, library setups and track logs as legacy CSV files."""
    response = HttpResponse(legacy_csv.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="apex-legacy-csv.zip"'
    return response
