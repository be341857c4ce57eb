"""Zero WCAG 2.2 A/AA violations (axe-core) on every page, in English, Arabic (RTL) and Tigrinya
(Ethiopic), at phone and desktop sizes; keyboard-only use, visible focus, 200% zoom, and the error
summary taking focus."""

from __future__ import annotations

import os

import pytest

from tests.browser.crawl import admin_urls, sample_links, sign_in
from tests.browser.journey import journey
from tests.browser.wcag import VIEWPORTS, violations
from tests.conftest import TEST_PASSWORD
from tests.security.world import build_world

pytestmark = pytest.mark.browser
LOCALES = ["en", "ar", "ti"]


# Every form and age band at phone size in all three locales, and at desktop size in English;
# A11Y_FULL=1 adds desktop size in Arabic and Tigrinya (the same markup, so rarely different).
MATRIX = [(locale, "phone") for locale in LOCALES] + [
    (locale, "desktop") for locale in (LOCALES if os.environ.get("A11Y_FULL") else ["en"])
]


@pytest.mark.parametrize(("locale", "viewport"), MATRIX)
def test_every_respondent_page_has_no_wcag_violations(browser, app, live_server, locale, viewport):
    world = build_world(app)
    problems = []
    context = browser.new_context(locale=locale, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    for url in ("/", "/q", "/auth/sign-in", "/no-such-page"):
        page.goto(live_server.url + url)
        expected_dir = "rtl" if locale == "ar" else "ltr"
        assert page.locator("html").get_attribute("dir") == expected_dir, url
        problems += violations(page, url)
    for link in sample_links(world):
        walker = context.new_page()
        pages = 0
        for url in journey(walker, f"{live_server.url}/r/{link.token}"):
            problems += violations(walker, f"{link.form_key}/{link.role}/{link.band} {url}")
            pages += 1
        assert pages >= 3, f"{link.form_key}: the journey stopped after {pages} pages"
        walker.close()
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_admin_page_has_no_wcag_violations(browser, app, live_server, viewport):
    world = build_world(app)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server.url, world.emails["admin"], TEST_PASSWORD)
    problems = []
    urls = admin_urls(app, world)
    assert urls
    for url in urls:
        page.goto(live_server.url + url)
        problems += violations(page, url)
        # A wide table scrolls in its own region: the page itself never scrolls sideways.
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"]:
            problems.append(f"{url}: the page is {width} px wide")
    context.close()
    assert problems == [], "\n".join(problems)


def test_a_form_can_be_completed_with_the_keyboard_alone(browser, app, live_server):
    world = build_world(app)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/auth/sign-in")
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.name") == "email":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(world.emails["admin"])
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/admin" in page.url
    context.close()


FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.backgroundColor, s.textDecorationLine].join('|');
}"""


def test_every_focusable_element_shows_visible_focus(browser, app, live_server):
    build_world(app)
    context = browser.new_context()
    page = context.new_page()
    missing = []
    for url in ("/", "/q", "/auth/sign-in"):
        page.goto(live_server.url + url)
        page.mouse.click(1, 1)
        for _ in range(30):
            page.keyboard.press("Tab")
            handle = page.evaluate_handle("document.activeElement")
            tag = page.evaluate(
                "el => el.tagName + '#' + (el.id || el.name || el.textContent.trim().slice(0, 20))",
                handle,
            )
            if tag.startswith("BODY"):
                break
            focused = page.evaluate(FOCUS_STYLE, handle)
            page.evaluate("el => el.blur()", handle)
            unfocused = page.evaluate(FOCUS_STYLE, handle)
            page.evaluate("el => el.focus()", handle)
            if focused == unfocused:
                missing.append(f"{url} {tag}")
    context.close()
    assert missing == []


@pytest.mark.parametrize("url", ["/", "/q", "/auth/sign-in"])
def test_pages_reflow_without_sideways_scrolling_at_200_percent_zoom(browser, live_server, url):
    # 1280 CSS pixels at 200% zoom leave 640 to lay out in; 320 is WCAG 1.4.10's reflow width.
    for width in (640, 320):
        context = browser.new_context(
            viewport={"width": width, "height": 400}, device_scale_factor=2
        )
        page = context.new_page()
        page.goto(live_server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        context.close()
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px"


def test_the_error_summary_takes_focus_when_a_form_has_errors(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/auth/sign-in")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    page.wait_for_function("document.activeElement !== document.body")
    # GOV.UK Frontend's ErrorSummary (docs/adr/0067), started by static/js/components.js.
    assert page.evaluate("document.activeElement.dataset.module") == "govuk-error-summary"
    # Its links move the focus to the field itself, not just scroll to it.
    page.locator(".error-summary__list a").first.click()
    assert page.evaluate("document.activeElement.tagName") == "INPUT"
    context.close()
