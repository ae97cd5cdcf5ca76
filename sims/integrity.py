"""Consistency checks the database constraints do not cover (see verify_sim_profiles)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Lower, Trim

from sims.models import Event, EventResult, SimProfile


@dataclass(frozen=True)
class Check:
    key: str
    title: str


MISSING_IDENTIFIER = Check("missing_identifier", "Profiles without an identifier")
DUPLICATE_IDENTIFIER = Check(
    "duplicate_identifier", "Identifiers used twice on one simulator (ignoring case and spaces)"
)
LINK_WITHOUT_DATE = Check("link_without_date", "Linked profiles without linked_at")
VERIFIED_UNLINKED = Check("verified_unlinked", "Verified profiles with no linked user")
DANGLING_RESULT = Check("dangling_result", "Results pointing at a missing event or profile")


def _profile_line(p: dict) -> str:
    return f"{p['pk']} simulator={p['simulator__slug']} identifier={p['profile_identifier']!r}"


def find_problems() -> dict[Check, list[str]]:
    fields = ["pk", "simulator__slug", "profile_identifier"]
    problems: dict[Check, list[str]] = {}

    problems[MISSING_IDENTIFIER] = [
        _profile_line(p)
        for p in SimProfile.objects.filter(profile_identifier__regex=r"^\s*$").values(*fields)
    ]

    duplicates = (
        SimProfile.objects.annotate(key=Lower(Trim("profile_identifier")))
        .exclude(key="")
        .values("simulator__slug", "key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("simulator__slug", "key")
    )
    problems[DUPLICATE_IDENTIFIER] = [
        f"simulator={d['simulator__slug']} identifier={d['key']!r} used by {d['n']} profiles"
        for d in duplicates
    ]

    problems[LINK_WITHOUT_DATE] = [
        _profile_line(p)
        for p in SimProfile.objects.filter(linked_user__isnull=False, linked_at__isnull=True).values(*fields)
    ]
    problems[VERIFIED_UNLINKED] = [
        _profile_line(p)
        for p in SimProfile.objects.filter(is_verified=True, linked_user__isnull=True).values(*fields)
    ]

    dangling = EventResult.objects.exclude(
        Exists(Event.objects.filter(pk=OuterRef("event_id")))
        & Exists(SimProfile.objects.filter(pk=OuterRef("sim_profile_id")))
    ).values("pk", "event_id", "sim_profile_id")
    problems[DANGLING_RESULT] = [
        f"result {r['pk']} event={r['event_id']} profile={r['sim_profile_id']}" for r in dangling
    ]
    return problems
