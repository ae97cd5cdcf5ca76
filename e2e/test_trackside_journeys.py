"""The race day at the track, on a phone with bad signal (390×844, Playwright's offline mode).

Changes, status taps and rounds recorded without signal are kept on the
phone and sent once each when it returns; the day opens without signal; a
change for a day closed meanwhile comes back with its text. The one-handed
controls are checked at phone size: steppers, one-tap status, 16px inputs
and 44px targets.
"""

import re

from playwright.sync_api import Page, expect

from e2e.helpers import PASSWORD, account_with_racers, field, login, save_screenshot, vehicle_with_baseline
from racing import services
from racing.models import IdempotencyKey, RaceDay, RaceDayChange, RaceDayRound, TrackLog
from racing.tests.factories import make_race_day

PHONE = {"width": 390, "height": 844}


def open_day_on_a_phone(new_context, username: str, *, with_change: bool = False) -> tuple[Page, RaceDay]:
    _owner, (racer,) = account_with_racers(username, "Dana")
    race_day = make_race_day(racer, vehicle_with_baseline(racer), track="Genk")
    # A change on the page from its first load: Playwright's routes missed the
    # requests of a page reloaded through the service worker.
    if with_change:
        services.race_day_change_add(race_day=race_day, parameter="dr", old_value="3000", new_value="5000")
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    login(page, username, PASSWORD)
    page.goto(race_day.get_absolute_url())
    page.wait_for_load_state()
    # The service worker controls the page and keeps it (first visit included).
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    wait_until_kept(page, race_day.get_absolute_url())
    return page, race_day


def wait_until_kept(page: Page, path: str) -> None:
    """Until the service worker holds a copy of the page (wait_for_function would not wait on a promise)."""
    kept = "(path) => caches.open('apex-pages-v1').then((c) => c.match(path)).then((r) => !!r)"
    for _ in range(100):
        if page.evaluate(kept, path):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} was not kept on the phone")


def record(page: Page, parameter: str, old: str, *, new: str = "", steps: int = 0, why: str = "") -> None:
    form = page.locator("form#add-change")
    field(form, "Parameter").select_option(label=parameter)
    expect(field(form, "Old value")).to_have_value(old)
    if new:
        field(form, "New value").fill(new)
    for _ in range(steps):
        form.get_by_role("button", name="One step more").click()
    if why:
        field(form, "Why").fill(why)
    form.get_by_role("button", name="Record change").click()


def queue(page: Page, state: str):
    return page.locator(f"#offline-queue [data-queue-item={state}]")


def test_changes_and_rounds_recorded_without_signal_are_sent_once_each_and_the_day_opens_offline(new_context):
    page, race_day = open_day_on_a_phone(new_context, "dana")
    page.context.set_offline(True)

    record(page, "Front shock oil (cSt)", "550", steps=2, why="more support")
    expect(queue(page, "waiting")).to_have_count(1)
    expect(page.locator("#offline-queue")).to_contain_text("No signal")
    expect(queue(page, "waiting")).to_contain_text(
        "Front shock oil (cSt): 550 → 650 (planned) — more support"
    )
    # The form is ready for the next one, with a new key.
    expect(field(page.locator("form#add-change"), "New value")).to_have_value("")
    record(page, "Rear diff oil (cSt)", "3000", new="5000")
    expect(queue(page, "waiting")).to_have_count(2)
    # A round note, likewise.
    rounds = page.locator("form#add-round")
    rounds.get_by_label("Qualifier", exact=True).check()
    field(rounds, "Note").fill("loose on entry")
    rounds.get_by_role("button", name="Add round").click()
    expect(queue(page, "waiting")).to_have_count(3)
    expect(queue(page, "waiting").last).to_contain_text("Qualifier — loose on entry")
    assert not RaceDayChange.objects.exists() and not RaceDayRound.objects.exists()
    save_screenshot(page, "trackside-offline-waiting-390")

    # Reloading without signal opens the kept copy of the day, still showing what waits.
    response = page.reload()
    assert response is not None and response.headers.get("x-apex-offline") == "kept copy"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Genk")
    expect(queue(page, "waiting")).to_have_count(3)

    page.context.set_offline(False)
    expect(queue(page, "sent")).to_have_count(3)
    expect(queue(page, "waiting")).to_have_count(0)
    expect(page.locator("#changes-list tbody tr")).to_have_count(2)
    expect(page.locator("#rounds-list")).to_contain_text("loose on entry")
    save_screenshot(page, "trackside-sent-390")
    changes = list(RaceDayChange.objects.filter(race_day=race_day).order_by("id"))
    assert [(c.parameter, c.old_value, c.new_value, c.reason) for c in changes] == [
        ("so_f", "550", "650", "more support"),
        ("dr", "3000", "5000", ""),
    ]
    assert list(RaceDayRound.objects.values_list("kind", "note")) == [("qualifier", "loose on entry")]
    assert IdempotencyKey.objects.count() == 3

    # Reloading (and the queue's later rounds) sends nothing again.
    page.reload()
    expect(page.locator("#changes-list tbody tr")).to_have_count(2)
    page.evaluate("() => new Promise((done) => setTimeout(done, 500))")
    assert RaceDayChange.objects.count() == 2 and RaceDayRound.objects.count() == 1


