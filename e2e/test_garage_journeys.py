"""Garage journeys in a real browser: a race day from start to promoted baseline.

Journey 2: start a race day for a vehicle, record two changes with htmx,
switch racer and back (the day is exactly as left), close it with the
keyboard (a track-log entry appears) and promote its setup to a new baseline
version. The vehicle's delete confirmation is driven with the keyboard too.
"""

import re

from playwright.sync_api import Locator, Page, expect

from e2e.helpers import (
    PASSWORD,
    account_with_racers,
    assert_fields_labelled,
    assert_same_page,
    delete_by_keyboard,
    field,
    login,
    mark_page,
    save_screenshot,
    switch_to,
    tab_to,
    vehicle_with_baseline,
    wait_for_htmx,
)
from racing.models import BaselineVersion, RaceDay, TrackLog, Vehicle


def setup_value(region: Locator, label: str) -> Locator:
    """The shown value of one parameter in a setup table (``<dt>label</dt><dd>value</dd>``)."""
    return (
        region.locator("dl.setup-values > div")
        .filter(has=region.page.locator("dt", has_text=label))
        .locator("dd")
    )


def change_row(page: Page, label: str) -> Locator:
    return page.get_by_role("region", name="Changes").locator("tbody tr", has_text=label)


def status_button(page: Page, label: str, status: str) -> Locator:
    """One of a change's status buttons (one tap sets it)."""
    return page.get_by_role("group", name=f"Status of {label}").get_by_role("button", name=status, exact=True)


def record_change(page: Page, parameter: str, old: str, new: str, status: str, why: str) -> None:
    """Fill the race day's change form as a person would; htmx swaps the workspace in place."""
    form = page.locator("form#add-change")
    field(form, "Parameter").select_option(label=parameter)
    # Choosing the parameter fills in the day's current value (from the day's setup on the page).
    expect(field(form, "Old value")).to_have_value(old)
    field(form, "New value").fill(new)
    form.get_by_label(status, exact=True).check()
    field(form, "Why").fill(why)
    form.get_by_role("button", name="Record change").click()
    expect(change_row(page, parameter.split(" (")[0])).to_have_count(1)
    # The form came back empty, ready for the next change.
    expect(field(page.locator("form#add-change"), "New value")).to_have_value("")
    wait_for_htmx(page)


def assert_day_as_left(page: Page) -> None:
    """Both changes with their values and statuses; the day's setup carries them."""
    shock = change_row(page, "Front shock oil")
    expect(shock).to_contain_text("550 → 600")
    expect(shock).to_contain_text("more support in the whoops")
    expect(status_button(page, "Front shock oil", "Tried")).to_have_attribute("aria-pressed", "true")
    diff = change_row(page, "Rear diff oil")
    expect(diff).to_contain_text("3000 → 5000")
    expect(diff).to_contain_text("rear steps out on exit")
    expect(status_button(page, "Rear diff oil", "Kept")).to_have_attribute("aria-pressed", "true")
    setup = page.get_by_role("region", name="The day's setup")
    expect(setup_value(setup, "Front shock oil")).to_have_text("600 cSt")
    expect(setup_value(setup, "Rear diff oil")).to_have_text("5000 cSt")
    # Untouched parameters still hold the baseline's values.
    expect(setup_value(setup, "Front diff oil")).to_have_text("7000 cSt")


