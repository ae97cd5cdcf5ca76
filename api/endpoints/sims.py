"""The public sim-profile directory (no token) and the caller's own sim profiles."""

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.decorators import decorate_view

from apex.shortcuts import client_ip
from api.auth import READ, WRITE
from api.endpoints.common import PUBLIC_ERRORS, READ_ERRORS, WRITE_ERRORS, account, text_filter
from api.idempotency import idempotent
from api.pagination import PageParams, directory_keyset, keyset
from api.problems import ApiProblem
from api.schemas import SimProfileDetailOut, SimProfileOut, page_of
from sims import services
from sims.models import ProfileAlreadyLinked, SimProfile, Simulator

router = Router(tags=["sim profiles"])
SimProfilePage = page_of(SimProfileOut, "SimProfilePage")


class DirectoryFilters(PageParams):
    q: str = text_filter(100, "Words of the name, identifier or linked username.")
    sim: str = text_filter(50, "A simulator's slug, e.g. iracing.")


def _directory_on() -> None:
    if not settings.ENABLE_PUBLIC_PROFILES:
        raise Http404("The driver directory is switched off.")


@router.get("/sim-profiles", response={200: SimProfilePage, **PUBLIC_ERRORS}, auth=None)
def directory(request: HttpRequest, filters: Query[DirectoryFilters]) -> dict[str, object]:
    """Public sim profiles, most recently active first; ``q`` searches, ``sim`` picks a simulator."""
    _directory_on()
    simulator = None
    if filters.sim:
        simulator = Simulator.objects.filter(slug=filters.sim).first()
        if simulator is None:
            raise ApiProblem(
                422,
                f"sim: no simulator {filters.sim!r}.",
                errors=[{"field": "sim", "message": "No such simulator."}],
            )
    profiles = SimProfile.objects.public().for_simulator(simulator).for_listing()
    if filters.q.strip():
        profiles = profiles.search(filters.q)
    items, cursor = directory_keyset(profiles, filters)
    return {"items": items, "next_cursor": cursor}


@router.get(
    "/sim-profiles/{simulator}/{identifier}", response={200: SimProfileDetailOut, **PUBLIC_ERRORS}, auth=None
)
def directory_detail(request: HttpRequest, simulator: str, identifier: str) -> SimProfile:
    """A public profile with its race results, latest event first."""
    _directory_on()
    if "\x00" in simulator or "\x00" in identifier:
        raise Http404("No such driver profile.")
    profile = (
        SimProfile.objects.public()
        .for_listing()
        .filter(simulator__slug=simulator, profile_identifier=identifier)
        .first()
    )
    if profile is None:
        raise Http404("No such driver profile.")
    profile.results_list = list(profile.results.newest_event_first())  # read by the schema
    return profile


@router.get("/me/sim-profiles", response={200: SimProfilePage, **READ_ERRORS}, auth=READ)
def my_sim_profiles(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """The sim profiles linked to the account (public and private)."""
    profiles = SimProfile.objects.linked_to(account(request)).for_listing()
    items, cursor = keyset(profiles, page, order=("id",))
    return {"items": items, "next_cursor": cursor}


@router.post("/me/sim-profiles/{profile_id}/link", response={200: SimProfileOut, **WRITE_ERRORS}, auth=WRITE)
@decorate_view(idempotent)
def sim_profile_link(request: HttpRequest, profile_id: uuid.UUID) -> SimProfile:
    """Claim a directory profile for the account; 409 when someone else linked it first."""
    user = account(request)
    profile = SimProfile.objects.visible_to(user).for_listing().filter(pk=profile_id).first()
    if profile is None:
        raise Http404("No such sim profile.")
    try:
        services.sim_profile_link(profile=profile, user=user, ip=client_ip(request))
    except ProfileAlreadyLinked:
        profile.refresh_from_db(fields=["linked_user"])
        if profile.linked_user_id == user.pk:
            raise ApiProblem(409, f"{profile.profile_name} is already linked to your account.") from None
        raise ApiProblem(
            409, f"{profile.profile_name} is already linked to another account. If it is yours, contact us."
        ) from None
    return profile


@router.post(
    "/me/sim-profiles/{profile_id}/unlink", response={200: SimProfileOut, **WRITE_ERRORS}, auth=WRITE
)
@decorate_view(idempotent)
def sim_profile_unlink(request: HttpRequest, profile_id: uuid.UUID) -> SimProfile:
    """Unlink one of the account's profiles; its verification goes with it."""
    user = account(request)
    profile = SimProfile.objects.linked_to(user).for_listing().filter(pk=profile_id).first()
    if profile is None:
        raise Http404("No such sim profile of yours.")
    try:
        return services.sim_profile_unlink(profile=profile, user=user, ip=client_ip(request))
    except services.NotLinkedToYou:
        raise Http404("No such sim profile of yours.") from None
