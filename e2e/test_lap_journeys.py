"""Lap-time journey in a real browser: laps pasted into two rounds with a change between them,
then the race day's analysis shows both rounds and the change."""

import datetime
import re

from playwright.sync_api import Page, expect

from e2e.helpers import (
    PASSWORD,
    account_with_racers,
    assert_fields_labelled,
    field,
    login,
    vehicle_with_baseline,
    wait_for_htmx,
)
from racing import services
from racing.models import RaceDayLap


def add_round(page: Page, kind: str, laps: str) -> None:
    form = page.locator("#rounds form")
    form.get_by_role("radio", name=kind).check()
    field(form, "Lap times").fill(laps)
    form.get_by_role("button", name="Add round").click()


def test_laps_in_two_rounds_with_a_change_between_show_on_the_analysis(page):
    _owner, (lena,) = account_with_racers("lena", "Lena")
    vehicle = vehicle_with_baseline(lena)
    race_day = services.race_day_start(
        racer=lena, vehicle=vehicle, track="Genk", date=datetime.date(2025, 5, 4)
    )
    login(page, "lena", PASSWORD)
    page.goto(race_day.get_absolute_url())
    assert_fields_labelled(page)

    # A typo is quoted back and what was pasted stays in the box.
    add_round(page, "Practice", "34.2\n33,8 1:75.0")
    rounds = page.locator("#rounds")
    expect(rounds).to_contain_text("“1:75.0” is not a lap time")
    expect(field(rounds, "Lap times")).to_have_value("34.2\n33,8 1:75.0")
    wait_for_htmx(page)

    add_round(page, "Practice", "34.2\n33.8\t33.5, 33.9; 33.1")
    expect(rounds.locator("ol.rounds li")).to_have_count(1)
    expect(rounds).to_contain_text("5 laps · best 33.100")
    wait_for_htmx(page)

    form = page.locator("form#add-change")
    field(form, "Parameter").select_option(label="Rear diff oil (cSt)")
    expect(field(form, "Old value")).to_have_value("3000")
    wait_for_htmx(page)
    field(form, "New value").fill("5000")
    form.get_by_role("radio", name="Tried").check()
    field(form, "Why").fill("more drive on exit")
    form.get_by_role("button", name="Record change").click()
    expect(page.get_by_role("region", name="Changes").locator("tbody tr")).to_have_count(1)
    wait_for_htmx(page)

    add_round(page, "Qualifier", "32.9 32.6 32.8 32.4")
    expect(rounds.locator("ol.rounds li")).to_have_count(2)
    expect(rounds).to_contain_text("4 laps · best 32.400")
    assert RaceDayLap.objects.filter(round__race_day=race_day).count() == 9

    page.get_by_role("link", name="Lap analysis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lap analysis · Genk")
    # The page's charts.css hides the narrow or the wide chart; until it has loaded
    # both are laid out, and the chart below would match two elements.
    page.wait_for_load_state("load")
    chart = page.get_by_role("img", name=re.compile("Lap times, Genk"))
    expect(chart).to_be_visible()
    expect(chart.locator("path.line")).to_have_count(2)
    expect(chart.locator("line.marker")).to_have_count(1)
    legend = page.locator(".chart-legend")
    expect(legend).to_contain_text("R1 Practice")
    expect(legend).to_contain_text("R2 Qualifier")
    expect(legend).to_contain_text("Rear diff oil: 3000 → 5000 cSt (tried)")
    stats = page.get_by_role("region", name="Per round")
    expect(stats.get_by_role("row", name=re.compile("R1 Practice"))).to_contain_text("33.100")
    expect(stats.get_by_role("row", name=re.compile("R2 Qualifier"))).to_contain_text("32.400")
    expect(stats).to_contain_text("Between R1 and R2 Qualifier")
    expect(stats).to_contain_text("more drive on exit")
    assert_fields_labelled(page)

    # The lap table is folded, and its summary says so with a triangle that turns when opened.
    summary = page.get_by_text("Every lap as a table")
    marker = "(el) => getComputedStyle(el, '::before').content"
    assert summary.evaluate(marker) == '"▸"'
    expect(page.get_by_role("table", name="Lap times by lap number")).to_be_hidden()
    summary.click()
    expect(page.get_by_role("table", name="Lap times by lap number")).to_be_visible()
    assert summary.evaluate(marker) == '"▾"'
