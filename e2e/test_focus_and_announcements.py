"""Where focus goes after an htmx swap, what is announced, and the header's panels
closing on an outside click and on Escape (static/js/apex.js)."""

import re

from playwright.sync_api import Page, expect

from e2e.helpers import PASSWORD, focused, login, wait_for_htmx
from e2e.pages import racer_with_everything

PHONE = {"width": 390, "height": 844}


def announced(page: Page):
    return page.locator("#announcer[aria-live=polite]")


def race_day_page(new_context) -> Page:
    private = racer_with_everything()
    page = new_context(viewport=PHONE).new_page()
    login(page, "axel", PASSWORD)
    page.goto(next(url for url in private if re.fullmatch(r"/race-days/\d+/", url)))
    page.wait_for_load_state()
    return page


def test_focus_stays_on_the_pressed_status_button_and_the_new_status_is_announced(new_context):
    page = race_day_page(new_context)
    group = page.get_by_role("group", name="Status of Rear diff oil")
    group.get_by_role("button", name="Kept").focus()
    page.keyboard.press("Enter")

    kept = page.get_by_role("group", name="Status of Rear diff oil").get_by_role("button", name="Kept")
    expect(kept).to_have_attribute("aria-pressed", "true")
    wait_for_htmx(page)
    expect(kept).to_be_focused()
    expect(announced(page)).to_have_text("Status of Rear diff oil: Kept")

    # The keyboard carries on from there: the next status is one Tab away.
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("group", name="Status of Rear diff oil").get_by_role("button", name="Reverted")
    ).to_be_focused()


def test_a_refused_change_puts_focus_on_the_first_invalid_field_and_says_so(new_context):
    page = race_day_page(new_context)
    form = page.locator("form#add-change")
    form.get_by_role("button", name="Record change").focus()
    page.keyboard.press("Enter")

    expect(page.locator("form#add-change [aria-invalid=true]").first).to_be_visible()
    wait_for_htmx(page)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-invalid')") == "true", focused(page)
    assert page.evaluate(
        "() => document.activeElement === document.querySelector('form#add-change [aria-invalid=true]')"
    ), focused(page)
    expect(announced(page)).to_contain_text("Not saved")


def test_an_added_round_keeps_focus_on_its_button_and_is_announced(new_context):
    page = race_day_page(new_context)
    rounds = page.locator("#rounds")
    rounds.get_by_label(re.compile(r"^Lap times:?$")).fill("33.1 32.9")
    rounds.get_by_role("button", name="Add round").focus()
    page.keyboard.press("Enter")

    expect(rounds.locator("ol.rounds li")).to_have_count(3)
    wait_for_htmx(page)
    expect(page.locator("#rounds").get_by_role("button", name="Add round")).to_be_focused()
    expect(announced(page)).to_have_text("Saved: Rounds")


def test_focus_stays_in_the_search_box_while_results_swap_and_the_count_is_announced(new_context):
    racer_with_everything()
    page = new_context(viewport=PHONE).new_page()
    page.goto("/library/")
    expect(page.locator("#library-results")).to_have_attribute("aria-live", "polite")
    search = page.locator("#id_q")
    search.focus()
    page.keyboard.type("Genk")

    expect(announced(page)).to_have_text("1 setup")
    wait_for_htmx(page)
    expect(search).to_be_focused()
    expect(search).to_have_value("Genk")

    page.keyboard.type("zzz")
    expect(page.locator("#library-results")).to_contain_text("No setups match")
    wait_for_htmx(page)
    expect(search).to_be_focused()
    expect(search).to_have_value("Genkzzz")


def test_messages_are_a_polite_status_region(new_context):
    page = race_day_page(new_context)
    page.get_by_role("link", name="Close race day").click()
    page.get_by_role("button", name=re.compile("Close")).last.click()
    messages = page.locator("ul.messages")
    expect(messages).to_have_attribute("role", "status")
    expect(messages).to_have_attribute("aria-live", "polite")


def test_switcher_and_menu_close_on_an_outside_click_and_on_escape(new_context):
    racer_with_everything()
    page = new_context(viewport=PHONE).new_page()
    login(page, "axel", PASSWORD)
    page.goto("/garage/")
    page.wait_for_load_state()
    for panel in (page.locator("details[data-switcher]"), page.locator("details.menu")):
        summary = panel.locator("summary")

        summary.click()
        expect(panel).to_have_attribute("open", "")
        page.locator(".site-footer p").first.click()
        expect(panel).not_to_have_attribute("open", "")

        # A click inside the panel keeps it open.
        summary.click()
        expect(panel).to_have_attribute("open", "")
        panel.locator("a").last.hover()
        panel.locator(".switcher-panel, .menu-panel").click(position={"x": 2, "y": 2})
        expect(panel).to_have_attribute("open", "")

        page.keyboard.press("Escape")
        expect(panel).not_to_have_attribute("open", "")
        expect(summary).to_be_focused()
