"""Post-event analysis pages: a race day's laps and changes, two lap sets compared, a vehicle's history."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apex.http import AuthenticatedHttpRequest
from racing import analysis
from racing.forms import LapCompareForm
from racing.models import RaceDay, RaceDayRound
from racing.views.access import get_own_race_day, get_own_vehicle

# How many recent race days the compare pickers offer.
COMPARE_CHOICES = 40


def _lap_sets(request: AuthenticatedHttpRequest, keys: list[str]) -> list[analysis.LapSet]:
    """The user's rounds and whole race days by their picker values ("round:12", "day:3"), in a few queries."""
    wanted = [(kind, int(raw)) for kind, _, raw in (key.partition(":") for key in keys)]
    rounds = {
        r.pk: r
        for r in RaceDayRound.objects.filter(
            race_day__racer__owner=request.user, pk__in=[pk for kind, pk in wanted if kind == "round"]
        )
        .select_related("race_day")
        .prefetch_related("laps")
    }
    # Each round's number within its race day (R1, R2 …).
    siblings = RaceDayRound.objects.filter(race_day__in={r.race_day_id for r in rounds.values()})
    numbers: dict[int, int] = {}
    per_day: dict[int, int] = {}
    for day_id, pk in siblings.order_by("created_at", "id").values_list("race_day_id", "pk"):
        per_day[day_id] = per_day.get(day_id, 0) + 1
        numbers[pk] = per_day[day_id]
    days = {
        d.pk: d
        for d in RaceDay.objects.owned_by(request.user)
        .filter(pk__in=[pk for kind, pk in wanted if kind == "day"])
        .prefetch_related("rounds__laps")
    }
    sets = []
    for key, (kind, pk) in zip(keys, wanted, strict=True):
        if kind == "round" and pk in rounds:
            round_, day = rounds[pk], rounds[pk].race_day
            name = f"{day.track} {day.date:%-d %b} {analysis.round_name(numbers[pk], round_)}"
            sets.append(analysis.LapSet(key, name, round_.lap_times()))
        elif kind == "day" and pk in days:
            day = days[pk]
            laps = [lap for r in day.rounds.all() for lap in r.lap_times()]
            sets.append(analysis.LapSet(key, f"{day.track} {day.date:%-d %b} (whole day)", laps))
        else:
            raise Http404("No such round or race day.")
    return sets


@require_GET
@login_required
def raceday_analysis(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    race_day = get_own_race_day(request, pk)
    result = analysis.race_day_analysis(
        race_day, list(race_day.rounds.prefetch_related("laps")), list(race_day.changes.all())
    )
    compare_form = LapCompareForm(initial={"a": f"day:{race_day.pk}"}, race_days=_recent_days(request))
    context = {"race_day": race_day, "analysis": result, "compare_form": compare_form}
    return render(request, "racing/raceday_analysis.html", context)


def _recent_days(request: AuthenticatedHttpRequest) -> list[RaceDay]:
    days = RaceDay.objects.for_racer(request.racer).select_related("vehicle").prefetch_related("rounds")
    return list(days[:COMPARE_CHOICES])


@require_GET
@login_required
def laps_compare(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LapCompareForm(request.GET or None, race_days=_recent_days(request))
    context: dict[str, object] = {"form": form}
    if form.is_valid():
        sets = _lap_sets(request, [form.cleaned_data["a"], form.cleaned_data["b"]])
        context |= {
            "sets": sets,
            "chart": analysis.compare_chart(sets),
            "lap_table": analysis.lap_table([s.laps for s in sets]),
            "set_names": [s.name for s in sets],
        }
    return render(request, "racing/laps_compare.html", context)


_TRACK = forms.CharField(required=False, max_length=120)


@require_GET
@login_required
def vehicle_lap_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
    tracks = list(vehicle.race_days.order_by("track").values_list("track", flat=True).distinct())
    # The track from the URL is a form value like any other: a NUL byte or an
    # over-long name is no track (PostgreSQL refuses NUL in text), not an error.
    try:
        asked = _TRACK.clean(request.GET.get("track", ""))
    except ValidationError:
        asked = ""
    track = asked or (vehicle.race_days.values_list("track", flat=True).first() or "")
    days = (
        vehicle.race_days.filter(track__iexact=track)
        .select_related("based_on")
        .prefetch_related("rounds__laps")
        .order_by("date", "id")
    )
    rows, chart = analysis.vehicle_history(list(days))
    context = {"vehicle": vehicle, "tracks": tracks, "track": track, "rows": rows, "chart": chart}
    return render(request, "racing/vehicle_lap_history.html", context)
