"""Nothing typed is lost: the unsaved-input guard and the drafts kept per racer and form.

On a phone, halfway through a change and a round note at the track, the
racer switcher asks first; switching keeps the typing as a draft for that
racer, the switch lands on the new racer's race days (never the previous
racer's race day), and switching back restores every field. Saving clears
the draft. A form sent from a tab left open on the other racer is refused,
and the typing comes back after the banner's one-tap switch.
"""

import re

from playwright.sync_api import Page, expect

from e2e.helpers import PASSWORD, account_with_racers, field, login, vehicle_with_baseline, wait_for_htmx
from racing.models import RaceDayChange, RaceDayRound
from racing.tests.factories import make_race_day

PHONE = {"width": 390, "height": 844}


def _race_day_world():
    _, (alex, sam) = account_with_racers("casey", "Alex", "Sam")
    race_day = make_race_day(alex, vehicle_with_baseline(alex), track="Genk")
    make_race_day(sam, vehicle_with_baseline(sam, brand="Xray", model="XB8"), track="Mill Lane")
    return race_day


def _answer_next_dialog(page: Page, *, accept: bool) -> list[str]:
    """Accept (or dismiss) the next dialog the page opens; the list gets what it said."""
    asked: list[str] = []

    def answer(dialog):
        asked.append(f"{dialog.type}: {dialog.message}")
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return asked


def _type_a_change_and_a_round(page: Page) -> None:
    change = page.locator("#add-change")
    field(change, "Parameter").select_option(label="Front shock oil (cSt)")
    expect(field(change, "Old value")).to_have_value("550")
    wait_for_htmx(page)
    field(change, "New value").fill("600")
    field(change, "Why").fill("bounces out of the rhythm section")
    rounds = page.locator("#rounds")
    rounds.get_by_role("radio", name="Qualifier").check()
    field(rounds, "Note").fill("Loose on the exit of the last corner\nsoften the rear?")


def _switch(page: Page, name: str) -> None:
    switcher = page.locator("details[data-switcher]")
    if switcher.get_attribute("open") is None:
        switcher.locator("summary").click()
    switcher.locator(".switch-to", has_text=name).click()


def test_switching_racer_mid_race_day_asks_keeps_a_draft_and_restores_it_on_return(new_context):
    race_day = _race_day_world()
    page = new_context(viewport=PHONE).new_page()
    login(page, "casey", PASSWORD)
    page.goto(race_day.get_absolute_url())
    page.wait_for_load_state()
    _type_a_change_and_a_round(page)

    # Dismissed: nothing happens, the typing is still there.
    asked = _answer_next_dialog(page, accept=False)
    _switch(page, "Sam")
    expect(page.locator("[data-active-racer]")).to_have_text("Alex")
    assert len(asked) == 1 and "unsaved input" in asked[0] and "kept as a draft" in asked[0], asked
    assert asked[0].startswith("confirm: Switch racer?"), asked
    expect(field(page.locator("#add-change"), "New value")).to_have_value("600")

    # Accepted: the switch lands on Sam's race days, not Alex's race day under Sam's name.
    asked = _answer_next_dialog(page, accept=True)
    page.locator(".switch-to", has_text="Sam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam's race days")
    expect(page.locator("[data-active-racer]")).to_have_text("Sam")
    expect(page.get_by_text("Genk")).to_have_count(0)
    assert len(asked) == 1, asked  # asked once: no second "leave site?" on the way out

    # Back to Alex: Alex's race days; the race day shows everything typed, marked as a draft.
    _switch(page, "Alex")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex's race days")
    page.get_by_role("link", name=re.compile("2025")).click()
    change = page.locator("#add-change")
    expect(change.locator("[data-draft-note]")).to_contain_text("Restored what you typed here before")
    expect(field(change, "Parameter")).to_have_value("so_f")
    expect(field(change, "Old value")).to_have_value("550")
    expect(field(change, "New value")).to_have_value("600")
    expect(field(change, "Why")).to_have_value("bounces out of the rhythm section")
    rounds = page.locator("#rounds")
    expect(rounds.get_by_role("radio", name="Qualifier")).to_be_checked()
    expect(field(rounds, "Note")).to_have_value("Loose on the exit of the last corner\nsoften the rear?")

    # Saved: the drafts are cleared, a reload shows empty forms and asks nothing.
    change.get_by_role("button", name="Record change").click()
    expect(page.get_by_role("region", name="Changes")).to_contain_text("bounces out of the rhythm section")
    wait_for_htmx(page)
    page.locator("#rounds").get_by_role("button", name="Add round").click()
    expect(page.locator("#rounds ol")).to_contain_text("Loose on the exit")
    wait_for_htmx(page)
    assert RaceDayChange.objects.filter(race_day=race_day, new_value="600").count() == 1
    assert RaceDayRound.objects.filter(race_day=race_day, kind="qualifier").count() == 1
    page.reload()
    expect(field(page.locator("#add-change"), "New value")).to_have_value("")
    expect(field(page.locator("#rounds"), "Note")).to_have_value("")
    expect(page.locator("[data-draft-note]")).to_have_count(0)


