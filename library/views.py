from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apex.caching import LIBRARY, cache_public_page, cached_in_generation
from apex.http import AuthenticatedHttpRequest, HtmxHttpRequest, is_authenticated
from apex.pagination import uncounted_page
from apex.shortcuts import render_page
from library import services
from library.forms import LibrarySearchForm, LibrarySetupForm, UseAsBaselineForm
from library.models import LibrarySetup
from racing.models import Vehicle
from racing.setup_params import display_groups

# The vehicle "Use as my baseline" offers first; cleared when the racer changes.
LIBRARY_TARGET_KEY = "racing:library_target_vehicle"
LIBRARY_CHOICES_TTL = 300  # seconds


def _get_editable_library_setup(request: AuthenticatedHttpRequest, pk: int) -> LibrarySetup:
    """The setup when the user added it (or is staff); 404 when missing, 403 (saying why) when not theirs."""
    setup = get_object_or_404(LibrarySetup.objects.select_related("added_by"), pk=pk)
    if not setup.can_edit(request.user):
        author = setup.added_by.username if setup.added_by else "another member"
        raise PermissionDenied(
            f"Only the person who shared this setup can change it. {setup} was added by {author}. "
            "You can still use it as your baseline, compare it with yours, or share your own version."
        )
    return setup


def _library_filter_choices() -> dict[str, list[str]]:
    """The distinct values for the filter selects, cached.

    Four DISTINCTs over the whole library take about 0.4 s at 200,000 setups.
    The values are cached in the library's page generation, so any library
    write (a form, the admin, an import) retires them with the pages.
    """
    return cached_in_generation(
        LIBRARY,
        "filter-choices",
        lambda: {name: LibrarySetup.objects.choices_for(name) for name in LibrarySearchForm.FILTERS},
        LIBRARY_CHOICES_TTL,
    )


@require_GET
@cache_public_page(LIBRARY)
def library_list(request: HtmxHttpRequest) -> HttpResponse:
    search = LibrarySearchForm(request.GET, filter_choices=_library_filter_choices)
    setups = (
        LibrarySetup.objects.search(search.query())
        .filtered(**search.filters())
        .select_related("added_by")
        .order_by(F("date").desc(nulls_last=True), "-id")
    )
    page = uncounted_page(request, setups)
    searching = bool(search.query() or any(search.filters().values()))
    context = {"page": page, "search": search, "searching": searching}
    return render_page(request, "library/setup_list.html", context, partial="results")


@require_GET
@cache_public_page(LIBRARY)
def library_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    setup = get_object_or_404(LibrarySetup.objects.select_related("added_by"), pk=pk)
    context: dict[str, object] = {
        "setup": setup,
        "groups": display_groups(setup),
        "can_edit": setup.can_edit(request.user),
    }
    if is_authenticated(request):
        context["vehicles"] = Vehicle.objects.for_racer(request.racer).with_garage_summary()
        context["use_form"] = UseAsBaselineForm(
            racer=request.racer, initial={"vehicle": request.session.get(LIBRARY_TARGET_KEY)}
        )
    return render(request, "library/setup_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def library_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = LibrarySetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.added_by = request.user
        setup = form.save()
        messages.success(request, "Added your setup to the library. Thanks for sharing!")
        return redirect(setup)
    return render(request, "library/setup_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@login_required
def library_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    setup = _get_editable_library_setup(request, pk)
    form = LibrarySetupForm(request.POST or None, instance=setup)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved the library setup.")
        return redirect(setup)
    return render(request, "library/setup_form.html", {"form": form, "setup": setup})


@require_http_methods(["GET", "POST"])
@login_required
def library_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    setup = _get_editable_library_setup(request, pk)
    if request.method == "POST":
        setup.delete()
        messages.success(request, f"Deleted {setup} from the library.")
        return redirect("library_list")
    return render_page(request, "library/setup_confirm_delete.html", {"setup": setup}, partial="dialog")


@require_POST
@login_required
def library_use(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    setup = get_object_or_404(LibrarySetup, pk=pk)
    form = UseAsBaselineForm(request.POST, racer=request.racer)
    if not form.is_valid():
        messages.error(request, f"Choose one of {request.racer.name}'s vehicles.")
        return redirect(setup)
    vehicle = form.cleaned_data["vehicle"]
    request.session[LIBRARY_TARGET_KEY] = vehicle.pk
    version = services.library_setup_use_as_baseline(setup=setup, vehicle=vehicle)
    messages.success(request, f"{setup} is now baseline version {version.number} of {vehicle}.")
    return redirect(version.get_changes_url())