def test_journey_2_race_day_survives_a_racer_switch_then_closes_to_the_track_log_and_a_baseline(page):
    owner, (dana, _sam) = account_with_racers("dana", "Dana", "Sam")
    vehicle = vehicle_with_baseline(dana)
    login(page, "dana", PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Garage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana's garage")
    page.get_by_role("row", name=re.compile("Mugen MBX8R")).get_by_role("link", name="Start race day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a race day for Dana")
    assert_fields_labelled(page)
    expect(field(page, "Vehicle")).to_have_value(str(vehicle.pk))
    field(page, "Track").fill("Genk")
    field(page, "Surface").fill("clay")
    field(page, "Temperature (°C)").fill("21.5")
    page.get_by_role("button", name="Start race day").click()
    expect(page.get_by_role("status")).to_contain_text("Setup copied from baseline version 1.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Genk")
    race_day_url = page.url
    assert_fields_labelled(page)

    # Two changes through the page's form, swapped in by htmx (no reload).
    page.wait_for_load_state()
    mark_page(page)
    record_change(page, "Front shock oil (cSt)", "550", "600", "Tried", "more support in the whoops")
    record_change(page, "Rear diff oil (cSt)", "3000", "5000", "Planned", "rear steps out on exit")
    setup = page.get_by_role("region", name="The day's setup")
    # A planned change is not on the car yet; marking it kept puts it there.
    expect(setup_value(setup, "Rear diff oil")).to_have_text("3000 cSt")
    # One tap on the row.
    status_button(page, "Rear diff oil", "Kept").click()
    expect(setup_value(page.get_by_role("region", name="The day's setup"), "Rear diff oil")).to_have_text(
        "5000 cSt"
    )
    wait_for_htmx(page)
    assert_same_page(page)
    assert_day_as_left(page)
    assert_fields_labelled(page)

    # Another racer, then back: the day is exactly as left.
    switch_to(page, "Sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Garage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam's garage")
    expect(page.get_by_text("Sam has no vehicles yet.")).to_be_visible()
    switch_to(page, "Dana")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana's garage")
    page.get_by_role("region", name="Open race days").get_by_role("link", name=re.compile("Genk")).click()
    expect(page).to_have_url(race_day_url)
    assert_day_as_left(page)
    expect(page.locator(".conditions")).to_contain_text("clay · 21.5 °C")

    # Close, with the keyboard: Escape cancels back to the open day ...
    page.get_by_role("link", name="Close race day").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Close the race day at Genk?")
    assert_fields_labelled(page)
    page.wait_for_load_state()  # apex.js is deferred: Escape needs it loaded
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page).to_have_url(race_day_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")

    # ... and Tab, type, Tab, Enter closes it.
    page.get_by_role("link", name="Close race day").click()
    tab_to(page, "[role=alertdialog] textarea[name=note]")
    page.keyboard.type("Won the B main.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Close race day")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Race day closed and summarised in your track log.")
    expect(page.get_by_role("alertdialog")).to_contain_text(
        "Make this race day's setup Mugen MBX8R's baseline?"
    )

    # The track log has the day's summary.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Track log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana's track log")
    entry = page.locator("li.timeline-entry", has_text="Race day at Genk")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Front shock oil: 550 → 600 [tried] (more support in the whoops)")
    expect(entry).to_contain_text("Rear diff oil: 3000 → 5000 [kept] (rear steps out on exit)")
    expect(entry).to_contain_text("Won the B main.")
    assert_fields_labelled(page)
    assert TrackLog.objects.filter(racer=dana, race_day__isnull=False).count() == 1

    # From the entry back to the (now read-only) day, then promote it.
    entry.get_by_role("link", name="Race day").click()
    expect(page).to_have_url(race_day_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("closed")
    expect(page.locator("form#add-change")).to_have_count(0)
    expect(change_row(page, "Rear diff oil")).to_contain_text("Kept")
    page.get_by_role("link", name="Make this setup the baseline").click()
    promote = page.get_by_role("alertdialog")
    expect(promote).to_contain_text("It becomes baseline version 2")
    expect(promote.get_by_role("row", name=re.compile("Front shock oil"))).to_contain_text("550")
    expect(promote.get_by_role("row", name=re.compile("Front shock oil"))).to_contain_text("600")
    page.wait_for_load_state()
    expect(promote.get_by_role("link", name="Not now")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(promote.get_by_role("button", name="Make it the baseline")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("The race day's setup is now baseline version 2")
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 → version 2")
    changed = page.locator("table.diff tbody tr")
    expect(changed).to_have_count(2)
    expect(page.get_by_role("row", name=re.compile("Front shock oil"))).to_contain_text("550")
    expect(page.get_by_role("row", name=re.compile("Front shock oil")).locator("ins")).to_have_text("600")
    expect(page.get_by_role("row", name=re.compile("Rear diff oil")).locator("ins")).to_have_text("5000")
    assert_fields_labelled(page)

    page.get_by_role("link", name="Mugen MBX8R").first.click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Baseline"))).to_contain_text("version 2")
    expect(setup_value(page.locator("main"), "Front shock oil")).to_have_text("600 cSt")
    expect(setup_value(page.locator("main"), "Rear diff oil")).to_have_text("5000 cSt")
    assert_fields_labelled(page)
    save_screenshot(page, "journey-2-promoted-baseline")

    newest = BaselineVersion.objects.filter(vehicle=vehicle).order_by("-number").first()
    assert (newest.number, newest.so_f, newest.dr, newest.df) == (2, 600, 5000, 7000)
    assert not RaceDay.objects.filter(vehicle=vehicle, status=RaceDay.Status.OPEN).exists()


def test_vehicle_delete_confirmation_cancels_with_escape_and_deletes_with_enter(page):
    _owner, (kim,) = account_with_racers("kim", "Kim")
    vehicle = vehicle_with_baseline(kim, model="MBX7")
    login(page, "kim", PASSWORD)
    page.goto(vehicle.get_absolute_url())
    assert_fields_labelled(page)

    delete_by_keyboard(
        page,
        delete_url=f"/garage/vehicles/{vehicle.pk}/delete/",
        title="Delete Mugen MBX7?",
        return_url=vehicle.get_absolute_url(),
        button="Delete Mugen MBX7",
        exists=Vehicle.objects.filter(pk=vehicle.pk).exists,
    )
    expect(page.get_by_role("status")).to_contain_text("Deleted Mugen MBX7")
    expect(page.get_by_text("Kim has no vehicles yet.")).to_be_visible()
    save_screenshot(page, "garage-vehicle-deleted")


def test_garage_pages_label_every_field(page):
    _owner, (lou,) = account_with_racers("lou", "Lou")
    vehicle = vehicle_with_baseline(lou)
    login(page, "lou", PASSWORD)
    for path in (
        "/garage/",
        "/garage/vehicles/new/",
        f"/garage/vehicles/{vehicle.pk}/edit/",
        f"/garage/vehicles/{vehicle.pk}/baseline/",
        f"/garage/vehicles/{vehicle.pk}/baseline/versions/",
        "/race-days/new/",
        "/track-log/",
        "/track-log/new/",
        "/compare/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fields_labelled(page)
    save_screenshot(page, "garage-pages-labelled")