def test_leaving_a_form_with_unsaved_input_asks_first_and_discarding_a_draft_empties_it(new_context):
    _race_day_world()
    page = new_context(viewport=PHONE).new_page()
    login(page, "casey", PASSWORD)
    page.goto("/garage/vehicles/new/")
    page.wait_for_load_state()
    field(page, "Brand").fill("Kyosho")
    field(page, "Model").fill("MP10")

    # A link away: the browser's own "leave site?" prompt; staying keeps the page.
    asked = _answer_next_dialog(page, accept=False)
    page.locator("main").get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(300)  # the prompt is answered asynchronously; then nothing navigates
    assert [a.split(":")[0] for a in asked] == ["beforeunload"], asked
    expect(page).to_have_url(re.compile(r"/garage/vehicles/new/$"))
    expect(field(page, "Model")).to_have_value("MP10")

    # Coming back later (the tab closed meanwhile) brings the draft; Discard empties the form.
    page.once("dialog", lambda dialog: dialog.accept())
    page.goto("/garage/")
    page.goto("/garage/vehicles/new/")
    expect(page.locator("[data-draft-note]")).to_be_visible()
    expect(field(page, "Model")).to_have_value("MP10")
    page.get_by_role("button", name="Discard draft").click()
    expect(field(page, "Model")).to_have_value("")
    page.goto("/garage/")  # nothing unsaved: no prompt
    page.goto("/garage/vehicles/new/")
    expect(page.locator("[data-draft-note]")).to_have_count(0)
    expect(field(page, "Brand")).to_have_value("")


def test_a_round_sent_from_a_tab_left_on_the_other_racer_is_refused_and_kept(new_context):
    race_day = _race_day_world()
    context = new_context(viewport=PHONE)
    page = context.new_page()
    login(page, "casey", PASSWORD)
    page.goto(race_day.get_absolute_url())
    page.wait_for_load_state()
    rounds = page.locator("#rounds")
    rounds.get_by_role("radio", name="Qualifier").check()
    field(rounds, "Result").fill("P2 in heat 3")

    # Another tab switches to Sam meanwhile.
    other = context.new_page()
    other.goto("/")
    _switch(other, "Sam")
    expect(other.locator("[data-active-racer]")).to_have_text("Sam")

    rounds.get_by_role("button", name="Add round").click()
    expect(page.locator(".message.not-saved")).to_contain_text("Not saved: this belongs to Alex")
    banner = page.locator(".racer-banner")
    expect(banner).to_contain_text("you are working as Sam")
    expect(field(page.locator("#rounds"), "Result")).to_be_disabled()
    assert not RaceDayRound.objects.filter(race_day=race_day).exists()

    banner.get_by_role("button", name="Switch to Alex").click()
    expect(page.locator("[data-active-racer]")).to_have_text("Alex")
    expect(page).to_have_url(re.compile(rf"{race_day.get_absolute_url()}$"))
    expect(field(page.locator("#rounds"), "Result")).to_have_value("P2 in heat 3")
    expect(page.locator("#rounds").get_by_role("radio", name="Qualifier")).to_be_checked()
    page.locator("#rounds").get_by_role("button", name="Add round").click()
    expect(page.locator("#rounds ol")).to_contain_text("P2 in heat 3")
    assert RaceDayRound.objects.filter(race_day=race_day, result="P2 in heat 3").count() == 1
