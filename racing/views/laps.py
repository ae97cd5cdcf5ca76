"""A race day's laps: imported from a timing file, downloaded as CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from apex import csv as apex_csv
from apex.http import AuthenticatedHttpRequest
from racing import services
from racing.forms import TimingImportForm
from racing.laps import format_lap
from racing.timing_import import TimingFileError
from racing.views.access import get_own_open_race_day, get_own_race_day
from racing.views.race_days import closed_race_day_redirects


@require_http_methods(["GET", "POST"])
@login_required
@closed_race_day_redirects
def raceday_laps_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = get_own_open_race_day(request, pk)
    form = TimingImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            round_, match = services.race_day_laps_import(
                race_day=race_day,
                data=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                format=form.cleaned_data["format"],
                source=form.file_name,
            )
        except TimingFileError as error:
            problems = [f"Line {line}: {reason}" if line else reason for line, reason in error.problems]
        else:
            count = len(match.laps)
            messages.success(
                request,
                f"{round_.get_kind_display()}: {count} lap{'s' if count != 1 else ''} of "
                f"{match.competitor.name or match.competitor.transponder} imported (matched by {match.by}).",
            )
            return redirect(race_day)
    status = 422 if request.method == "POST" else 200
    context = {"race_day": race_day, "form": form, "problems": problems}
    return render(request, "racing/raceday_laps_import.html", context, status=status)


@require_GET
@login_required
def raceday_laps_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every lap of the race day, one row each, for a spreadsheet."""
    race_day = get_own_race_day(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"laps-{slugify(race_day.track) or 'race-day'}-{race_day.date:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    out = apex_csv.writer(response)
    out.writerow(["Track", "Date", "Vehicle", "Round", "Kind", "Result", "Lap", "Time (s)", "Time"])
    for number, round_ in enumerate(race_day.rounds.prefetch_related("laps"), start=1):
        for lap in round_.laps.all():
            out.writerow(
                [
                    race_day.track,
                    f"{race_day.date:%Y-%m-%d}",
                    race_day.vehicle,
                    number,
                    round_.get_kind_display(),
                    round_.result,
                    lap.lap_no,
                    lap.time,
                    format_lap(lap.time),
                ]
            )
    return response
