"""Sim-profile journeys in a real browser: find a driver as you type, claim it, let it go.

Journey 3: search the public directory as you type (htmx, no Enter; the URL
keeps the query), open a profile, log in as another user, claim it through
the confirmation, see it under My Sim Profiles, unlink it through the
confirmation and see it gone. The confirmations are driven with Tab, Enter
and Escape, both as whole pages and loaded in place by htmx.

Adding an ID the directory does not show (new, or someone's private profile)
gives a code to prove it and lists it under "Waiting for verification",
where it can be cancelled through the same kind of confirmation.
"""

import re

from playwright.sync_api import Page, expect

from apex.tests.fixtures import make_user
from e2e.helpers import (
    PASSWORD,
    assert_fields_labelled,
    assert_same_page,
    login,
    logout,
    mark_page,
    save_screenshot,
    wait_for_htmx,
)
from sims import services
from sims.models import AddRequest, SimProfile
from sims.tests.factories import make_profile, make_simulator


def directory_with_drivers():
    """Three public iRacing drivers: one already linked to ada, two unclaimed."""
    ada = make_user("ada", password=PASSWORD)
    iracing = make_simulator("iracing", "iRacing")
    make_profile(iracing, "Rossi Fast", "5001", linked_user=ada)
    quick = make_profile(iracing, "Rossi Quick", "5002")
    make_profile(iracing, "Ben Slow", "5003")
    return quick


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def my_profiles(page: Page):
    return page.locator("#my-sim-profiles")


def test_journey_3_search_as_you_type_then_claim_and_unlink_a_profile(page):
    quick = directory_with_drivers()
    make_user("ben", password=PASSWORD)
    login(page, "ada", PASSWORD)

    # The directory's search box answers as the user types: no Enter, no reload.
    nav(page, "Driver Profiles")
    expect(page.get_by_role("heading", level=1)).to_have_text("Driver profiles")
    results = page.get_by_role("region", name="Driver profiles")
    expect(results.get_by_role("link", name="Ben Slow")).to_be_visible()
    assert_fields_labelled(page)
    page.wait_for_load_state()
    mark_page(page)
    page.get_by_label("Search drivers").press_sequentially("rossi", delay=40)
    expect(results).to_contain_text("Drivers matching “rossi”.")
    expect(results.locator("tbody tr")).to_have_count(2)
    expect(results.get_by_role("link", name="Ben Slow")).to_have_count(0)
    expect(results.get_by_role("row", name=re.compile("Rossi Fast"))).to_contain_text("Linked")
    expect(results.get_by_role("row", name=re.compile("Rossi Quick"))).to_contain_text("Unclaimed")
    expect(page).to_have_url(re.compile(r"/profiles/search/\?q=rossi(&|$)"))
    assert_same_page(page)
    expect(page.get_by_label("Search drivers")).to_have_value("rossi")

    # The pushed URL is a real page: loaded afresh it shows the same results.
    page.reload()
    expect(page.get_by_label("Search drivers")).to_have_value("rossi")
    expect(page.get_by_role("region", name="Driver profiles").locator("tbody tr")).to_have_count(2)

    page.get_by_role("region", name="Driver profiles").get_by_role("link", name="Rossi Quick").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rossi Quick")
    expect(page.locator("main")).to_contain_text("Unclaimed")
    profile_url = page.url
    assert_fields_labelled(page)

    # Another user claims it.
    logout(page)
    login(page, "ben", PASSWORD)
    page.goto(profile_url)
    page.get_by_role("link", name="This is me: link it").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("heading", level=1)).to_have_text("Link Rossi Quick?")
    expect(dialog).to_contain_text("ID 5002")
    page.wait_for_load_state()  # apex.js is deferred: Escape needs it loaded
    # The safe choice has focus; Escape cancels and links nothing.
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find my sim profile")
    quick.refresh_from_db()
    assert quick.linked_user_id is None

    page.goto(profile_url)
    page.get_by_role("link", name="This is me: link it").click()
    expect(page.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Link to my account")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Linked Rossi Quick (iRacing) to your account.")

    nav(page, "My Sim Profiles")
    expect(page.get_by_role("heading", level=1)).to_have_text("My sim profiles")
    row = my_profiles(page).get_by_role("row", name=re.compile("Rossi Quick"))
    expect(row).to_contain_text("iRacing")
    expect(row).to_contain_text("5002")
    expect(row.get_by_role("link", name="Verify")).to_be_visible()
    assert_fields_labelled(page)
    quick.refresh_from_db()
    assert quick.linked_user.username == "ben"

    # Unlink: htmx loads the confirmation in place; Escape cancels it ...
    page.wait_for_load_state()
    mark_page(page)
    row.get_by_role("link", name="Unlink").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("heading", level=1)).to_have_text("Unlink Rossi Quick?")
    assert_same_page(page)
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(my_profiles(page).get_by_role("row", name=re.compile("Rossi Quick"))).to_be_visible()
    quick.refresh_from_db()
    assert quick.linked_user is not None

    # ... and Shift+Tab, Enter unlinks.
    page.wait_for_load_state()
    my_profiles(page).get_by_role("row", name=re.compile("Rossi Quick")).get_by_role(
        "link", name="Unlink"
    ).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Unlink Rossi Quick")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Unlinked Rossi Quick.")
    expect(page.get_by_role("heading", level=1)).to_have_text("My sim profiles")
    expect(my_profiles(page).get_by_role("row", name=re.compile("Rossi Quick"))).to_have_count(0)
    expect(my_profiles(page)).to_contain_text("No sim profiles linked yet.")
    assert_fields_labelled(page)
    save_screenshot(page, "journey-3-unlinked")
    quick.refresh_from_db()
    assert (quick.linked_user, quick.is_verified) == (None, False)


