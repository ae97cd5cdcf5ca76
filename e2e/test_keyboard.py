"""Keyboard use: the racer switcher and confirmation pages with Tab, Enter and Escape."""

from playwright.sync_api import expect

from apex.tests.fixtures import make_user
from e2e.helpers import PASSWORD, active_racer, assert_fields_labelled, focused, login, switcher, tab_to
from profiles import services
from profiles.models import RacerProfile


def racer_with_two_racers(username: str) -> None:
    owner = make_user(username, password=PASSWORD)
    services.get_or_create_default_profile(owner)
    services.create_profile(owner, "Sam")


def test_switcher_opens_switches_and_closes_with_the_keyboard(page):
    racer_with_two_racers("kit")
    login(page, "kit", PASSWORD)
    panel = switcher(page)

    tab_to(page, "details[data-switcher] summary")
    page.keyboard.press("Enter")
    expect(panel).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.switcher-panel') !== null"), focused(page)

    # Escape closes the panel and gives focus back to its summary.
    page.keyboard.press("Escape")
    expect(panel).not_to_have_attribute("open", "")
    assert page.evaluate("() => document.activeElement.matches('details[data-switcher] summary')"), focused(
        page
    )

    page.keyboard.press("Enter")
    tab_to(page, "details[data-switcher] .switch-to:not([aria-current])")
    assert "Sam" in focused(page)
    page.keyboard.press("Enter")
    expect(active_racer(page)).to_have_text("Sam")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam")


def test_switcher_adds_and_stars_a_racer_with_the_keyboard(page):
    racer_with_two_racers("lee")
    login(page, "lee", PASSWORD)
    panel = switcher(page)

    tab_to(page, "details[data-switcher] summary")
    page.keyboard.press("Enter")
    tab_to(page, "#switcher-new-name")
    page.keyboard.type("Alex")
    page.keyboard.press("Enter")
    expect(panel.locator(".switch-to", has_text="Alex")).to_have_count(1)
    # The panel stays open with the name field focused, ready for another racer.
    expect(panel).to_have_attribute("open", "")
    expect(page.locator("#switcher-new-name")).to_be_focused()
    expect(page.locator("#switcher-new-name")).to_have_value("")

    alex = RacerProfile.objects.get(owner__username="lee", name="Alex")
    tab_to(page, f"#switcher-star-{alex.pk}", backwards=True)
    page.keyboard.press("Enter")
    star = panel.get_by_role("button", name="Alex is the default racer")
    expect(star).to_have_attribute("aria-pressed", "true")
    # Focus stays on the star that was pressed, so the keyboard user is not lost.
    expect(star).to_be_focused()
    assert services.get_default_profile(alex.owner) == alex
    assert_fields_labelled(page)


def test_confirm_delete_page_cancels_with_escape_and_deletes_with_enter(page):
    racer_with_two_racers("mo")
    sam = RacerProfile.objects.get(owner__username="mo", name="Sam")
    login(page, "mo", PASSWORD)
    page.goto(f"/racers/{sam.pk}/")

    tab_to(page, f"a[href='/racers/{sam.pk}/delete/']")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete Sam?")
    page.wait_for_load_state()  # apex.js is deferred: Escape needs it loaded
    # The safe choice has focus; Escape cancels back to the racer.
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page).to_have_url(f"/racers/{sam.pk}/")
    assert RacerProfile.objects.filter(pk=sam.pk).exists()

    page.goto(f"/racers/{sam.pk}/delete/")
    expect(page.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Delete Sam")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Deleted racer Sam")
    assert not RacerProfile.objects.filter(pk=sam.pk).exists()


def test_racer_pages_label_every_field(page):
    racer_with_two_racers("noor")
    sam = RacerProfile.objects.get(owner__username="noor", name="Sam")
    login(page, "noor", PASSWORD)
    for path in ("/", "/racers/", "/racers/new/", f"/racers/{sam.pk}/", f"/racers/{sam.pk}/edit/"):
        page.goto(path)
        # Inside the open switcher too.
        switcher(page).locator("summary").click()
        assert_fields_labelled(page)