def test_a_change_for_a_day_closed_meanwhile_comes_back_with_its_text(new_context):
    page, race_day = open_day_on_a_phone(new_context, "eli")
    page.context.set_offline(True)
    record(page, "Front camber (°)", "-1.5", steps=1, why="more steering")
    expect(queue(page, "waiting")).to_have_count(1)
    services.race_day_close(race_day=race_day)  # from another device, meanwhile

    page.context.set_offline(False)
    refused = queue(page, "refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("This race day is closed")
    expect(refused.locator("pre")).to_have_text("Front camber (°): -1.5 → -1.0 (planned) — more steering")
    assert not RaceDayChange.objects.exists()
    save_screenshot(page, "trackside-refused-390")
    # Still there on the (now closed) day's page until it is dismissed.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("closed")
    expect(refused.locator("pre")).to_have_text("Front camber (°): -1.5 → -1.0 (planned) — more steering")
    refused.get_by_role("button", name=re.compile("Dismiss")).click()
    expect(refused).to_have_count(0)


def close_without_signal(page: Page, race_day: RaceDay, note: str) -> None:
    """Offline already: the day's closing page opens from the phone and keeps the closing."""
    wait_until_kept(page, race_day.get_close_url())
    page.get_by_role("link", name="Close race day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the race day at Genk?")
    form = page.locator("form[data-offline-queue=close]")
    field(form, "Note").fill(note)
    form.get_by_role("button", name="Close race day").click()
    # Back on the day (opened from the phone), the closing waits after what was kept before it.
    expect(page).to_have_url(re.compile(re.escape(race_day.get_absolute_url()) + "$"))
    expect(queue(page, "waiting").last).to_contain_text(f"(close) Close the race day at Genk — {note}")


def test_a_day_closed_without_signal_closes_after_what_was_kept_before_it(new_context):
    page, race_day = open_day_on_a_phone(new_context, "hal")
    page.context.set_offline(True)
    record(page, "Rear diff oil (cSt)", "3000", new="5000", why="drive on exit")
    close_without_signal(page, race_day, "Dry all day")
    expect(queue(page, "waiting")).to_have_count(2)
    expect(page.get_by_role("link", name="Close race day")).to_be_hidden()  # kept once, not offered again
    save_screenshot(page, "trackside-close-waiting-390")
    race_day.refresh_from_db()
    assert race_day.is_open and not RaceDayChange.objects.exists()

    page.context.set_offline(False)
    # Sent in order; the day's page is read again, closed, with what was sent listed.
    expect(page.get_by_role("heading", level=1)).to_contain_text("closed")
    expect(queue(page, "sent")).to_have_count(2)
    race_day.refresh_from_db()
    assert not race_day.is_open
    log = TrackLog.objects.get(race_day=race_day)
    assert "Rear diff oil: 3000 → 5000" in log.note and "Dry all day" in log.note
    assert RaceDayChange.objects.count() == 1 and IdempotencyKey.objects.count() == 2


def test_a_closing_kept_offline_waits_while_a_change_before_it_is_refused(new_context):
    page, race_day = open_day_on_a_phone(new_context, "ida")
    page.context.set_offline(True)
    record(page, "Rear diff oil (cSt)", "3000", new="5", why="typo")  # below the oil's range: refused
    close_without_signal(page, race_day, "Wet later")

    page.context.set_offline(False)
    refused = queue(page, "refused")
    expect(refused).to_have_count(1)
    expect(queue(page, "waiting")).to_contain_text("sent once what was not saved above is dismissed")
    race_day.refresh_from_db()
    assert race_day.is_open
    save_screenshot(page, "trackside-close-held-390")

    # Dismissed (copied): the closing goes at the next try.
    refused.get_by_role("button", name=re.compile("Dismiss")).click()
    page.context.set_offline(True)
    page.context.set_offline(False)
    expect(page.get_by_role("heading", level=1)).to_contain_text("closed")
    race_day.refresh_from_db()
    assert not race_day.is_open and "Wet later" in TrackLog.objects.get(race_day=race_day).note
    assert not RaceDayChange.objects.exists()


def test_one_thumb_no_zoom_steppers_and_one_tap_status(new_context):
    page, race_day = open_day_on_a_phone(new_context, "fay")
    services.race_day_change_add(race_day=race_day, parameter="dr", old_value="3000", new_value="5000")
    page.reload()
    form = page.locator("form#add-change")
    field(form, "Parameter").select_option(label="Front ride height (mm)")
    expect(form.get_by_text("Each tap: 0.5 mm")).to_be_visible()
    form.get_by_role("button", name="One step less").click()
    expect(field(form, "New value")).to_have_value("26.5")
    field(form, "Why").fill("half typed")

    # One tap marks the change kept: the setup follows, the half-typed change stays.
    row = page.locator("#changes-list tbody tr", has_text="Rear diff oil")
    row.get_by_role("button", name="Kept").click()
    expect(row.get_by_role("button", name="Kept")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('#day-setup [data-param="dr"]')).to_have_text("5000 cSt")
    expect(field(form, "Why")).to_have_value("half typed")
    assert RaceDayChange.objects.get().status == "kept"

    # No zooming: typed-in fields at 16px or more; every control a 44px target; nothing off screen.
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll('#add-change, #add-round'))
          .flatMap((f) => Array.from(f.querySelectorAll('input:not([type=hidden]), select, textarea')))
          .filter((e) => e.getClientRects().length && parseFloat(getComputedStyle(e).fontSize) < 16)
          .map((e) => e.name)"""
    )
    assert small == []
    cramped = page.evaluate(
        """() => Array.from(document.querySelectorAll(
            '#workspace button, #workspace select, #workspace input:not([type=hidden]):not([type=radio]),'
            + ' #workspace .choice-buttons label, #rounds button, #rounds .choice-buttons label'))
          .filter((e) => e.getClientRects().length)
          .filter((e) => { const r = e.getBoundingClientRect();
            return r.height < 44 || r.left < 0 || r.right > window.innerWidth; })
          .map((e) => `${e.tagName} ${e.textContent.trim() || e.name} ${JSON.stringify(e.getBoundingClientRect())}`)"""
    )
    assert cramped == []
    assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, "trackside-one-handed-390")


def test_the_four_status_buttons_are_two_by_two_on_a_phone_and_beside_the_setup(new_context):
    page, _race_day = open_day_on_a_phone(new_context, "fig", with_change=True)
    buttons = page.locator("#changes-list tbody tr").first.locator(".status-buttons button")
    boxes_js = (
        "(els) => els.map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width]; })"
    )
    for width, height in [(390, 844), (1366, 768)]:
        page.set_viewport_size({"width": width, "height": height})
        boxes = buttons.evaluate_all(boxes_js)
        assert len(boxes) == 4
        # Planned and Tried on one row, Kept and Reverted on the next, in two columns of one width.
        lefts = sorted({round(left) for left, _top, _w in boxes})
        tops = sorted({round(top) for _left, top, _w in boxes})
        assert len(lefts) == 2 and len(tops) == 2, (width, boxes)
        assert [round(b[1]) for b in boxes] == [tops[0], tops[0], tops[1], tops[1]], (width, boxes)
        assert max(b[2] for b in boxes) - min(b[2] for b in boxes) < 1, (width, boxes)


def test_a_change_whose_answer_was_lost_is_sent_again_and_stored_once(new_context):
    page, race_day = open_day_on_a_phone(new_context, "gil")

    def lose_the_answer(route):
        route.fetch()  # the server gets the change and saves it ...
        route.abort()  # ... and the phone never hears back

    page.route(re.compile(r"/changes/$"), lose_the_answer)
    record(page, "Rear diff oil (cSt)", "3000", new="4000")
    expect(queue(page, "waiting")).to_have_count(1)
    assert RaceDayChange.objects.count() == 1

    page.unroute(re.compile(r"/changes/$"))
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(queue(page, "sent")).to_have_count(1)
    expect(page.locator("#changes-list tbody tr")).to_have_count(1)
    assert RaceDayChange.objects.filter(race_day=race_day).count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_status_taps_made_without_signal_show_at_once_and_are_sent_in_order(new_context):
    page, race_day = open_day_on_a_phone(new_context, "ivy", with_change=True)
    change = RaceDayChange.objects.get(race_day=race_day)
    page.context.set_offline(True)

    row = page.locator("#changes-list tbody tr", has_text="Rear diff oil")
    row.get_by_role("button", name="Tried").click()
    row.get_by_role("button", name="Kept").click()
    # The row shows the last tap at once, marked as waiting; the queue lists both in order.
    expect(row.get_by_role("button", name="Kept")).to_have_attribute("aria-pressed", "true")
    expect(row.get_by_role("button", name="Tried")).to_have_attribute("aria-pressed", "false")
    expect(row).to_contain_text("Waiting for signal")
    expect(queue(page, "waiting")).to_have_count(2)
    expect(queue(page, "waiting").first).to_contain_text("(status) Rear diff oil: tried")
    expect(queue(page, "waiting").last).to_contain_text("(status) Rear diff oil: kept")
    change.refresh_from_db()
    assert change.status == "planned"
    save_screenshot(page, "trackside-offline-status-390")

    page.context.set_offline(False)
    expect(queue(page, "sent")).to_have_count(2)
    expect(page.locator('#day-setup [data-param="dr"]')).to_have_text("5000 cSt")
    expect(row).not_to_contain_text("Waiting for signal")
    change.refresh_from_db()
    assert change.status == "kept"
    assert IdempotencyKey.objects.count() == 2


def test_a_status_tap_whose_answer_was_lost_is_sent_again_once(new_context):
    page, race_day = open_day_on_a_phone(new_context, "jon", with_change=True)
    change = RaceDayChange.objects.get(race_day=race_day)

    def lose_the_answer(route):
        route.fetch()
        route.abort()

    page.route(re.compile(r"/status/$"), lose_the_answer)
    page.locator("#changes-list tbody tr", has_text="Rear diff oil").get_by_role(
        "button", name="Kept"
    ).click()
    expect(queue(page, "waiting")).to_have_count(1)
    expect(queue(page, "waiting")).to_contain_text("(status) Rear diff oil: kept")
    change.refresh_from_db()
    assert change.status == "kept"

    page.unroute(re.compile(r"/status/$"))
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(queue(page, "sent")).to_have_count(1)
    expect(page.locator('#day-setup [data-param="dr"]')).to_have_text("5000 cSt")
    assert IdempotencyKey.objects.count() == 1


def test_without_javascript_the_server_fills_the_old_value(new_context):
    _owner, (racer,) = account_with_racers("hal", "Hal")
    race_day = make_race_day(racer, vehicle_with_baseline(racer), track="Genk")
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    login(page, "hal", PASSWORD)
    page.goto(race_day.get_absolute_url())
    form = page.locator("form#add-change")
    field(form, "Parameter").select_option(label="Front shock oil (cSt)")
    form.get_by_role("button", name="Fill in the old value").click()
    form = page.locator("form#add-change")
    expect(field(form, "Old value")).to_have_value("550")
    expect(form.get_by_role("button", name="One step more")).to_be_hidden()
    field(form, "New value").fill("600")
    form.get_by_label("Tried", exact=True).check()
    form.get_by_role("button", name="Record change").click()
    expect(page.get_by_role("status")).to_contain_text("Change recorded.")
    page.get_by_role("group", name="Status of Front shock oil").get_by_role("button", name="Kept").click()
    expect(page.get_by_role("status")).to_contain_text("Front shock oil: marked kept.")
    assert RaceDayChange.objects.get().status == "kept"
