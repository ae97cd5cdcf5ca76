"""Race days: start from the baseline, record changes and rounds, close into the track log, promote."""

from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apex.compiled import compiled
from apex.http import AuthenticatedHttpRequest, View
from apex.pagination import counted_page
from apex.shortcuts import redirect_whole_page, render_page
from racing import services
from racing.forms import (
    RaceDayChangeForm,
    RaceDayChangeStatusForm,
    RaceDayCloseForm,
    RaceDayRoundForm,
    RaceDayStartForm,
)
from racing.idempotency import idempotent, wants_json
from racing.models import RaceDay, RaceDayChange, RaceDayChangeQuerySet, RaceDayRound
from racing.setup_params import BY_FIELD, diff, display_groups, values_of
from racing.views.access import get_own_open_race_day, get_own_race_day, int_or_none


def closed_race_day_redirects(view: View) -> View:
    """A closed race day is a record: whatever the view meant to write, the answer is its page.

    The one place ``RaceDayClosed`` becomes an answer, whether the view found
    the day closed (``get_own_open_race_day``) or a service did under its lock
    (closed in another tab meanwhile): the reason as a message on the race
    day's page. An htmx request is sent there with HX-Redirect, so the page
    and its message replace the screen instead of landing inside a fragment;
    a client asking for JSON gets 409 and the reason.
    """

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.RaceDayClosed as closed:
            if wants_json(request):  # the offline queue shows the reason beside what it could not send
                return JsonResponse({"error": str(closed)}, status=409)
            messages.error(request, str(closed))
            return redirect_whole_page(request, reverse("raceday_detail", args=[kwargs["pk"]]))

    return cast(View, wrapped)


def _refused(form: forms.BaseForm) -> JsonResponse:
    """A form the offline queue sent, refused: each field's errors, shown beside what it kept."""
    return JsonResponse({"errors": form.errors.get_json_data()}, status=422)


def _marked(change: RaceDayChange) -> str:
    return f"{change.param.label}: marked {change.get_status_display().lower()}."


def _changes(race_day_id: int) -> RaceDayChangeQuerySet:
    # Compiled once per process (apex.compiled): read on every view and tap of a race day.
    return RaceDayChange.objects.filter(race_day_id=race_day_id)


def _rounds(race_day_id: int) -> "QuerySet[RaceDayRound]":
    return RaceDayRound.objects.filter(race_day_id=race_day_id)


def round_list(race_day: RaceDay) -> list[RaceDayRound]:
    """The day's rounds with their laps, read when the page shows them (not by every htmx answer)."""

    def read() -> list[RaceDayRound]:
        # Compiled once per process (apex.compiled); the laps only when there are rounds.
        rounds = compiled(_rounds, race_day.pk)
        if rounds:
            prefetch_related_objects(rounds, "laps")
        return rounds

    return cast(list[RaceDayRound], SimpleLazyObject(read))


def change_rows(race_day: RaceDay) -> list[dict[str, Any]]:
    """The day's changes as the page shows them, as plain values with the status buttons chosen.

    Every tap on a status answers with this list, and each row's lookups on
    a model instance (the parameter, its label and unit, the displays, the
    link) cost more than the query (a template-node timer).
    """
    rows = []
    for change in compiled(_changes, race_day.pk):
        param, status = change.param, change.status
        rows.append(
            {
                "pk": change.pk,
                "status": status,
                "status_display": change.get_status_display(),
                "label": param.label,
                "old_value": change.old_value or "not set",
                "new_value": change.new_value or "not set",
                "unit": param.unit,
                "reason": change.reason or "—",
                "symptom": change.get_symptom_display() if change.symptom else "",
                "status_url": change.get_status_url(),
                "buttons": [
                    {
                        "value": value,
                        "label": label,
                        "class": f"status-{value}" if value == status else f"status-{value} secondary",
                        "pressed": "true" if value == status else "false",
                    }
                    for value, label in RaceDayChange.Status.choices
                ],
            }
        )
    return rows


def _raceday_context(race_day: RaceDay, **extra: object) -> dict[str, object]:
    return {
        "race_day": race_day,
        "groups": display_groups(race_day),
        "changes": change_rows(race_day),
        "rounds": round_list(race_day),
        **extra,
    }


def _change_initial(race_day: RaceDay, parameter: str) -> dict[str, str]:
    param = BY_FIELD.get(parameter)
    if param is None:
        return {}
    return {"parameter": param.field, "old_value": param.format(getattr(race_day, param.field))}


def _saved(request: AuthenticatedHttpRequest, race_day: RaceDay, message: str) -> HttpResponse:
    """The answer to a write that worked, for a page (a message and the day) or the offline queue (JSON)."""
    if wants_json(request):
        return JsonResponse({"message": message}, status=201)
    messages.success(request, message)
    return redirect(race_day)


