import itertools
from decimal import Decimal

from django.utils import timezone

from sims.models import Event, EventResult, SimProfile, Simulator

_ids = itertools.count(1000)


def make_simulator(slug: str = "iracing", name: str | None = None, **fields) -> Simulator:
    simulator, _ = Simulator.objects.get_or_create(
        slug=slug, defaults={"name": name or slug.title(), **fields}
    )
    return simulator


def make_profile(
    simulator: Simulator | None = None, name: str = "Driver", identifier: str | None = None, **fields
) -> SimProfile:
    linked_user = fields.get("linked_user")
    if linked_user is not None:
        fields.setdefault("linked_at", timezone.now())
    return SimProfile.objects.create(
        simulator=simulator or make_simulator(),
        profile_identifier=identifier or str(next(_ids)),
        profile_name=name,
        **fields,
    )


def make_event(simulator: Simulator | None = None, name: str = "Sunday Cup", **fields) -> Event:
    return Event.objects.create(simulator=simulator or make_simulator(), name=name, **fields)


def make_result(event: Event, profile: SimProfile, position: int = 1, **fields) -> EventResult:
    fields.setdefault("points", Decimal("25"))
    return EventResult.objects.create(event=event, sim_profile=profile, position=position, **fields)
