"""Every main page, logged in and out: axe-core finds no serious or critical violation
(light and dark theme, phone and laptop size), and the browser logs no Content Security Policy violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

from e2e.helpers import PASSWORD, login
from e2e.pages import PUBLIC, racer_with_everything

BLOCKING = {"serious", "critical"}


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['nodes'][0]['target']} {v['nodes'][0].get('failureSummary', '')}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


# Both themes at phone size; the dark one on a laptop too (the wide header and two-column pages).
@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [
        ("light", {"width": 390, "height": 844}),
        ("dark", {"width": 390, "height": 844}),
        ("dark", {"width": 1366, "height": 768}),
    ],
    ids=["light-phone", "dark-phone", "dark-laptop"],
)
def test_no_serious_accessibility_violation_on_any_main_page(new_context, scheme, viewport):
    private = racer_with_everything()
    found: list[str] = []
    visitor = new_context(viewport=viewport, color_scheme=scheme).new_page()
    for url in PUBLIC:
        visitor.goto(url)
        found += _violations(visitor)
    racer = new_context(viewport=viewport, color_scheme=scheme).new_page()
    login(racer, "axel", PASSWORD)
    for url in private:
        racer.goto(url)
        found += _violations(racer)
    assert not found, "\n".join(found)


# Playwright adds this before the page's own scripts (it is not an inline script of
# the page, so the CSP does not apply to it): it keeps every violation the page reports.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
});
"""


def test_no_content_security_policy_violation_on_any_main_page(new_context):
    private = racer_with_everything()
    found: list[str] = []

    def watch(page):
        def on_console(message):
            if "Content Security Policy" in message.text:
                found.append(f"{page.url} console: {message.text}")

        page.add_init_script(RECORD_CSP_VIOLATIONS)
        page.on("console", on_console)
        return page

    def visit(page, url):
        page.goto(url)
        page.wait_for_load_state("load")
        found.extend(f"{url}: {v}" for v in page.evaluate("() => window.__cspViolations"))

    visitor = watch(new_context(viewport={"width": 390, "height": 844}).new_page())
    for url in PUBLIC:
        visit(visitor, url)
    racer = watch(new_context(viewport={"width": 1366, "height": 768}).new_page())
    login(racer, "axel", PASSWORD)
    for url in private:
        visit(racer, url)
    # An htmx swap too: its indicator styles are ours (includeIndicatorStyles is off), not injected.
    visit(racer, "/library/")
    racer.locator("#id_q").fill("Genk")
    racer.wait_for_function("() => !document.querySelector('.htmx-request')")
    found.extend(racer.evaluate("() => window.__cspViolations"))
    assert racer.evaluate("() => document.querySelectorAll('style').length") == 0, "a <style> was injected"
    assert not found, "\n".join(found)
