"""The API tokens page in a real browser: create a token, see it once, use it, revoke it."""

import os
from pathlib import Path

from django.test import Client
from playwright.sync_api import expect

from api.models import ApiToken
from e2e.helpers import (
    PASSWORD,
    account_with_racers,
    assert_fields_labelled,
    field,
    login,
    screenshot_if_asked,
)

# Screenshots for a person to look at, outside the repository when asked for.
SHOTS = Path(os.environ.get("API_SHOTS_DIR", "test-artifacts/e2e"))


def _token_used(raw: str) -> int:
    return Client().get("/api/v1/racers", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_token_is_shown_once_works_and_is_revoked(new_context):
    account_with_racers("tara")
    for width, height in ((390, 844), (1366, 768)):
        ApiToken.objects.all().delete()
        page = new_context(viewport={"width": width, "height": height}).new_page()
        login(page, "tara", PASSWORD)
        page.get_by_role("contentinfo").get_by_role("link", name="API tokens").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
        assert_fields_labelled(page)
        field(page, "Name").fill("timing laptop")
        field(page, "Scope").select_option("write")
        page.get_by_role("button", name="Create token").click()
        secret = page.locator("#new-token")
        expect(secret).to_contain_text("apex_")
        raw = secret.inner_text().strip()
        assert _token_used(raw) == 200
        # No horizontal scrolling: everything is on screen at this width.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot_if_asked(page, f"api-tokens-{width}x{height}", SHOTS)
        page.reload()
        expect(page.locator("#new-token")).to_have_count(0)
        page.get_by_role("button", name="Revoke timing laptop").click()
        expect(page.get_by_text("Revoked the token")).to_be_visible()
        assert _token_used(raw) == 401


def test_api_docs_render_under_the_content_security_policy(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/api/docs")
    expect(page.get_by_role("heading", name="Apex API")).to_be_visible()
    expect(page.get_by_text("/api/v1/race-days/{race_day_id}/rounds").first).to_be_visible()
    screenshot_if_asked(page, "api-docs", SHOTS, full_page=False)
    assert not [e for e in errors if "Content Security Policy" in e and "script" in e]
