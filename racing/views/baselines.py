"""A vehicle's shop-master baseline: every save is a new version; edit, history, diff, restore."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apex.http import AuthenticatedHttpRequest
from apex.pagination import counted_page
from apex.shortcuts import render_page
from racing import services
from racing.forms import BaselineDiffForm, BaselineForm
from racing.models import BaselineVersion, Vehicle
from racing.setup_params import diff, display_groups, values_of
from racing.views.access import get_own_baseline_version, get_own_vehicle, int_or_none


@require_http_methods(["GET", "POST"])
@login_required
def baseline_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
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
                stale = error.current
                form = _based_on_the_other_save(request, form, stale)
            else:
                messages.success(request, f"Saved baseline version {version.number} of {vehicle}.")
                return redirect(version.get_changes_url())
    else:
        initial = values_of(current) if current else {}
        form = BaselineForm(initial={**initial, "based_on": current.number if current else 0})
    return render(request, "racing/baseline_form.html", _baseline_form_context(vehicle, current, form, stale))


def _based_on_the_other_save(
    request: AuthenticatedHttpRequest, form: BaselineForm, stale: BaselineVersion | None
) -> BaselineForm:
    """Everything typed stays; the next attempt is based on the save that won, so saving again is a choice."""
    number = stale.number if stale else 0
    data = request.POST.copy()
    data["based_on"] = str(number)
    messages.error(
        request,
        f"The baseline was saved somewhere else (version {number}) while you were editing. Your values "
        "are still below; compare them with that version and save again to make yours the current baseline.",
    )
    form = BaselineForm(data)
    form.is_valid()
    return form


def _baseline_form_context(
    vehicle: Vehicle, current: BaselineVersion | None, form: BaselineForm, stale: BaselineVersion | None
) -> dict[str, object]:
    stale_changes = []
    if stale is not None and form.is_valid():
        stale_changes = diff(
            values_of(stale), {name: form.cleaned_data.get(name) for name in values_of(stale)}
        )
    return {
        "vehicle": vehicle,
        "current": current,
        "form": form,
        "stale": stale,
        "stale_rows": display_groups(stale),
        "stale_changes": stale_changes,
        "stale_label": f"Version {stale.number}" if stale else "",
    }


@require_GET
@login_required
def baseline_versions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
    page = counted_page(request, vehicle.baseline_versions.newest_first())
    context = {"vehicle": vehicle, "page": page, "diff_form": BaselineDiffForm()}
    return render_page(request, "racing/baseline_versions.html", context, partial="versions")


@require_GET
@login_required
def baseline_version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_own_baseline_version(request, pk, number)
    current_number = version.vehicle.baseline_versions.current_number()
    context = {
        "vehicle": version.vehicle,
        "version": version,
        "groups": display_groups(version),
        "is_current": version.number == current_number,
        "current_number": current_number,
    }
    return render(request, "racing/baseline_version_detail.html", context)


@require_GET
@login_required
def baseline_diff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    vehicle = get_own_vehicle(request, pk)
    numbers = vehicle.baseline_versions.numbers()
    a, b = int_or_none(request.GET.get("a")), int_or_none(request.GET.get("b"))
    if b is None and numbers:
        b = numbers[0]
    if a is None and b is not None:
        a = b - 1 if b - 1 in numbers else b
    # Only numbers that exist reach the query: an enormous one overflows SQLite's integer.
    versions = {v.number: v for v in vehicle.baseline_versions.filter(number__in={a, b} & set(numbers))}
    old, new = versions.get(a), versions.get(b)
    if numbers and (old is None or new is None):
        raise Http404("No such baseline version.")
    context = {
        "vehicle": vehicle,
        "old": old,
        "new": new,
        "changes": diff(values_of(old), values_of(new)) if old and new else [],
        "diff_form": BaselineDiffForm(
            initial={"a": old and old.number, "b": new and new.number}, numbers=numbers
        ),
        "old_label": f"v{old.number}" if old else "",
        "new_label": f"v{new.number}" if new else "",
    }
    return render(request, "racing/baseline_diff.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def baseline_restore(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_own_baseline_version(request, pk, number)
    vehicle = version.vehicle
    if request.method == "POST":
        new = services.baseline_restore(version=version)
        messages.success(request, f"Restored version {version.number} as version {new.number}.")
        return redirect(new.get_changes_url())
    current = vehicle.current_baseline() or version  # the vehicle has this version at least
    context = {
        "vehicle": vehicle,
        "version": version,
        "current": current,
        "current_label": f"Now (v{current.number})",
        "changes": diff(values_of(current), values_of(version)),
    }
    return render(request, "racing/baseline_confirm_restore.html", context)
