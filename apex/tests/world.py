"""A small, complete world of one owner's data, for the cross-cutting tests.

An owner with a racer (and a sponsor), two vehicles, two baseline versions, an
open race day with a change and a round, a track-log entry, a library setup
they added, a public and a private sim profile linked to them with a pending
verification request, and an event with a result; another user and a staff
user who own nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from library.models import LibrarySetup
from profiles import services as profile_services
from profiles.models import RacerProfile, Sponsor, User
from racing import services as racing_services
from racing.models import (
    BaselineVersion,
    RaceDay,
    RaceDayChange,
    RaceDayRound,
    TrackLog,
    Vehicle,
)
from racing.tests.factories import SETUP
from sims.models import AddRequest, AuditEntry, Event, EventResult, SimProfile, Simulator, VerificationRequest


@dataclass
class World:
    owner: User
    other: User
    staff: User
    racer: RacerProfile
    sponsor: Sponsor
    vehicle: Vehicle
    spare_vehicle: Vehicle
    race_day: RaceDay
    change: RaceDayChange
    track_log: TrackLog
    library_setup: LibrarySetup
    simulator: Simulator
    sim_profile: SimProfile
    private_profile: SimProfile
    event: Event
    extra: dict = field(default_factory=dict)


def _user(username: str, **fields) -> User:
    # No password: force_login needs none, and hashing one is slow.
    return User.objects.create_user(username=username, email=f"{username}@example.com", **fields)


def build_world() -> World:
    owner, other = _user("owner"), _user("intruder")
    staff = _user("staff", is_staff=True, is_superuser=True)
    racer = profile_services.get_or_create_default_profile(owner)
    sponsor = Sponsor.objects.create(racer=racer, name="Tyres Ltd")
    vehicle = Vehicle.objects.create(racer=racer, brand="Mugen", model="MBX8R")
    spare = Vehicle.objects.create(racer=racer, brand="Xray", model="XB8")
    racing_services.baseline_save(vehicle=vehicle, values=SETUP, note="first")
    racing_services.baseline_save(vehicle=vehicle, values={**SETUP, "df": 9000}, note="second", based_on=1)
    race_day = racing_services.race_day_start(
        racer=racer, vehicle=vehicle, track="Genk", date=dt.date(2025, 5, 4)
    )
    change = racing_services.race_day_change_add(
        race_day=race_day, parameter="df", old_value="9000", new_value="10000"
    )
    racing_services.race_day_round_add(race_day=race_day, kind="practice", result="P3")
    track_log = TrackLog.objects.create(racer=racer, timestamp=timezone.now(), track="Genk", vehicle=vehicle)
    library_setup = LibrarySetup.objects.create(
        added_by=owner, track="Rijswijk", brand="Mugen", vehicle="MBX8R", **SETUP
    )
    simulator = Simulator.objects.create(name="iRacing", slug="iracing")
    sim_profile = SimProfile.objects.create(
        simulator=simulator, profile_identifier="4242", profile_name="Owner Fast", linked_user=owner
    )
    private = SimProfile.objects.create(
        simulator=simulator,
        profile_identifier="private-7",
        profile_name="Owner Quiet",
        linked_user=owner,
        is_public=False,
    )
    now = timezone.now()
    VerificationRequest.objects.create(
        profile=sim_profile, requested_by=owner, code="APEX-MATRX", expires_at=now + dt.timedelta(hours=48)
    )
    event = Event.objects.create(simulator=simulator, name="Sunday Cup")
    EventResult.objects.create(event=event, sim_profile=sim_profile, position=1)
    return World(
        owner=owner,
        other=other,
        staff=staff,
        racer=racer,
        sponsor=sponsor,
        vehicle=vehicle,
        spare_vehicle=spare,
        race_day=race_day,
        change=change,
        track_log=track_log,
        library_setup=library_setup,
        simulator=simulator,
        sim_profile=sim_profile,
        private_profile=private,
        event=event,
    )


def owner_rows(w: World) -> dict:
    """Everything the owner has, row by row, to compare before and after a request."""
    owned = {
        "racers": RacerProfile.objects.filter(owner=w.owner),
        "sponsors": Sponsor.objects.filter(racer__owner=w.owner),
        "vehicles": Vehicle.objects.filter(racer__owner=w.owner),
        "baselines": BaselineVersion.objects.filter(vehicle__racer__owner=w.owner),
        "race_days": RaceDay.objects.filter(racer__owner=w.owner),
        "changes": RaceDayChange.objects.filter(race_day__racer__owner=w.owner),
        "rounds": RaceDayRound.objects.filter(race_day__racer__owner=w.owner),
        "track_logs": TrackLog.objects.filter(racer__owner=w.owner),
        "library": LibrarySetup.objects.filter(added_by=w.owner),
        "sim_profiles": SimProfile.objects.filter(pk__in=[w.sim_profile.pk, w.private_profile.pk]),
        "verification": VerificationRequest.objects.filter(requested_by=w.owner),
        "add_requests": AddRequest.objects.filter(requested_by=w.owner),
        "results": EventResult.objects.filter(sim_profile__linked_user=w.owner),
        "audit": AuditEntry.objects.filter(profile__linked_user=w.owner),
    }
    return {name: list(qs.order_by("pk").values()) for name, qs in owned.items()}
