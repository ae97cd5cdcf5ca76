"""Any two setups side by side: baselines and race days of one's own, library setups of anyone."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apex.http import HtmxHttpRequest, is_authenticated
from library.models import LibrarySetup
from racing.forms import CompareForm
from racing.models import BaselineVersion, RaceDay
from racing.setup_params import diff, grouped, values_of
from racing.setup_values import SetupValues
from racing.views.access import int_or_none

COMPARE_KINDS = {"baseline": "Baseline", "library": "Library setup", "raceday": "Race day"}


def _compare_item(request: HtmxHttpRequest, ref: str) -> tuple[str, SetupValues]:
    """``baseline:12`` / ``library:40`` / ``raceday:5`` → (label, setup); owned ones are checked (404)."""
    kind, _, raw_pk = (ref or "").partition(":")
    pk = int_or_none(raw_pk)
    if kind not in COMPARE_KINDS or pk is None:
        raise Http404("Choose two setups to compare.")
    if kind == "library":
        setup = get_object_or_404(LibrarySetup, pk=pk)
        return f"Library: {setup}", setup
    if not is_authenticated(request):  # compare() sends visitors to log in first
        raise Http404("Choose two setups to compare.")
    if kind == "baseline":
        version = get_object_or_404(
            BaselineVersion.objects.owned_by(request.user).select_related("vehicle"), pk=pk
        )
        return f"{version.vehicle} baseline v{version.number}", version
    race_day = get_object_or_404(RaceDay.objects.owned_by(request.user).select_related("vehicle"), pk=pk)
    return f"Race day: {race_day}", race_day


def _compare_choices(request: HtmxHttpRequest) -> list[tuple[str, list[tuple[str, str]]]]:
    """The active racer's baselines and recent race days, for the pickers."""
    if not is_authenticated(request):
        return []
    baselines = (
        BaselineVersion.objects.for_racer(request.racer)
        .select_related("vehicle")
        .order_by("vehicle", "-number")
    )[:100]
    race_days = RaceDay.objects.for_racer(request.racer).select_related("vehicle")[:50]
    return [
        ("Baselines", [(f"baseline:{v.pk}", str(v)) for v in baselines]),
        ("Race days", [(f"raceday:{d.pk}", str(d)) for d in race_days]),
    ]


@require_GET
def compare(request: HtmxHttpRequest) -> HttpResponse:
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    owned = [ref for ref in (a, b) if ref and not ref.startswith("library:")]
    if owned and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    choices = _compare_choices(request)
    context = {
        "choices": choices,
        "form": CompareForm(initial={"a": a, "b": b}, choices=choices, library_setups={}),
    }
    if not (a and b):
        return render(request, "racing/compare.html", context)
    (label_a, left), (label_b, right) = _compare_item(request, a), _compare_item(request, b)
    library_setups = {ref: label for ref, label in ((a, label_a), (b, label_b)) if ref.startswith("library:")}
    context["form"] = CompareForm(initial={"a": a, "b": b}, choices=choices, library_setups=library_setups)
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
