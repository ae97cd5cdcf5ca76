"""The setup advisor in a real browser, on a phone: "Advise me" on a race day, then "Try it".

With JavaScript, ticking a symptom brings the suggestions in place (htmx) and
"Try it" confirms in place; without it, the same pages work as plain forms.
Either way the planned change lands on the race day with its old and new
values and the symptom it is meant to fix.
"""

import datetime
import importlib
from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e.helpers import (
    account_with_racers,
    assert_fields_labelled,
    assert_same_page,
    login,
    mark_page,
    vehicle_with_baseline,
    wait_for_htmx,
)

PHONE = {"width": 390, "height": 844}


def advisor_data() -> None:
    """The rules and the starter theory, again: a browser test's database starts empty after a flush."""
    from django.apps import apps

    for name in ("0003_load_advice_rules", "0004_load_starter_theory"):
        importlib.import_module(f"advisor.migrations.{name}").load(apps, None)


def race_day_with_history(username: str):
    """An open race day on high grip, and an earlier day where a thicker front bar was kept for traction roll."""
    from racing import services

    advisor_data()
    _owner, (racer,) = account_with_racers(username, "Rita")
    vehicle = vehicle_with_baseline(racer)
    earlier = services.race_day_start(
        racer=racer, vehicle=vehicle, track="Mill", date=datetime.date(2025, 4, 1)
    )
    services.race_day_change_add(
        race_day=earlier,
        parameter="sb_f",
        old_value="2.4",
        new_value="2.5",
        status="kept",
        symptom="traction_roll",
    )
    services.race_day_close(race_day=earlier)
    return services.race_day_start(
        racer=racer,
        vehicle=vehicle,
        track="Genk",
        date=datetime.date(2025, 5, 4),
        grip="high",
        temperature=Decimal(24),
    )


def assert_fits_the_screen(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
        "wider than the phone"
    )


def test_advise_me_and_try_it_in_place_on_a_phone(new_context):
    race_day = race_day_with_history("rita")
    page = new_context(viewport=PHONE).new_page()
    login(page, "rita")
    page.goto(race_day.get_absolute_url())
    page.get_by_role("link", name="Advise me").click()
    expect(page.get_by_role("heading", name="Advise me")).to_be_visible()
    assert_fields_labelled(page)
    mark_page(page)

    page.get_by_label("Traction rolls (tips over in corners)").check()
    first = page.locator("li.suggestion").first
    expect(first.get_by_role("heading")).to_have_text("A thicker front sway bar: 2.4 → 2.5 mm")
    expect(first).to_contain_text("kept 1 of 1 time")
    expect(first.get_by_role("link", name="Sway bars")).to_be_visible()
    wait_for_htmx(page)
    assert_same_page(page)
    assert "symptom=traction_roll" in page.url  # the address keeps the ticked symptoms
    assert_fits_the_screen(page)
    box = first.get_by_role("button", name="Try it").bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    first.get_by_role("button", name="Try it").click()
    expect(first.get_by_role("status")).to_contain_text("Planned Front sway bar: 2.4 → 2.5 mm")
    wait_for_htmx(page)
    assert_same_page(page)

    first.get_by_role("link", name="Go to the race day").click()
    row = page.get_by_role("region", name="Changes").locator("tbody tr", has_text="Front sway bar")
    expect(row).to_contain_text("2.4 → 2.5")
    expect(row).to_contain_text("To fix: Traction rolls (tips over in corners)")
    planned = page.get_by_role("group", name="Status of Front sway bar").get_by_role("button", name="Planned")
    expect(planned).to_have_attribute("aria-pressed", "true")


def test_advise_me_and_try_it_without_javascript(new_context):
    race_day = race_day_with_history("noah")
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    login(page, "noah")
    page.goto(race_day.get_absolute_url())
    page.get_by_role("link", name="Advise me").click()

    page.get_by_label("Traction rolls (tips over in corners)").check()
    page.get_by_role("button", name="Advise me").click()
    compound = page.locator("li.suggestion", has_text="A harder compound")
    expect(compound).to_contain_text("On high grip")
    # A tyre compound has no number to step: the racer types the new one.
    compound.get_by_label("New tyre compound").fill("Silver")
    compound.get_by_role("button", name="Try it").click()

    expect(page.get_by_role("status")).to_contain_text("Planned: Tyre compound: Blue → Silver.")
    row = page.get_by_role("region", name="Changes").locator("tbody tr", has_text="Tyre compound")
    expect(row).to_contain_text("Blue → Silver")
    expect(row).to_contain_text("To fix: Traction rolls")
    assert_fits_the_screen(page)
