from collections.abc import Iterable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlsplit
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apex.caching import DIRECTORY, cache_public_page
from apex.compiled import compiled
from apex.http import AuthenticatedHttpRequest, HtmxHttpRequest, View
from apex.pagination import compiled_uncounted_page, keyset_page
from apex.shortcuts import client_ip, render_page
from sims import services
from sims.charts import results_charts
from sims.forms import ClaimSearchForm, DirectorySearchForm, SimProfileAddForm, VisibilityForm
from sims.models import (
    AddRequest,
    AddRequestQuerySet,
    Event,
    ProfileAlreadyLinked,
    SimProfile,
    SimProfileQuerySet,
    Simulator,
    VerificationRequest,
)

CLAIM_SEARCH_LIMIT = 20
LEGACY_PREFIX = "/users/sim-profiles/"
CURRENT_PREFIX = "/users/profile/sim-profiles/"


def _get_own_sim_profile(request: AuthenticatedHttpRequest, pk: UUID) -> SimProfile:
    """The sim profile if it is linked to the logged-in user, else 404."""
    try:
        return SimProfile.objects.linked_to(request.user).select_related("simulator").get(pk=pk)
    except SimProfile.DoesNotExist:
        raise Http404("No such sim profile of yours.") from None


def _get_own_add_request(request: AuthenticatedHttpRequest, pk: int) -> AddRequest:
    """The add request if the logged-in user made it, else 404."""
    try:
        return AddRequest.objects.requested_by(request.user).select_related("simulator").get(pk=pk)
    except AddRequest.DoesNotExist:
        raise Http404("No such add request of yours.") from None


