"""The active racer's track log: a timeline, filterable by track and vehicle."""

from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apex.dates import day_and_time, iso_datetime
from apex.http import AuthenticatedHttpRequest
from apex.links import link
from apex.pagination import compiled_uncounted_page, uncounted_page
from apex.shortcuts import render_page
from racing.caching import racer_filter_choices
from racing.forms import TrackLogFilterForm, TrackLogForm
from racing.idempotency import idempotent
from racing.laps import best_consecutive, format_lap, lap_stats
from racing.models import RaceDayLap, RaceDayRound, TrackLog, TrackLogQuerySet
from racing.views.access import get_own_track_log

TIMELINE_FIELDS = (
    "timestamp",
    "track",
    "event",
    "note",
    "vehicle__brand",
    "vehicle__model",
    "vehicle__nickname",
    "race_day",
)


def _timeline(racer_id: int) -> TrackLogQuerySet:
    # Only what the timeline shows: a race day is linked by its id alone.
    return TrackLog.objects.for_racer(racer_id).select_related("vehicle").only(*TIMELINE_FIELDS)


def round_summaries(race_day_ids: Collection[int]) -> dict[int, list[dict[str, Any]]]:
    """Each race day's rounds as the timeline shows them, from two flat queries for the whole page.

    Lap times as plain values, not a model per lap through a prefetch: 20
    entries with no rounds at all spent 3 ms in the prefetch's machinery.
    The figures come from the same functions as a round's own (``lap_stats``,
    ``best_consecutive``, laps in ``lap_no`` order).
    """
    if not race_day_ids:
        return {}
    rounds = list(
        RaceDayRound.objects.filter(race_day_id__in=race_day_ids)
        .order_by("created_at", "id")
        .values_list("id", "race_day_id", "kind")
    )
    if not rounds:
        return {}
    times: dict[int, list[Decimal]] = defaultdict(list)
    laps = RaceDayLap.objects.filter(round_id__in=[round_id for round_id, _, _ in rounds])
    for round_id, time in laps.order_by("round_id", "lap_no").values_list("round_id", "time"):
        times[round_id].append(time)
    kinds = dict(RaceDayRound.Kind.choices)
    summaries: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for round_id, race_day_id, kind in rounds:
        stats = lap_stats(times[round_id])
        summaries[race_day_id].append(
            {
                "kind": kinds.get(kind, kind),
                "laps": stats.count,
                "best": format_lap(stats.best),
                "average": format_lap(stats.average),
                "best_3": format_lap(best_consecutive(times[round_id], 3)),
            }
        )
    return summaries


def timeline_entries(logs: Collection[TrackLog]) -> list[dict[str, Any]]:
    """What the timeline shows of each entry, as plain values.

    The template reads dicts (a model attribute costs the template a failed
    lookup first), with the dates and links already written: 20 entries
    were ~40 date filters and 60 link lookups a page.
    """
    rounds = round_summaries({log.race_day_id for log in logs if log.race_day_id is not None})
    entries = []
    for log in logs:
        race_day_id = log.race_day_id
        entries.append(
            {
                "datetime": iso_datetime(log.timestamp),
                "when": day_and_time(log.timestamp),
                "track": log.track,
                "event": log.event,
                "vehicle": str(log.vehicle) if log.vehicle else "",
                "race_day_url": link("raceday_detail", race_day_id) if race_day_id is not None else "",
                "edit_url": log.get_edit_url(),
                "delete_url": log.get_delete_url(),
                "note": log.note,
                "rounds": rounds.get(race_day_id, []) if race_day_id is not None else [],
            }
        )
    return entries


@require_GET
@login_required
def tracklog_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tracks, vehicles = racer_filter_choices(request.racer)
    # Unbound when nothing is filtered (page 1, ?page=N): its selects are then kept by {% memo %}.
    asked = "track" in request.GET or "vehicle" in request.GET
    filters = TrackLogFilterForm(
        request.GET if asked else None, racer=request.racer, tracks=tracks, vehicles=vehicles
    )
    filtered = filters.is_valid() and any(filters.cleaned_data.values())
    # Newer/Older without a total: a COUNT of thousands of entries on every
    # visit cost more than the page (the tracks come from the cache). Each
    # race day's rounds and laps come in two queries for the whole page.
    if filtered:
        logs = _timeline(request.racer.pk).filtered(
            track=filters.cleaned_data["track"], vehicle=filters.cleaned_data["vehicle"]
        )
        page = uncounted_page(request, logs)
    else:  # the whole log, the page opened most: its SQL compiled once per process
        page = compiled_uncounted_page(request, _timeline, request.racer.pk)
    context = {
        "page": page,
        "entries": timeline_entries(page.object_list),
        "filters": filters,
        "filtered": filtered,
    }
    return render_page(request, "racing/tracklog_list.html", context, partial="timeline")


@require_http_methods(["GET", "POST"])
@login_required
@idempotent
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
    log = get_own_track_log(request, pk)
    form = TrackLogForm(request.POST or None, instance=log, racer=log.racer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved the track-log entry.")
        return redirect("tracklog_list")
    return render(request, "racing/tracklog_form.html", {"form": form, "log": log})


@require_http_methods(["GET", "POST"])
@login_required
def tracklog_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    log = get_own_track_log(request, pk)
    if request.method == "POST":
        log.delete()
        messages.success(request, "Deleted the track-log entry.")
        return redirect("tracklog_list")
    return render_page(request, "racing/tracklog_confirm_delete.html", {"log": log}, partial="dialog")
