"""The landing page in real Chromium at phone size: no accessibility violations, both directions."""

import pytest

from tests.browser.wcag import no_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_landing_page_has_no_axe_violations_at_phone_size(page, live_server, lang, artifacts):
    page.goto(f"{live_server.url}/?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    page.screenshot(path=str(artifacts / f"landing-{lang}.png"), full_page=True)
    no_violations(page)


def test_landing_page_makes_no_third_party_requests(page, live_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url)
    assert requested and all(url.startswith(live_server.url) for url in requested)


def test_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url)
    page.locator(".language-switcher summary").click()
    page.get_by_role("link", name="العربية").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()
