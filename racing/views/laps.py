"""A race day's laps: imported from a timing file, downloaded as CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apex.http import AuthenticatedHttpRequest
from racing import services
from racing.forms import TimingImportForm
from racing.timing_import import TimingFileError
from racing.views.access import get_own_open_race_day
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
