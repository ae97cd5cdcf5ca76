"""Fixtures for journeys in a real browser: Debian's chromium driven by Playwright.

The app is served by pytest-django's ``live_server`` (static files included);
every test gets an empty database (transactional, on SQLite and PostgreSQL).

- ``page``: a fresh browser tab on the live server (relative URLs work).
- ``new_context(**options)``: another, independent browser (own cookies),
  e.g. ``new_context(java_script_enabled=False)``.
- ``e2e.helpers``: ``login(page, username, password)``, ``signup`` (confirms
  the address by the link in the test mailbox, which the live server shares), ``logout``,
  switcher steps, ``assert_fields_labelled``, ``save_screenshot``.

When a test fails (or every test, with ``E2E_SCREENSHOTS=1``), the last page
of each of its browser contexts is saved under ``test-artifacts/e2e/<test>.png``.
"""

import os
from pathlib import Path

import pytest

from e2e.helpers import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require_chromium, save_screenshot

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse the ORM calls that fixtures and database flushes make there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Long enough for a loaded 2-core machine, short enough that a broken step fails fast.
STEP_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    # Every test in this folder drives the browser.
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server, request):
    """Factory for independent browser contexts on the live server."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", {"width": 1024, "height": 800})
        context = browser.new_context(**options)
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make

    keep = SCREENSHOTS or getattr(request.node, "e2e_failed", True)
    for number, context in enumerate(contexts, start=1):
        pages = [p for p in context.pages if not p.is_closed()]
        if keep and pages:
            suffix = "" if len(contexts) == 1 else f"-{number}"
            try:
                save_screenshot(pages[-1], f"{request.node.name}{suffix}")
            except Exception as exc:  # a crashed page must not hide the test's own result
                print(f"screenshot of {request.node.name}{suffix} failed: {exc}")
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