def test_claim_search_as_you_type_links_through_a_dialog_loaded_in_place(page):
    quick = directory_with_drivers()
    make_user("cleo", password=PASSWORD)
    login(page, "cleo", PASSWORD)

    nav(page, "My Sim Profiles")
    page.get_by_role("link", name="Find my profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find my sim profile")
    assert_fields_labelled(page)
    page.wait_for_load_state()
    mark_page(page)
    page.get_by_label("Find your profile").press_sequentially("5002", delay=40)
    results = page.get_by_role("region", name="Profiles to claim")
    # Only unclaimed drivers are offered.
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.get_by_role("row", name=re.compile("Rossi Quick"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/users/profile/sim-profiles/search/\?q=5002$"))
    wait_for_htmx(page)  # "This is me" loads its dialog with htmx once the results settle

    results.get_by_role("link", name="This is me").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("heading", level=1)).to_have_text("Link Rossi Quick?")
    assert_same_page(page)
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Link to my account")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Linked Rossi Quick (iRacing) to your account.")
    expect(my_profiles(page).get_by_role("row", name=re.compile("Rossi Quick"))).to_be_visible()
    save_screenshot(page, "sims-claimed-from-search")
    quick.refresh_from_db()
    assert quick.linked_user.username == "cleo"


def test_sim_profile_pages_label_every_field(page):
    iracing = make_simulator("iracing", "iRacing")
    dee = make_user("dee", password=PASSWORD)
    mine = make_profile(iracing, "Dee Mine", "7001", linked_user=dee)
    waiting = services.add_request_open(
        simulator=iracing, identifier="7002", name="Dee Two", user=dee, ip=None
    )
    login(page, "dee", PASSWORD)
    for path in (
        "/profiles/",
        "/profiles/search/?q=dee",
        "/profiles/iracing/",
        mine.get_absolute_url(),
        "/users/profile/sim-profiles/",
        "/users/profile/sim-profiles/search/?q=dee",
        "/users/profile/sim-profiles/add/",
        f"/users/profile/sim-profiles/{mine.pk}/verify/",
        f"/users/profile/sim-profiles/{mine.pk}/unlink/",
        waiting.get_cancel_url(),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fields_labelled(page)
    save_screenshot(page, "sims-pages-labelled")
    assert SimProfile.objects.get(pk=mine.pk).linked_user == dee


def test_adding_an_id_waits_for_its_code_and_can_be_cancelled(page):
    iracing = make_simulator("iracing", "iRacing")
    owner = make_user("ida", password=PASSWORD)
    hidden = make_profile(iracing, "Hidden Hana", "9009", is_public=False, linked_user=owner)
    make_user("eve", password=PASSWORD)
    login(page, "eve", PASSWORD)

    nav(page, "My Sim Profiles")
    expect(page.locator("#add-requests-title")).to_have_text("Waiting for verification")
    expect(page.locator("main")).to_contain_text("No IDs waiting.")
    page.get_by_role("link", name="Add a profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a sim profile")
    page.get_by_label("Simulator:", exact=True).select_option(label="iRacing")
    page.get_by_label("Your ID on the simulator").fill("9009")
    page.get_by_label("Driver name").fill("Eve Probe")
    page.get_by_role("button", name="Add", exact=True).click()

    # The answer is the one a new ID gets: a code, and the ID waiting under My sim profiles.
    request = AddRequest.objects.get(profile_identifier="9009")
    expect(page.get_by_role("status")).to_contain_text(
        f"We've noted 9009 on iRacing. To add it, prove it's yours: put the code {request.code}"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("My sim profiles")
    waiting = page.locator("#add-requests").get_by_role("row", name=re.compile("9009"))
    expect(waiting).to_contain_text(request.code)
    expect(waiting).to_contain_text("Put the code in your iRacing profile")
    assert_fields_labelled(page)
    save_screenshot(page, "sims-add-request-waiting")

    # Cancel: htmx loads the confirmation in place; the safe choice has focus.
    page.wait_for_load_state()
    mark_page(page)
    waiting.get_by_role("link", name="Cancel request").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_role("heading", level=1)).to_have_text("Cancel the request for 9009?")
    assert_same_page(page)
    expect(dialog.get_by_role("link", name="Keep it")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Cancel the request")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Cancelled the request for 9009 on iRacing.")
    expect(page.locator("#add-requests")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No IDs waiting.")
    request.refresh_from_db()
    assert request.status == AddRequest.Status.CANCELLED
    hidden.refresh_from_db()
    assert (hidden.linked_user, hidden.is_public, hidden.profile_name) == (owner, False, "Hidden Hana")


def test_the_copy_button_shows_only_where_it_can_copy(new_context):
    """It needs JavaScript: without it the button stays hidden, though its class sets a display."""
    uma = make_user("uma", password=PASSWORD)
    iracing = make_simulator("iracing", "iRacing")
    services.add_request_open(simulator=iracing, identifier="7007", name="Uma", user=uma, ip=None)
    for javascript in (False, True):
        page = new_context(java_script_enabled=javascript).new_page()
        login(page, "uma", PASSWORD)
        page.goto("/users/profile/sim-profiles/")
        copy = page.locator("#add-requests").get_by_role("button", name="Copy", include_hidden=True)
        expect(copy).to_have_count(1)
        (expect(copy).to_be_visible if javascript else expect(copy).to_be_hidden)()
