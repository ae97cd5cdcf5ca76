"""Setup-library journeys in a real browser: search, filter, use a setup as a baseline.

Journey 4: search the library as you type and narrow it with filters (htmx
updates the results, the URL keeps them), open a setup, use it as the
baseline of a vehicle and read the baseline diff. The author's delete
confirmation is driven with the keyboard.
"""

import datetime
import re

from playwright.sync_api import Page, expect

from apex.tests.fixtures import make_user
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
    vehicle_with_baseline,
)
from library.models import LibrarySetup
from library.tests.factories import make_library_setup
from racing.models import BaselineVersion


def library_with_setups():
    """Four shared setups; only one is a wet Mugen at Genk, and it differs from the usual setup."""
    pat = make_user("pat", password=PASSWORD)
    wet_genk = make_library_setup(
        pat,
        track="Genk",
        brand="Mugen",
        vehicle="MBX8R",
        condition="wet",
        date=datetime.date(2025, 6, 1),
        df=5000,
        so_f=450,
        compound="Green",
    )
    make_library_setup(pat, track="Genk", brand="Mugen", condition="dry", date=datetime.date(2025, 5, 1))
    make_library_setup(pat, track="Genk", brand="Xray", vehicle="XB8", condition="wet")
    make_library_setup(pat, track="Rijswijk", brand="Mugen", condition="wet")
    return wet_genk


def results(page: Page):
    return page.locator("#library-results")


def test_journey_4_filtered_library_search_then_use_as_baseline_shows_the_diff(page):
    wet_genk = library_with_setups()
    _owner, (eli,) = account_with_racers("eli", "Eli")
    vehicle = vehicle_with_baseline(eli)
    login(page, "eli", PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Setup library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Setup library")
    expect(results(page)).to_contain_text("4 setups")
    assert_fields_labelled(page)
    page.wait_for_load_state()
    mark_page(page)

    # Text as you type, then filters: each step updates the results in place.
    page.get_by_role("search").get_by_label("Search").press_sequentially("genk", delay=40)
    # The pushed URL says the whole word was searched (not a prefix typed on the way).
    expect(page).to_have_url(re.compile(r"/library/\?q=genk&"))
    expect(results(page)).to_contain_text("3 setups")
    expect(results(page).get_by_role("link", name="Rijswijk")).to_have_count(0)
    field(page, "Condition").select_option("wet")
    expect(results(page)).to_contain_text("2 setups")
    field(page, "Brand").select_option("Mugen")
    expect(results(page)).to_contain_text("1 setup")
    row = results(page).locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Mugen MBX8R")
    expect(row).to_contain_text("wet")
    assert_same_page(page)
    expect(page).to_have_url(re.compile(r"/library/\?q=genk&.*brand=Mugen.*&condition=wet"))

    # The URL is a real page: loaded afresh, the search and filters are kept.
    page.reload()
    expect(page.get_by_role("search").get_by_label("Search")).to_have_value("genk")
    expect(field(page, "Condition")).to_have_value("wet")
    expect(field(page, "Brand")).to_have_value("Mugen")
    expect(results(page)).to_contain_text("1 setup")

    results(page).get_by_role("link", name="Genk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mugen MBX8R @ Genk")
    assert_fields_labelled(page)
    use = page.get_by_role("region", name="Use it")
    expect(field(use, "Into vehicle")).to_have_value(str(vehicle.pk))
    field(use, "Into vehicle").select_option(label="Mugen MBX8R")
    use.get_by_role("button", name="Use as my baseline").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Mugen MBX8R @ Genk is now baseline version 2 of Mugen MBX8R."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 → version 2")
    expect(page.locator("main")).to_contain_text("From the setup library: Mugen MBX8R @ Genk")
    changed = page.locator("table.diff tbody tr")
    expect(changed).to_have_count(3)
    for label, old, new in (
        ("Front diff oil", "7000", "5000"),
        ("Front shock oil", "550", "450"),
        ("Tyre compound", "Blue", "Green"),
    ):
        diff_row = changed.filter(has=page.get_by_role("rowheader", name=re.compile(label)))
        expect(diff_row.locator("del")).to_have_text(old)
        expect(diff_row.locator("ins")).to_have_text(new)
    assert_fields_labelled(page)
    save_screenshot(page, "journey-4-library-baseline-diff")

    newest = BaselineVersion.objects.filter(vehicle=vehicle).order_by("-number").first()
    assert (newest.number, newest.df, newest.so_f, newest.compound) == (2, 5000, 450, "Green")
    assert LibrarySetup.objects.filter(pk=wet_genk.pk).exists()


def test_library_delete_confirmation_cancels_with_escape_and_deletes_with_enter(page):
    wet_genk = library_with_setups()
    login(page, "pat", PASSWORD)
    page.goto(wet_genk.get_absolute_url())

    # The author's edit form shows the setup's date (an ISO date input).
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(field(page, "Date")).to_have_value("2025-06-01")
    assert_fields_labelled(page)
    page.go_back()

    delete_by_keyboard(
        page,
        delete_url=f"/library/{wet_genk.pk}/delete/",
        title="Delete Mugen MBX8R @ Genk from the library?",
        return_url=wet_genk.get_absolute_url(),
        button="Delete setup",
        exists=LibrarySetup.objects.filter(pk=wet_genk.pk).exists,
    )
    expect(page.get_by_role("status")).to_contain_text("Deleted Mugen MBX8R @ Genk from the library.")
    expect(results(page)).to_contain_text("3 setups")
    save_screenshot(page, "library-setup-deleted")


def test_library_pages_label_every_field(page):
    wet_genk = library_with_setups()
    login(page, "pat", PASSWORD)
    for path in (
        "/library/",
        "/library/?q=genk&condition=wet",
        "/library/new/",
        wet_genk.get_absolute_url(),
        f"/library/{wet_genk.pk}/edit/",
        f"/library/{wet_genk.pk}/delete/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fields_labelled(page)
    save_screenshot(page, "library-pages-labelled")
