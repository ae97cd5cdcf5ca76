"""A racer with something on every main page, for the page-by-page browser checks (axe, CSP, dark theme)."""

import datetime
from decimal import Decimal

from e2e.helpers import account_with_racers, vehicle_with_baseline

PUBLIC = [
    "/",
    "/profiles/",
    "/library/",
    "/theory/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/confirm-email/",
]


def racer_with_everything(username: str = "axel") -> list[str]:
    """Data for ``username`` (password ``PASSWORD``); returns the private pages' URLs.

    A race day with changes and rounds with laps (so its lap analysis draws
    a chart), a closed day in the track log, a library setup, a theory
    document and a linked sim profile.
    """
    from advisor.tests.factories import make_theory_document
    from library.tests.factories import make_library_setup
    from racing import services
    from racing.models import RaceDayChange
    from racing.tests.factories import make_track_log
    from sims.tests.factories import make_profile, make_simulator

    owner, (racer,) = account_with_racers(username, "Axel")
    vehicle = vehicle_with_baseline(racer)
    day = services.race_day_start(racer=racer, vehicle=vehicle, track="Genk", date=datetime.date(2025, 5, 4))
    services.race_day_round_add(
        race_day=day, kind="practice", laps=[Decimal(x) for x in ("34.2", "33.8", "33.5", "33.1")]
    )
    services.race_day_change_add(
        race_day=day,
        parameter="dr",
        old_value="3000",
        new_value="5000",
        reason="more drive on exit",
        status=RaceDayChange.Status.TRIED,
    )
    services.race_day_round_add(
        race_day=day, kind="qualifier", laps=[Decimal(x) for x in ("32.9", "32.6", "32.4")]
    )
    make_track_log(racer, note="Loose rear")
    setup = make_library_setup(track="Genk")
    theory = make_theory_document(title="Diff oil", content="Thicker oil gives more drive on exit.")
    profile = make_profile(make_simulator("iracing", "iRacing"), name="Axel Sim", linked_user=owner)
    return [
        "/",
        "/racers/",
        "/garage/",
        vehicle.get_absolute_url(),
        f"/garage/vehicles/{vehicle.pk}/baseline/",
        f"/garage/vehicles/{vehicle.pk}/baseline/versions/",
        "/race-days/",
        day.get_absolute_url(),
        f"/race-days/{day.pk}/analysis/",
        f"/race-days/{day.pk}/advice/?symptom=entry_understeer",
        f"/compare/?a=raceday:{day.pk}&b=baseline:{day.based_on_id}",
        "/track-log/",
        "/library/",
        setup.get_absolute_url(),
        theory.get_absolute_url(),
        profile.get_absolute_url(),
        "/users/profile/sim-profiles/",
        "/api-tokens/",
    ]
