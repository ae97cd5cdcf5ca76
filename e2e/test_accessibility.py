"""axe-core on every main page, logged in and out, light and dark, at phone size: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

from e2e.helpers import PASSWORD, account_with_racers, login, vehicle_with_baseline

BLOCKING = {"serious", "critical"}


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def _data():
    from library.tests.factories import make_library_setup
    from racing.tests.factories import make_race_day, make_track_log
    from sims.tests.factories import make_profile, make_simulator

    owner, (racer,) = account_with_racers("axel", "Axel")
    vehicle = vehicle_with_baseline(racer)
    day = make_race_day(racer, vehicle, track="Genk")
    make_track_log(racer, note="Loose rear")
    setup = make_library_setup(track="Genk")
    profile = make_profile(make_simulator("iracing", "iRacing"), name="Axel Sim", linked_user=owner)
    return vehicle, day, setup, profile


PUBLIC = ["/", "/profiles/", "/library/", "/theory/", "/accounts/login/", "/accounts/signup/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_any_main_page(new_context, scheme):
    vehicle, day, setup, profile = _data()
    private = [
        "/",
        "/racers/",
        "/garage/",
        vehicle.get_absolute_url(),
        f"/garage/vehicles/{vehicle.pk}/baseline/",
        f"/garage/vehicles/{vehicle.pk}/baseline/versions/",
        "/race-days/",
        day.get_absolute_url(),
        "/track-log/",
        "/library/",
        setup.get_absolute_url(),
        profile.get_absolute_url(),
        "/users/profile/sim-profiles/",
    ]
    found: list[str] = []
    visitor = new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme).new_page()
    for url in PUBLIC:
        visitor.goto(url)
        found += _violations(visitor)
    racer = new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme).new_page()
    login(racer, "axel", PASSWORD)
    for url in private:
        racer.goto(url)
        found += _violations(racer)
    assert not found, "\n".join(found)
