"""The logged-in home page: what the active racer is doing now, in a fixed number of queries."""

from dataclasses import dataclass

from profiles.models import RacerProfile, User
from racing.models import BaselineVersion, RaceDay, TrackLog, Vehicle
from sims.models import SimProfile

RECENT = 5


@dataclass(frozen=True)
class FirstRunStep:
    label: str
    done: bool
    url_name: str


@dataclass(frozen=True)
class Dashboard:
    open_race_days: list[RaceDay]
    track_logs: list[TrackLog]
    baseline_versions: list[BaselineVersion]
    sim_profiles: list[SimProfile]
    first_run: list[FirstRunStep]

    @property
    def first_run_done(self) -> bool:
        return all(step.done for step in self.first_run)


def dashboard_for(*, racer: RacerProfile, user: User) -> Dashboard:
    """Six queries whatever the racer's history: each list is capped, the guide asks EXISTS."""
    open_days = list(
        RaceDay.objects.filter(racer=racer).open().select_related("vehicle").order_by("-date")[:RECENT]
    )
    baselines = list(
        BaselineVersion.objects.filter(vehicle__racer=racer)
        .select_related("vehicle")
        .order_by("-created_at", "-id")[:RECENT]
    )
    has_vehicle = bool(baselines) or Vehicle.objects.filter(racer=racer).exists()
    has_race_day = bool(open_days) or RaceDay.objects.filter(racer=racer).exists()
    return Dashboard(
        open_race_days=open_days,
        track_logs=list(TrackLog.objects.for_racer(racer).select_related("vehicle")[:RECENT]),
        baseline_versions=baselines,
        sim_profiles=list(
            SimProfile.objects.linked_to(user).for_listing().order_by("-linked_at", "-id")[:RECENT]
        ),
        first_run=[
            FirstRunStep("Add a vehicle", has_vehicle, "vehicle_create"),
            FirstRunStep("Set its baseline", bool(baselines), "vehicle_list"),
            FirstRunStep("Start a race day", has_race_day, "raceday_start"),
        ],
    )