def public_directory(view: View) -> View:
    """The public pages exist only while ENABLE_PUBLIC_PROFILES is on (read per request)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.ENABLE_PUBLIC_PROFILES:
            raise Http404("The driver directory is switched off.")
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


# --- Public directory -------------------------------------------------------


def _directory(
    request: HtmxHttpRequest, *, simulator: Simulator | None, searching: bool, title: str
) -> HttpResponse:
    if simulator is not None:
        # A simulator's own page: the path chooses the simulator, and the
        # search box starts from it.
        form = DirectorySearchForm(initial={"sim": simulator})
        q = ""
    else:
        form = DirectorySearchForm(request.GET or None)
        filters = form.cleaned_or_empty()
        simulator = filters["sim"]
        q = filters["q"] if searching else ""
    profiles = SimProfile.objects.public().for_simulator(simulator).for_listing()
    if q:
        profiles = profiles.search(q)
    page = keyset_page(profiles, request.GET, keep={"q": q, "sim": simulator.slug if simulator else ""})
    context = {
        "form": form,
        "page": page,
        "profiles": page.items,
        "rows": directory_rows(page.items),
        "simulator": simulator,
        "q": q,
        "searching": searching,
        "title": title,
    }
    return render_page(request, "sims/directory.html", context, partial="results")


# A profile's status in the directory: (label, badge classes).
_VERIFIED, _LINKED, _UNCLAIMED = ("Verified", "badge ok"), ("Linked", "badge"), ("Unclaimed", "badge warn")


def directory_rows(profiles: Iterable[SimProfile]) -> list[dict[str, str]]:
    """What the directory's table shows of each profile (``for_listing()``), as plain values.

    The template reads dicts with the links built: on model instances each
    of the ~10 lookups a row makes tries a dict lookup first and calls
    methods (24 rows rendered in about 1 ms afterwards, by a template-node timer).
    """
    rows = []
    for profile in profiles:
        simulator = profile.simulator
        linked = profile.linked_user_id is not None
        status = _VERIFIED if profile.is_verified else _LINKED if linked else _UNCLAIMED
        rows.append(
            {
                "name": profile.profile_name,
                "url": profile.get_absolute_url(),
                "username": profile.linked_user.username if linked else "",  # type: ignore[union-attr]
                "simulator": simulator.name,
                "simulator_url": simulator.get_absolute_url(),
                "identifier": profile.profile_identifier,
                "status": status[0],
                "badge": status[1],
            }
        )
    return rows


@require_GET
@public_directory
@cache_public_page(DIRECTORY)
def sim_profile_browse(request: HtmxHttpRequest) -> HttpResponse:
    return _directory(request, simulator=None, searching=False, title="Driver profiles")


@require_GET
@public_directory
@cache_public_page(DIRECTORY)
def sim_profile_search(request: HtmxHttpRequest) -> HttpResponse:
    return _directory(request, simulator=None, searching=True, title="Search drivers")


@require_GET
@public_directory
@cache_public_page(DIRECTORY)
def simulator_profiles(request: HtmxHttpRequest, simulator_slug: str) -> HttpResponse:
    simulator = get_object_or_404(Simulator, slug=simulator_slug)
    return _directory(request, simulator=simulator, searching=False, title=f"{simulator.name} drivers")


@require_GET
@cache_public_page(DIRECTORY)
def sim_profile_detail(
    request: HtmxHttpRequest, simulator_slug: str, profile_identifier: str
) -> HttpResponse:
    if "\x00" in profile_identifier:  # PostgreSQL text cannot hold NUL: no such profile
        raise Http404("No such driver profile.")
    profile = get_object_or_404(
        SimProfile.objects.for_listing(),
        simulator__slug=simulator_slug,
        profile_identifier=profile_identifier,
    )
    is_owner = request.user.is_authenticated and profile.linked_user_id == request.user.pk
    # Private profiles, and the whole directory when it is switched off, are
    # their linked user's alone.
    if not is_owner and (not profile.is_public or not settings.ENABLE_PUBLIC_PROFILES):
        raise Http404("No such driver profile.")
    results = list(profile.results.newest_event_first())
    pending = None
    if is_owner:
        pending = VerificationRequest.objects.live().for_profile(profile).first()
    position_chart, best_lap_chart = results_charts(results)
    context = {
        "profile": profile,
        "results": results,
        "is_owner": is_owner,
        "pending": pending,
        "charts": [position_chart, best_lap_chart],
    }
    if is_owner:
        context["visibility"] = VisibilityForm.toggle(profile)
    return render_page(request, "sims/profile_detail.html", context, partial="results")


@require_GET
@public_directory
@cache_public_page(DIRECTORY)
def sim_event_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("simulator"), pk=pk)
    results = event.results.by_position()
    return render_page(
        request, "sims/event_detail.html", {"event": event, "results": results}, partial="results"
    )


# --- My sim profiles ----------------------------------------------------------


def _my_profiles_page(
    request: AuthenticatedHttpRequest, params: QueryDict | None = None, **extra: object
) -> HttpResponse:
    # 20 a page, not counted: a driver with a hundred profiles got one 124 KB page.
    page = compiled_uncounted_page(request, _linked_profiles, request.user.pk, params=params)
    # Codes waiting for staff, for this page's profiles: one query.
    waiting = [profile.pk for profile in page if not profile.is_verified]
    pending = (
        {
            code.profile_id: code
            for code in VerificationRequest.objects.live().filter(
                profile__in=waiting, requested_by=request.user
            )
        }
        if waiting
        else {}
    )
    rows = my_profile_rows(page, pending)
    # Read only when the whole page is drawn: htmx refreshes just the list above it.
    user_id = request.user.pk
    add_requests = SimpleLazyObject(lambda: compiled(_live_add_requests, user_id))
    context = {"rows": rows, "page": page, "add_requests": add_requests, **extra}
    return render_page(request, "sims/my_profiles.html", context, partial="profiles")


def _linked_profiles(user_id: int) -> SimProfileQuerySet:
    return SimProfile.objects.linked_to(user_id).select_related("simulator").by_simulator()


def _live_add_requests(user_id: int) -> AddRequestQuerySet:
    # Compiled once per process (apex.compiled): building it cost more than running it.
    return AddRequest.objects.requested_by(user_id).live().for_listing()


def my_profile_rows(
    profiles: Iterable[SimProfile], pending: dict[UUID, VerificationRequest]
) -> list[dict[str, object]]:
    """What My Sim Profiles shows of each linked profile, as plain values with the links built.

    Each row's visibility toggle is one of two hidden inputs, each rendered
    once by its form: 20 rows of forms, links and lookups on model instances
    took 6.5 of the page's 28 ms (a template-node timer).
    """
    toggles: dict[bool, SafeString] = {}
    rows = []
    for profile in profiles:
        public = profile.is_public
        if public not in toggles:
            toggles[public] = VisibilityForm.toggle(profile)["is_public"].as_widget()
        rows.append(
            {
                "pk": profile.pk,
                "name": profile.profile_name,
                "url": profile.get_absolute_url(),
                "simulator": profile.simulator.name,
                "identifier": profile.profile_identifier,
                "verified": profile.is_verified,
                "pending": pending.get(profile.pk),
                "verify_url": profile.get_verify_url(),
                "public": public,
                "visibility_url": profile.get_visibility_url(),
                "visibility_toggle": toggles[public],
                "unlink_url": profile.get_unlink_url(),
            }
        )
    return rows


def _current_page_params(request: AuthenticatedHttpRequest) -> QueryDict:
    """The query of the page an htmx request came from, so the list it refreshes stays on its page."""
    current = request.htmx.current_url or ""
    return QueryDict(urlsplit(current).query)


@require_GET
@login_required
def my_sim_profiles(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _my_profiles_page(request)


@require_GET
@login_required
def my_sim_profile_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ClaimSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    results = []
    if q:
        # The newest matches, read down the recent-activity index until 20 are
        # found, then shown by name: ordering by name first sorted every match
        # (30,000 for "ann") to show 20.
        found = SimProfile.objects.claimable().search(q).for_listing().recent_first()[:CLAIM_SEARCH_LIMIT]
        results = sorted(found, key=lambda p: (p.profile_name.casefold(), p.pk))
    context = {"form": form, "q": q, "results": results, "limit": CLAIM_SEARCH_LIMIT}
    return render_page(request, "sims/claim_search.html", context, partial="results")


@require_http_methods(["GET", "POST"])
@login_required
def sim_profile_link(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    profile = get_object_or_404(SimProfile.objects.visible_to(request.user).for_listing(), pk=pk)
    if request.method == "POST":
        try:
            services.sim_profile_link(profile=profile, user=request.user, ip=client_ip(request))
        except ProfileAlreadyLinked:
            profile.refresh_from_db(fields=["linked_user"])
            if profile.linked_user_id == request.user.pk:
                messages.info(request, f"{profile.profile_name} is already linked to your account.")
            else:
                messages.error(
                    request,
                    f"{profile.profile_name} is already linked to another account. "
                    "If it is yours, contact us to have it checked.",
                )
            return redirect("my_sim_profiles")
        messages.success(
            request,
            f"Linked {profile.profile_name} ({profile.simulator.name}) to your account. "
            "Verify it to show the badge.",
        )
        return redirect("my_sim_profiles")
    return render_page(request, "sims/link_confirm.html", {"profile": profile}, partial="dialog")


@require_http_methods(["GET", "POST"])
@login_required
def sim_profile_unlink(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    profile = _get_own_sim_profile(request, pk)
    if request.method == "POST":
        was_verified = profile.is_verified
        try:
            services.sim_profile_unlink(profile=profile, user=request.user, ip=client_ip(request))
        except services.NotLinkedToYou:
            raise Http404("No such sim profile of yours.") from None
        messages.success(
            request,
            f"Unlinked {profile.profile_name}."
            + (" Its verified badge was removed." if was_verified else ""),
        )
        return redirect("my_sim_profiles")
    return render_page(request, "sims/unlink_confirm.html", {"profile": profile}, partial="dialog")


@require_POST
@login_required
def sim_profile_visibility(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    profile = _get_own_sim_profile(request, pk)
    form = VisibilityForm(request.POST)
    form.is_valid()  # a missing checkbox is False: a valid answer
    is_public = form.cleaned_data.get("is_public", False)
    services.sim_profile_set_visibility(
        profile=profile, user=request.user, is_public=is_public, ip=client_ip(request)
    )
    if is_public:
        notice = f"{profile.profile_name} is public: anyone can find it."
    else:
        notice = f"{profile.profile_name} is private: only you can see it."
    if request.htmx:
        # The list, refreshed in place on the page the user is on.
        return _my_profiles_page(request, _current_page_params(request), notice=notice)
    messages.success(request, notice)
    return redirect("my_sim_profiles")


@require_http_methods(["GET", "POST"])
@login_required
def sim_profile_verify(request: AuthenticatedHttpRequest, pk: UUID) -> HttpResponse:
    profile = _get_own_sim_profile(request, pk)
    if request.method == "POST":
        if profile.is_verified:
            messages.info(request, f"{profile.profile_name} is already verified.")
        else:
            services.verification_request(profile=profile, user=request.user, ip=client_ip(request))
            messages.success(request, "Your code is ready. Put it in your profile on the simulator's site.")
        return redirect("sim_profile_verify", pk=profile.pk)
    pending = VerificationRequest.objects.live().for_profile(profile).first()
    return render_page(
        request, "sims/verify.html", {"profile": profile, "pending": pending}, partial="verification"
    )


@require_http_methods(["GET", "POST"])
@login_required
def sim_profile_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SimProfileAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.sim_profile_add(
                simulator=data["simulator"],
                identifier=data["profile_identifier"],
                name=data["profile_name"],
                user=request.user,
                ip=client_ip(request),
            )
        except services.TooManyAddRequests as exc:
            form.add_error(None, str(exc))
        else:
            return _added(request, added)
    return render_page(request, "sims/profile_add.html", {"form": form}, partial="form")


def _added(request: AuthenticatedHttpRequest, added: SimProfile | AddRequest) -> HttpResponse:
    """The answer to an add: a request's code, or where the visible profile with that ID is."""
    if isinstance(added, AddRequest):
        # A new ID and a private profile of someone else's get this same answer.
        simulator = added.simulator.name
        notice = (
            f"We've noted {added.profile_identifier} on {simulator}. To add it, prove it's yours: "
            f"put the code {added.code} in your profile on {simulator} (for example in its bio or "
            "status) within 48 hours, and our staff check it."
        )
        if request.user.email:
            notice += " We've e-mailed you the steps."
        messages.success(request, notice)
        return redirect("my_sim_profiles")
    profile = added
    if profile.linked_user_id == request.user.pk:
        messages.info(request, f"{profile.profile_name} is already yours.")
        return redirect("my_sim_profiles")
    if profile.linked_user_id is None:
        messages.info(request, "That driver is already in the directory: claim it here.")
        return redirect("sim_profile_link", pk=profile.pk)
    # Public and someone else's: the directory shows as much.
    messages.error(request, "That driver is already in the directory and linked to another account.")
    if settings.ENABLE_PUBLIC_PROFILES:
        return redirect(profile)
    return redirect("my_sim_profiles")


@require_http_methods(["GET", "POST"])
@login_required
def sim_add_request_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    add_request = _get_own_add_request(request, pk)
    what = f"{add_request.profile_identifier} on {add_request.simulator.name}"
    if add_request.status != AddRequest.Status.PENDING:
        messages.info(
            request, f"The request for {what} is already {add_request.get_status_display().lower()}."
        )
        return redirect("my_sim_profiles")
    if request.method == "POST":
        try:
            services.add_request_cancel(request=add_request, user=request.user, ip=client_ip(request))
        except services.AddRequestClosed:
            messages.info(request, f"The request for {what} was decided meanwhile; nothing changed.")
        else:
            messages.success(request, f"Cancelled the request for {what}. Its code no longer counts.")
        return redirect("my_sim_profiles")
    context = {"add_request": add_request}
    return render_page(request, "sims/add_request_cancel_confirm.html", context, partial="dialog")


@require_GET
def legacy_redirect(request: HttpRequest, rest: str = "") -> HttpResponse:
    """``/users/sim-profiles/…`` moved under ``/users/profile/``: same rest, same query."""
    full = request.get_full_path()
    return HttpResponsePermanentRedirect(CURRENT_PREFIX + full[len(LEGACY_PREFIX) :])
