"""Racer journeys in a real browser: sign up, switch racer, star a default.

Journey 1 runs with JavaScript (htmx swaps the switcher in place); journey 5
repeats the switch and star with JavaScript off, where the same forms are
plain POSTs answered by a redirect.
"""

from playwright.sync_api import expect

from e2e.helpers import (
    PASSWORD,
    active_racer,
    add_racer_from_switcher,
    assert_fields_labelled,
    login,
    logout,
    open_switcher,
    signup,
    star,
    switch_to,
    switcher,
)
from profiles.models import RacerProfile


def test_journey_1_new_racer_switched_to_and_starred_loads_on_next_login(page, new_context):
    signup(page, "casey")
    expect(page).to_have_url("/")
    expect(active_racer(page)).to_have_text("casey")
    expect(page.get_by_role("heading", level=1)).to_have_text("casey")

    add_racer_from_switcher(page, "Sam")
    # htmx swapped the switcher in place: it stays open, the page did not reload.
    expect(switcher(page)).to_have_attribute("open", "")
    expect(active_racer(page)).to_have_text("casey")
    assert_fields_labelled(page)

    switch_to(page, "Sam")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam")
    star(page, "Sam")
    expect(switcher(page).get_by_role("button", name="Make casey the default racer")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert RacerProfile.objects.get(owner__username="casey", is_default=True).name == "Sam"

    logout(page)
    expect(page.locator("details[data-switcher]")).to_have_count(0)

    later = new_context().new_page()
    login(later, "casey", PASSWORD)
    expect(active_racer(later)).to_have_text("Sam")
    expect(later.get_by_role("heading", level=1)).to_have_text("Sam")


def test_journey_5_switch_and_star_work_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    signup(page, "robin")
    expect(active_racer(page)).to_have_text("robin")

    # The new-racer form posts and redirects back with a message.
    open_switcher(page).get_by_label("New racer").fill("Sam")
    switcher(page).get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_contain_text("Added racer Sam.")
    expect(active_racer(page)).to_have_text("robin")

    open_switcher(page).locator(".switch-to", has_text="Sam").click()
    expect(page.get_by_role("status")).to_contain_text("Switched to Sam.")
    expect(active_racer(page)).to_have_text("Sam")

    open_switcher(page).get_by_role("button", name="Make Sam the default racer").click()
    expect(page.get_by_role("status")).to_contain_text("Sam is now your default racer")
    expect(open_switcher(page).get_by_role("button", name="Sam is the default racer")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_fields_labelled(page)

    logout(page)
    later = new_context(java_script_enabled=False).new_page()
    login(later, "robin", PASSWORD)
    expect(active_racer(later)).to_have_text("Sam")
