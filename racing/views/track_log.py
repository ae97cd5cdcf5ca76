"""The active racer's track log: a timeline, filterable by track and vehicle."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apex.dates import day_and_time, iso_datetime
from apex.http import AuthenticatedHttpRequest
from apex.pagination import uncounted_page
from apex.shortcuts import render_page
from racing.caching import racer_filter_choices
from racing.forms import TrackLogFilterForm, TrackLogForm
from racing.idempotency import idempotent
from racing.laps import format_lap
from racing.models import TrackLog
from racing.views.access import get_own_track_log

TIMELINE_FIELDS = (
    "timestamp",
    "track",
    "event",
    "note",
    "vehicle__brand",
    "vehicle__model",
    "vehicle__nickname",
    "race_day__id",
)


def timeline_entries(logs: Iterable[TrackLog]) -> list[dict[str, Any]]:
    """What the timeline shows of each entry, as plain values.

    The template reads dicts (a model attribute costs the template a failed
    lookup first), with the dates and links already written: 20 entries
    were ~40 date filters and 60 link lookups a page.
    """
    entries = []
    for log in logs:
        rounds = log.race_day.rounds.all() if log.race_day else []
        entries.append(
            {
                "datetime": iso_datetime(log.timestamp),
                "when": day_and_time(log.timestamp),
                "track": log.track,
                "event": log.event,
                "vehicle": str(log.vehicle) if log.vehicle else "",
                "race_day_url": log.race_day.get_absolute_url() if log.race_day else "",
                "edit_url": log.get_edit_url(),
                "delete_url": log.get_delete_url(),
                "note": log.note,
                "rounds": [
                    {
                        "kind": round_.get_kind_display(),
                        "laps": round_.stats.count,
                        "best": format_lap(round_.stats.best),
                        "average": format_lap(round_.stats.average),
                        "best_3": format_lap(round_.best_3),
                    }
                    for round_ in rounds
                ],
            }
        )
    return entries


@require_GET
@login_required
def tracklog_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    logs = TrackLog.objects.for_racer(request.racer)
    tracks, vehicles = racer_filter_choices(request.racer)
    filters = TrackLogFilterForm(request.GET, racer=request.racer, tracks=tracks, vehicles=vehicles)
    filtered = filters.is_valid() and any(filters.cleaned_data.values())
    if filtered:
        logs = logs.filtered(track=filters.cleaned_data["track"], vehicle=filters.cleaned_data["vehicle"])
    # Newer/Older without a total: a COUNT of thousands of entries on every
    # visit cost more than the page (the tracks come from the cache). Each
    # race day's rounds and laps come in two queries for the whole page.
    # Only what the timeline shows: a race day's ~60 setup columns, joined to
    # every entry, cost more to select and load than the entry itself.
    logs = logs.select_related("vehicle", "race_day").only(*TIMELINE_FIELDS)
    page = uncounted_page(request, logs.prefetch_related("race_day__rounds__laps"))
    context = {"page": page, "entries": timeline_entries(page), "filters": filters, "filtered": filtered}
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
