"""Every main page fits a phone: no sideways scroll, every control on screen, 44 px tap targets.

The walk opens each main page at 360x740 and 390x844 and measures the boxes
the browser laid out: the page is no wider than the screen; every visible
button, input, select, textarea, summary and link in the main content lies
inside the screen's width (a control inside a scrolling table counts where
it really is); each is at least 44 px tall, except a link inside a sentence
(WCAG 2.5.8's "inline" exception). With E2E_SCREENSHOTS=1 it saves a
screenshot of each page under test-artifacts/phone/ for a person to look at.

The header folds into a Menu (a <details>, so it works without JavaScript)
with the racer switcher on the bar, one tap away.
"""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import (
    ARTIFACTS,
    PASSWORD,
    account_with_racers,
    login,
    screenshot_if_asked,
    vehicle_with_baseline,
)
from library.tests.factories import make_library_setup
from racing import services
from racing.tests.factories import make_baseline, make_track_log
from sims.models import SimProfile
from sims.tests.factories import make_event, make_profile, make_result, make_simulator

PHONES = [(360, 740), (390, 844)]
PHONE_SHOTS = ARTIFACTS.parent / "phone"
TAP = 44

# Boxes of every control in <main> the person could tap, measured as laid out.
_MEASURE_JS = """
(tap) => {
  const width = window.innerWidth;
  const describe = (el) => `${el.tagName.toLowerCase()}${el.name ? "[name=" + el.name + "]" : ""}`
    + ` "${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30)}"`;
  // A link inside a sentence: laid out inline, with words of its block's own around it.
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const own = Array.from(block.querySelectorAll("a")).reduce((t, a) => t.replace(a.innerText, ""), block.innerText);
    return /\\w/.test(own);
  };
  const tapBox = (el) => {
    // A checkbox or radio is tapped through its label, which wraps it.
    const label = (el.type === "checkbox" || el.type === "radio") && el.closest("label");
    return (label || el).getBoundingClientRect();
  };
  const offScreen = [], small = [];
  for (const el of document.querySelectorAll("main a, main button, main input, main select, main textarea, main summary")) {
    if (el.type === "hidden" || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.left < -0.5 || box.right > width + 0.5) offScreen.push(`${describe(el)} x ${Math.round(box.left)}..${Math.round(box.right)}`);
    if (!inSentence(el) && tapBox(el).height < tap - 0.5) small.push(`${describe(el)} ${Math.round(tapBox(el).height)} px`);
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width, offScreen, small,
          header: document.querySelector(".site-header").getBoundingClientRect().height};
}
"""


def _world():
    """One account with two racers and something on every main page."""
    owner, (alex, sam) = account_with_racers("casey", "Alex Longname-Racer", "Sam")
    vehicle = vehicle_with_baseline(alex, brand="Team Associated", model="RC8B4.1e Team Edition")
    make_baseline(vehicle, note="Softer front for the bumpy back straight", df=5000)
    vehicle_with_baseline(sam, brand="Xray", model="XB8")
    race_day = services.race_day_start(
        racer=alex, vehicle=vehicle, track="Genk Circuit International", date=datetime.date(2026, 5, 4)
    )
    services.race_day_change_add(
        race_day=race_day,
        parameter="so_f",
        old_value="550",
        new_value="600",
        reason="Bounces out of the rhythm section after the bridge jump",
        status="tried",
    )
    services.race_day_change_add(race_day=race_day, parameter="df", old_value="5000", new_value="7000")
    services.race_day_round_add(race_day=race_day, kind="practice", note="Loose on exit", result="P3 22.345")
    make_track_log(alex, track="Rijswijk", vehicle=vehicle, event="Club race", note="Grip came up at night")
    make_library_setup(track="Genk Circuit International", condition="dusty, high grip", source="Club night")
    iracing = make_simulator("iracing", "iRacing")
    mine = make_profile(iracing, "Casey Quick-Lapper", "7001", linked_user=owner, is_public=True)
    make_profile(iracing, "Casey Night", "7002", linked_user=owner, is_public=False)
    make_result(make_event(iracing, name="Sunday Cup at Spa-Francorchamps"), mine, position=2)
    pages = {
        "home": "/",
        "racers": "/racers/",
        "garage": "/garage/",
        "vehicle": vehicle.get_absolute_url(),
        "baseline-form": f"/garage/vehicles/{vehicle.pk}/baseline/",
        "baseline-history": f"/garage/vehicles/{vehicle.pk}/baseline/versions/",
        "race-days": "/race-days/",
        "race-day": race_day.get_absolute_url(),
        "track-log": "/track-log/",
        "library": "/library/",
        "directory": "/profiles/",
        "profile": SimProfile.objects.get(pk=mine.pk).get_absolute_url(),
        "my-sim-profiles": "/users/profile/sim-profiles/",
    }
    return pages


def _assert_fits(page: Page, name: str) -> None:
    layout = page.evaluate(_MEASURE_JS, TAP)
    where = f"{name} at {layout['width']} px ({page.url})"
    assert layout["scrollWidth"] <= layout["width"], (
        f"{where} scrolls sideways: {layout['scrollWidth']} px wide"
    )
    assert layout["offScreen"] == [], f"{where}: controls outside the screen: {layout['offScreen']}"
    assert layout["small"] == [], f"{where}: tap targets under {TAP} px: {layout['small']}"
    assert layout["header"] <= 64, f"{where}: the header takes {layout['header']} px"


@pytest.mark.parametrize("width,height", PHONES, ids=[f"{w}x{h}" for w, h in PHONES])
def test_every_main_page_fits_a_phone(new_context, width, height):
    pages = _world()
    page = new_context(viewport={"width": width, "height": height}).new_page()
    login(page, "casey", PASSWORD)
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state()
        expect(page.locator("main h1").first).to_be_visible()
        _assert_fits(page, name)
        screenshot_if_asked(page, f"{name}-{width}", PHONE_SHOTS)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_phone_header_is_one_row_with_the_switcher_on_it_and_a_menu(new_context, javascript):
    _world()
    page = new_context(viewport={"width": 360, "height": 740}, java_script_enabled=javascript).new_page()
    login(page, "casey", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    # The links are folded away; the active racer and the Menu are on the bar.
    expect(nav.get_by_role("link", name="Garage")).to_be_hidden()
    switcher = page.locator("details[data-switcher] > summary")
    expect(switcher).to_be_visible()
    expect(switcher).to_contain_text("Alex Longname-Racer")
    assert switcher.bounding_box()["height"] >= TAP

    # One tap opens the switcher, one more switches.
    switcher.click()
    page.locator(".switch-to", has_text="Sam").click()
    expect(page.locator("[data-active-racer]")).to_have_text("Sam")

    menu = page.locator("details.menu")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    for name in ("Racers", "Garage", "Race days", "Track log", "Setup library", "My Sim Profiles"):
        link = menu.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        assert link.bounding_box()["height"] >= TAP, name
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    menu.get_by_role("link", name="Race days", exact=True).click()
    expect(page).to_have_url(re.compile(r"/race-days/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam's race days")
    screenshot_if_asked(page, f"header-{'js' if javascript else 'no-js'}", PHONE_SHOTS, full_page=False)


def test_the_wide_header_shows_the_links_without_a_menu(new_context):
    _world()
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    login(page, "casey", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Garage")).to_be_visible()
    expect(page.locator("details.menu")).to_be_hidden()
    assert page.evaluate(_MEASURE_JS, TAP)["scrollWidth"] <= 1366
