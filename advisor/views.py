from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisor import services, theory
from advisor.forms import AdviceForm, BaselineAdviceForm, TheorySearchForm, TheoryUploadForm, TryChangeForm
from advisor.models import TheoryDocument
from apex.http import AuthenticatedHttpRequest, HtmxHttpRequest
from apex.shortcuts import render_page
from racing import services as racing_services
from racing.advisor import advise
from racing.idempotency import idempotent
from racing.models import RaceDayChange
from racing.setup_params import BY_FIELD
from racing.views.access import get_own_open_race_day, get_own_race_day, get_own_vehicle
from racing.views.race_days import closed_race_day_redirects

SEARCH_RESULTS = 20


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff add theory documents.")


@require_GET
def theory_list(request: HtmxHttpRequest) -> HttpResponse:
    """The theory library: every document by topic, or a ranked full-text search."""
    form = TheorySearchForm(request.GET or None)
    q = category = ""
    if form.is_valid():
        q, category = form.cleaned_data["q"].strip(), form.cleaned_data["category"]
    documents = TheoryDocument.objects.all()
    if category:
        documents = documents.filter(category=category)
    documents = documents.search(q)[:SEARCH_RESULTS] if q else documents.only("pk", "title", "category")
    context = {"form": form, "q": q, "documents": documents}
    return render_page(request, "advisor/theory_list.html", context, partial="results")


@require_GET
def theory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(TheoryDocument, pk=pk)
    return render(request, "advisor/theory_detail.html", {"document": document})


@require_http_methods(["GET", "POST"])
@login_required
def theory_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    form = TheoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document, outcome = services.theory_document_save(
                parsed=form.cleaned_data["parsed"],
                file_path=f"upload:{form.cleaned_data['file'].name}",
                keep_category=not form.cleaned_data["category"],
            )
        except theory.UnreadableDocument as error:
            form.add_error("file", f"{form.cleaned_data['file'].name}: {error}.")
        else:
            text = {
                services.ImportOutcome.CREATED: "added to the theory library",
                services.ImportOutcome.UPDATED: "updated with the new text",
                services.ImportOutcome.UNCHANGED: "already in the theory library, unchanged",
            }[outcome]
            messages.success(request, f"“{document.title}” {text}.")
            return redirect(document)
    status = 422 if request.method == "POST" else 200
    return render(request, "advisor/theory_upload.html", {"form": form}, status=status)


# --- the advisor ---------------------------------------------------------------------

MAX_SUGGESTIONS = 12


@require_GET
@login_required
def raceday_advice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Tick what the car does; see what to change, why, and what worked before. "Try it" plans the change."""
    race_day = get_own_race_day(request, pk)
    form = AdviceForm(request.GET or None)
    suggestions = []
    if form.is_valid():
        suggestions = advise(
            setup=race_day, symptoms=form.cleaned_data["symptom"], conditions=race_day, racer=race_day.racer
        )[:MAX_SUGGESTIONS]
    context = {"race_day": race_day, "vehicle": race_day.vehicle, "form": form, "suggestions": suggestions}
    return render_page(request, "advisor/advice.html", context, partial="suggestions")


@require_POST
@login_required
@idempotent
@closed_race_day_redirects
def raceday_advice_try(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a suggestion as a planned change: old value from the day's setup, the symptom it is for."""
    race_day = get_own_open_race_day(request, pk)
    form = TryChangeForm(request.POST)
    if form.is_valid():
        param = form.cleaned_data["param"]
        change = racing_services.race_day_change_add(
            race_day=race_day,
            parameter=param.field,
            old_value=param.format(getattr(race_day, param.field)),
            new_value=form.cleaned_data["new_value"],
            reason=form.cleaned_data["reason"],
            symptom=form.cleaned_data["symptom"],
            status=RaceDayChange.Status.PLANNED,
        )
        if not request.htmx:
            messages.success(request, f"Planned: {change}. Mark it tried, kept or reverted below.")
            return redirect(f"{race_day.get_absolute_url()}#changes-title")
        return render_page(
            request, "advisor/advice.html", {"race_day": race_day, "change": change}, partial="tried"
        )
    # The same form again with its errors and what was typed (htmx swaps only 2xx answers).
    context = {
        "race_day": race_day,
        "t_param": BY_FIELD.get(request.POST.get("parameter", "")),
        "t_symptom": request.POST.get("symptom", ""),
        "t_reason": request.POST.get("reason", ""),
        "t_new": request.POST.get("new_value", ""),
        "t_typed": bool(request.POST.get("typed")),
        "t_errors": [error for errors in form.errors.values() for error in errors],
    }
    if request.htmx:
        return render_page(request, "advisor/advice.html", context, partial="tryit")
    return render(request, "advisor/advice_try.html", context, status=422)


@require_GET
@login_required
def baseline_advice(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The advisor on a vehicle's current baseline (no race day: track and conditions are optional)."""
    vehicle = get_own_vehicle(request, pk)
    baseline = vehicle.current_baseline()
    if baseline is None:
        messages.info(request, "Set a baseline first: the advisor suggests changes to it.")
        return redirect("baseline_edit", pk=vehicle.pk)
    form = BaselineAdviceForm(request.GET or None)
    suggestions = []
    if form.is_valid():
        suggestions = advise(
            setup=baseline,
            symptoms=form.cleaned_data["symptom"],
            conditions=form.cleaned_data,
            racer=vehicle.racer,
        )[:MAX_SUGGESTIONS]
    context = {"vehicle": vehicle, "baseline": baseline, "form": form, "suggestions": suggestions}
    return render_page(request, "advisor/advice.html", context, partial="suggestions")
