"""Steps that browser journeys share: sign up (and confirm the e-mail), log in, the racer switcher, checks.

Import them in a journey: ``from e2e.helpers import login, open_switcher``.
Every step waits for what the user would see, never for a fixed time.
"""

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# Screenshots for a person to look at cost a render and a PNG each: taken when a test
# fails, and of every page the tests visit only with E2E_SCREENSHOTS=1.
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS") == "1"
PASSWORD = "Grid-Walk-2026!"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium(path: Path = CHROMIUM) -> None:
    """Fail (never skip, in CI or not) when the browser is missing, saying how to install it."""
    if os.access(path, os.X_OK):
        return
    where = "CI must install it (.ci/run does)" if os.environ.get("CI") == "true" else "install it"
    pytest.fail(
        f"The browser tests need Debian's chromium at {path}, which is missing: {where} with "
        "`apt-get update && apt-get install -y chromium`. Never `playwright install`.",
        pytrace=False,
    )


# Every visible form field that a person fills in must be named for a screen
# reader: a <label>, aria-label or aria-labelledby. Returns the ones that are not.
_UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes((el.type || "").toLowerCase()))
  .filter((el) => el.getClientRects().length > 0)
  .filter((el) => {
    const byLabel = Array.from(el.labels || []).some((l) => l.textContent.trim() !== "");
    const byAria = (el.getAttribute("aria-label") || "").trim() !== "";
    const byRef = (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
      .some((id) => { const n = document.getElementById(id); return n && n.textContent.trim() !== ""; });
    return !(byLabel || byAria || byRef);
  })
  .map((el) => `${el.tagName.toLowerCase()}[name=${el.name || "?"}]#${el.id || "?"}`)
"""


def unlabelled_fields(page: Page) -> list[str]:
    """The visible input/select/textarea elements on the page without a label."""
    return page.evaluate(_UNLABELLED_FIELDS_JS)


def assert_fields_labelled(page: Page) -> None:
    missing = unlabelled_fields(page)
    assert missing == [], f"{page.url}: form fields without a label: {missing}"


def save_screenshot(page: Page, name: str, folder: Path = ARTIFACTS, *, full_page: bool = True) -> Path:
    """A PNG under test-artifacts/ (git-ignored), for a person to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def screenshot_if_asked(page: Page, name: str, folder: Path = ARTIFACTS, *, full_page: bool = True) -> None:
    """``save_screenshot`` when E2E_SCREENSHOTS=1 asks for every page's picture."""
    if SCREENSHOTS:
        save_screenshot(page, name, folder, full_page=full_page)


def _label(text: str) -> re.Pattern:
    """A field's label as Django writes it, with or without the trailing colon."""
    return re.compile(rf"^\s*{re.escape(text)}:?\s*$")


def field(scope: Page | Locator, text: str) -> Locator:
    """The form field labelled ``text`` (exactly, with or without Django's colon)."""
    return scope.get_by_label(_label(text))


def signup(page: Page, username: str, password: str = PASSWORD, email: str | None = None) -> None:
    """Sign up through the form, then confirm the address by the link in the e-mail, as a person would.

    The live server runs in the test's process with Django's test mailbox, so
    the e-mail is read from ``django.core.mail.outbox``. Ends logged in.
    """
    email = email or f"{username}@example.com"
    fill_signup(page, username, password, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.locator("main")).to_contain_text(email)
    confirm_email(page, email)
    expect(logged_in(page)).to_be_attached()
    page.wait_for_load_state()  # apex.js is deferred; keyboard steps need it


def fill_signup(page: Page, username: str, password: str, email: str) -> None:
    """Open the sign-up page, fill it in and send it."""
    page.goto("/accounts/signup/")
    assert_fields_labelled(page)
    page.get_by_label(_label("Username")).fill(username)
    page.get_by_label(_label("E-mail")).fill(email)
    page.get_by_label(_label("Password")).fill(password)
    page.get_by_label(_label("Password (again)")).fill(password)
    page.locator("main").get_by_role("button", name="Sign up", exact=True).click()


def confirm_email(page: Page, email: str) -> None:
    """Open the link in the newest e-mail to ``email`` and press the button."""
    from apex.tests.fixtures import confirmation_link

    page.goto(confirmation_link(email))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    page.locator("main").get_by_role("button", name="Confirm my address").click()


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the allauth form, as a person would."""
    page.goto("/accounts/login/")
    assert_fields_labelled(page)
    page.get_by_label(_label("Username or e-mail")).fill(username)
    page.get_by_label(_label("Password")).fill(password)
    page.locator("main").get_by_role("button", name="Log in", exact=True).click()
    expect(logged_in(page)).to_be_attached()
    page.wait_for_load_state()  # apex.js is deferred; keyboard steps need it


def logged_in(page: Page) -> Locator:
    """The Log out button: in the header on wide screens, in its Menu on phones."""
    return page.get_by_role("button", name="Log out", include_hidden=True).first


def open_menu(page: Page) -> Locator | None:
    """On a phone, the header's Menu opened (None on wide screens, where the links show)."""
    menu = page.locator("details.menu")
    if not menu.is_visible():
        return None
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    return menu


def logout(page: Page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Log out").click()
    open_menu(page)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()


def switcher(page: Page) -> Locator:
    return page.locator("details[data-switcher]")


def active_racer(page: Page) -> Locator:
    """The racer name the switcher shows as active."""
    return switcher(page).locator("[data-active-racer]")


def open_switcher(page: Page) -> Locator:
    panel = switcher(page)
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel).to_have_attribute("open", "")
    return panel


def add_racer_from_switcher(page: Page, name: str) -> None:
    panel = open_switcher(page)
    panel.get_by_label("New racer").fill(name)
    panel.get_by_role("button", name="Add").click()
    expect(switcher(page).locator(".switch-to", has_text=name)).to_have_count(1)


def switch_to(page: Page, name: str) -> None:
    panel = open_switcher(page)
    panel.locator(".switch-to", has_text=name).click()
    expect(active_racer(page)).to_have_text(name)


def star(page: Page, name: str) -> None:
    panel = open_switcher(page)
    panel.get_by_role("button", name=f"Make {name} the default racer").click()
    expect(switcher(page).get_by_role("button", name=f"{name} is the default racer")).to_have_attribute(
        "aria-pressed", "true"
    )


# --- data for journeys ---------------------------------------------------------
# Built in the test's database before the browser opens; the journeys then
# drive the pages. Imports are local so this module loads before Django apps.


def account_with_racers(username: str, *names: str):
    """A user who logs in with ``PASSWORD``, owning racers ``names`` (the first is the default).

    Returns ``(user, [racer, ...])``.
    """
    from apex.tests.fixtures import make_user
    from profiles import services

    owner = make_user(username, password=PASSWORD)
    racers = [services.create_profile(owner, name) for name in names or ("Default Racer",)]
    return owner, racers


def vehicle_with_baseline(racer, brand: str = "Mugen", model: str = "MBX8R", **values):
    """A vehicle of ``racer`` whose baseline version 1 holds the usual test setup (plus ``values``)."""
    from racing.tests.factories import make_baseline, make_vehicle

    vehicle = make_vehicle(racer, brand=brand, model=model)
    make_baseline(vehicle, note="Shop master", **values)
    return vehicle


def focused(page: Page) -> str:
    """A short description of the focused element, for assertions and messages."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}|${e.getAttribute('aria-label') || e.textContent.trim()}`; }"
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False, max_tabs: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus (it must be reachable)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_tabs):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} is not reachable with {key}; focus ended on {focused(page)}")


def mark_page(page: Page) -> None:
    """Tag the loaded document; ``assert_same_page`` then proves htmx swapped without a reload."""
    page.evaluate("() => { window.__apexPageMark = 'kept'; }")


def assert_same_page(page: Page) -> None:
    assert page.evaluate("() => window.__apexPageMark") == "kept", f"{page.url} reloaded instead of swapping"


def wait_for_htmx(page: Page) -> None:
    """Wait until no htmx request, swap or settle is under way.

    New content gets its hx-* behaviour when htmx settles it, a moment after
    it shows; a step that uses swapped-in controls waits for that, as a
    person's next click naturally does. Call it after expecting what the swap shows.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def delete_by_keyboard(
    page: Page, *, delete_url: str, title: str, return_url: str, button: str, exists: Callable[[], bool]
) -> None:
    """Open a delete confirmation by keyboard, cancel it with Escape, then confirm with Enter.

    Checks focus at each step and, through ``exists``, that cancelling kept
    the object and confirming deleted it.
    """
    tab_to(page, f"a[href='{delete_url}']")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text(title)
    page.wait_for_load_state()  # apex.js is deferred: Escape needs it loaded
    expect(dialog.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page).to_have_url(return_url)
    assert exists()

    page.get_by_role("link", name="Delete", exact=True).click()
    expect(page.get_by_role("link", name="Cancel")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name=button)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Deleted")
    assert not exists()