@require_GET
@login_required
def raceday_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = counted_page(request, RaceDay.objects.for_racer(request.racer).select_related("vehicle"))
    return render_page(request, "racing/raceday_list.html", {"page": page}, partial="race_days")


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
def raceday_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, int] = {}
    if vehicle_pk := int_or_none(request.GET.get("vehicle")):
        initial["vehicle"] = vehicle_pk
    form = RaceDayStartForm(request.POST or None, racer=request.racer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            race_day = services.race_day_start(racer=request.racer, **form.cleaned_data)
        except IntegrityError:  # started in another tab since the form checked
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


@require_GET
@login_required
def raceday_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = get_own_race_day(request, pk)
    # "Fill in the old value" submits the change form here by GET (works without JS).
    parameter = request.GET.get("parameter", "")
    initial = {
        name: request.GET[name]
        for name in ("new_value", "reason", "symptom", "status")
        if name in request.GET
    }
    initial |= _change_initial(race_day, parameter)
    change_form = RaceDayChangeForm(race_day=race_day, initial=initial)
    context = _raceday_context(race_day, change_form=change_form, round_form=RaceDayRoundForm())
    return render(request, "racing/raceday_detail.html", context)


@require_POST
@login_required
@idempotent
@closed_race_day_redirects
def raceday_change_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = get_own_open_race_day(request, pk)
    form = RaceDayChangeForm(request.POST, race_day=race_day)
    if form.is_valid():
        services.race_day_change_add(race_day=race_day, **form.cleaned_data)
        if not request.htmx:
            return _saved(request, race_day, "Change recorded.")
        form = RaceDayChangeForm(race_day=race_day)
    elif wants_json(request):
        return _refused(form)
    elif not request.htmx:
        context = _raceday_context(race_day, change_form=form, round_form=RaceDayRoundForm())
        return render(request, "racing/raceday_detail.html", context, status=422)
    # htmx swaps only 2xx answers, so an invalid form comes back as 200 with its errors.
    context = _raceday_context(race_day, change_form=form)
    return render_page(request, "racing/raceday_detail.html", context, partial="workspace")


@require_POST
@login_required
@idempotent
@closed_race_day_redirects
def raceday_change_status(request: AuthenticatedHttpRequest, pk: int, change_pk: int) -> HttpResponse:
    race_day = get_own_open_race_day(request, pk)
    change = get_object_or_404(race_day.changes, pk=change_pk)
    form = RaceDayChangeStatusForm(request.POST)
    saved = form.is_valid()
    if saved:
        services.race_day_change_set_status(change=change, status=form.cleaned_data["status"])
    if wants_json(request):  # a tap the offline queue kept: what it shows beside the tap
        return JsonResponse({"message": _marked(change)}) if saved else _refused(form)
    if not request.htmx:
        if saved:
            messages.success(request, _marked(change))
        else:
            messages.error(request, f"{change.param.label}: choose one of planned, tried, kept or reverted.")
        return redirect(race_day)
    # One tap swaps the changes list and the day's setup; the change form and what it holds stay.
    return render_page(
        request, "racing/raceday_detail.html", _raceday_context(race_day), partial="status_swap"
    )


@require_POST
@login_required
@idempotent
@closed_race_day_redirects
def raceday_round_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = get_own_open_race_day(request, pk)
    form = RaceDayRoundForm(request.POST)
    if form.is_valid():
        services.race_day_round_add(race_day=race_day, **form.cleaned_data)
        if not request.htmx:
            return _saved(request, race_day, "Round recorded.")
        form = RaceDayRoundForm()
    elif wants_json(request):
        return _refused(form)
    elif not request.htmx:
        context = _raceday_context(
            race_day, change_form=RaceDayChangeForm(race_day=race_day), round_form=form
        )
        return render(request, "racing/raceday_detail.html", context, status=422)
    context = {"race_day": race_day, "rounds": round_list(race_day), "round_form": form}
    return render_page(request, "racing/raceday_detail.html", context, partial="rounds")


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
@closed_race_day_redirects
def raceday_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Close the day into the track log; sent by the offline queue too when it was closed without signal."""
    race_day = get_own_open_race_day(request, pk)
    form = RaceDayCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.race_day_close(race_day=race_day, note=form.cleaned_data["note"])
        if wants_json(request):
            return JsonResponse({"message": "Race day closed and summarised in the track log."})
        messages.success(
            request, "Race day closed and summarised in your track log. Keep the day's setup as the baseline?"
        )
        return redirect_whole_page(request, reverse("raceday_promote", args=[race_day.pk]))
    return render(request, "racing/raceday_close.html", {"race_day": race_day, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def raceday_promote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = get_own_race_day(request, pk)
    vehicle = race_day.vehicle
    current = vehicle.current_baseline()
    if request.method == "POST":
        try:
            version = services.race_day_promote(
                race_day=race_day, based_on=int_or_none(request.POST.get("based_on"))
            )
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
    context = {
        "race_day": race_day,
        "vehicle": vehicle,
        "current": current,
        "changes": diff(values_of(current), values_of(race_day)) if current else [],
    }
    return render(request, "racing/raceday_promote.html", context)
