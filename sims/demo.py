"""Demo rows for ``make run``: simulators, drivers, one event, a verified profile, one awaiting its code
and an ID waiting to be added."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from profiles.models import User
from sims import services
from sims.models import SimProfile, Simulator
from sims.services import ResultRow

SIMULATORS = [("iRacing", "iracing"), ("Assetto Corsa Competizione", "acc"), ("rFactor 2", "rfactor2")]
DRIVERS = [
    # identifier, name, position, laps, best lap (ms), points
    ("100001", "Alex Demo", 1, 24, 92_345, Decimal("25")),
    ("100002", "Jordan Apex", 2, 24, 92_811, Decimal("18")),
    ("100003", "Casey Late-Brake", 3, 24, 93_102, Decimal("15")),
    ("100004", "Robin Slipstream", 4, 23, 93_640, Decimal("12")),
]


def load_demo(user: User) -> None:
    sims = {}
    for name, slug in SIMULATORS:
        sims[slug], _ = Simulator.objects.get_or_create(slug=slug, defaults={"name": name})
    rows = [ResultRow(i, *driver) for i, driver in enumerate(DRIVERS, start=2)]
    services.results_import(
        simulator=sims["iracing"],
        event_name="Apex Demo Cup · Round 1",
        rows=rows,
        source="demo",
        start_time=timezone.now() - dt.timedelta(days=3),
    )
    SimProfile.objects.get_or_create(
        simulator=sims["acc"], profile_identifier="S76561198000000001", defaults={"profile_name": "Alex Demo"}
    )
    mine = SimProfile.objects.select_related("simulator").get(
        simulator=sims["iracing"], profile_identifier="100001"
    )
    if mine.linked_user_id is None:
        services.sim_profile_link(profile=mine, user=user, ip=None)
    if not mine.is_verified:  # the badge, as if staff had checked the code
        code = services.verification_request(profile=mine, user=user, ip=None)
        services.verification_decide(request=code, staff=user, approve=True, ip=None)
    # A second profile linked and waiting for its code to be checked.
    acc = SimProfile.objects.select_related("simulator").get(
        simulator=sims["acc"], profile_identifier="S76561198000000001"
    )
    if acc.linked_user_id is None:
        services.sim_profile_link(profile=acc, user=user, ip=None)
        services.verification_request(profile=acc, user=user, ip=None)
    # An ID the directory does not have, waiting for staff to see its code.
    services.add_request_open(
        simulator=sims["rfactor2"], identifier="RF2-ALEXDEMO", name="Alex Demo", user=user, ip=None
    )
