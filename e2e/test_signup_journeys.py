"""Sign-up in a real browser: the e-mailed link confirms the address and lets the racer in.

A taken address gets the very same page and lets nobody in; a log-in before
confirming says what to do; on a phone every step fits the screen. The live
server runs in the test's process, so the e-mails are read from Django's test
mailbox.
"""

from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Page, expect

from apex.tests.fixtures import confirmation_link, mail_to
from e2e.helpers import PASSWORD, account_with_racers, active_racer, fill_signup, logged_in, login
from profiles.models import RacerProfile, User

PHONE = {"width": 390, "height": 844}
TAP = 44


def assert_fits_and_no_serious_violation(page: Page) -> None:
    """No sideways scroll, every button on screen and at least 44 px tall, no serious axe finding."""
    width = page.evaluate("() => window.innerWidth")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= width
    for control in page.locator("main button, main .button").all():
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["height"] >= TAP, control.inner_text()
    violations = [
        f"{v['id']}: {v['nodes'][0]['target']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert violations == [], f"{page.url}: {violations}"


def test_sign_up_on_a_phone_then_the_emailed_link_lets_the_racer_in(new_context):
    page = new_context(viewport=PHONE).new_page()
    fill_signup(page, "casey", PASSWORD, "casey@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.locator("main")).to_contain_text("we have sent an e-mail to casey@example.com")
    assert_fits_and_no_serious_violation(page)

    page.get_by_role("button", name="Send the e-mail again").click()
    expect(page.get_by_role("status")).to_contain_text("less than 3 minutes ago")
    assert len(mail_to("casey@example.com")) == 1

    page.goto(confirmation_link("casey@example.com"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(page.locator("main")).to_contain_text("for the Apex account casey?")
    assert_fits_and_no_serious_violation(page)
    page.get_by_role("button", name="Confirm my address").click()

    expect(page).to_have_url("/")
    expect(page.get_by_role("status")).to_contain_text("casey@example.com is confirmed")
    expect(active_racer(page)).to_have_text("casey")
    expect(page.get_by_role("heading", level=1)).to_have_text("casey")
    expect(logged_in(page)).to_be_attached()
    assert RacerProfile.objects.get(owner__username="casey").is_default


def test_a_taken_address_gets_the_same_page_and_lets_nobody_in(new_context):
    account_with_racers("rider")  # rider@example.com, confirmed
    page = new_context().new_page()
    fill_signup(page, "newcomer", PASSWORD, "rider@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.locator("main")).to_contain_text("we have sent an e-mail to rider@example.com")
    expect(page.get_by_role("button", name="Send the e-mail again")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    assert not User.objects.filter(username="newcomer").exists()
    [message] = mail_to("rider@example.com")
    assert message.subject == "Apex: you already have an account"


def test_log_in_before_confirming_then_the_link_in_another_browser(new_context):
    laptop = new_context().new_page()
    fill_signup(laptop, "robin", PASSWORD, "robin@example.com")
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    phone = new_context(viewport=PHONE).new_page()
    phone.goto("/accounts/login/")
    phone.get_by_label("Username or e-mail").fill("robin")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.locator("main").get_by_role("button", name="Log in", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(phone.locator("main")).to_contain_text("not confirmed yet, so you cannot log in until it is")
    assert_fits_and_no_serious_violation(phone)

    # The link opened in the browser that tried to log in finishes that log-in.
    phone.goto(confirmation_link("robin@example.com"))
    phone.get_by_role("button", name="Confirm my address").click()
    expect(phone).to_have_url("/")
    expect(active_racer(phone)).to_have_text("robin")

    # The laptop that signed up is told, and logs in as usual.
    laptop.reload()
    expect(laptop).to_have_url("/accounts/login/")
    expect(laptop.get_by_role("status")).to_contain_text("Your e-mail address is confirmed: log in to start.")
    login(laptop, "robin", PASSWORD)
    expect(active_racer(laptop)).to_have_text("robin")
