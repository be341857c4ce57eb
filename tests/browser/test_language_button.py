"""The language button in Chromium at 375x667 (docs/adr/0070): a globe and the current
language's own name; the opened list fits the screen without scrolling, every language a 44x44
tap target, axe clean, in English, Arabic (right to left) and Tigrinya (Ethiopic); without
JavaScript it still opens and switches."""

from __future__ import annotations

import pytest

from portal.config import LANGUAGES
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
HEIGHT, WIDTH, MIN = 667, 375, 44
OWN_NAMES = {"en": "English", "ar": "العربية", "ti": "ትግርኛ"}


def open_list(page):
    """Open the language list as a finger would; returns the list's locator."""
    summary = page.locator("details.language-switcher summary")
    summary.click()
    listed = page.locator(".language-switcher__list")
    listed.locator("a").first.wait_for(state="visible")
    return listed


@pytest.mark.parametrize("lang", ["en", "ar", "ti"])
def test_button_names_the_language_and_the_open_list_fits_a_phone(
    page, live_server, artifacts, lang
):
    link = make_invitation(live_server.app, role="child", age=12)
    page.goto(f"{live_server.url}{link.url}")
    page.goto(f"{live_server.url}/r/start?lang={lang}")
    summary = page.locator("details.language-switcher summary")
    assert summary.locator("svg.language-switcher__globe").is_visible()
    assert OWN_NAMES[lang] in summary.inner_text()
    name = summary.evaluate("e => e.textContent.trim()")  # what a screen reader hears
    assert name.endswith(OWN_NAMES[lang]) and name != OWN_NAMES[lang], "says it is the language"
    box = summary.bounding_box()
    assert box["width"] >= MIN and box["height"] >= MIN

    listed = open_list(page)
    page.screenshot(path=artifacts / f"language-list-{lang}-375x667.png")
    edge = listed.evaluate(
        "e => ({bottom: e.getBoundingClientRect().bottom, scroll: e.scrollHeight - e.clientHeight,"
        " page: document.documentElement.scrollWidth})"
    )
    assert edge["bottom"] <= HEIGHT, f"the list ends at {edge['bottom']} px, below the screen"
    assert edge["scroll"] <= 0, "the list scrolls inside itself"
    assert edge["page"] <= WIDTH, "the open list widens the page"
    links = listed.locator("a")
    assert links.count() == len(LANGUAGES)
    for item in links.all():
        item_box = item.bounding_box()
        assert item_box["width"] >= MIN and item_box["height"] >= MIN, item.inner_text()
        assert item_box["x"] >= 0 and item_box["x"] + item_box["width"] <= WIDTH, item.inner_text()
        assert item_box["y"] + item_box["height"] <= HEIGHT, item.inner_text()
    assert listed.locator("a[aria-current]").inner_text() == OWN_NAMES[lang]
    no_violations(page)


def test_without_javascript_the_button_opens_and_switches_language(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        open_list(page).locator("a[hreflang='pl']").click()
        assert page.locator("html").get_attribute("lang") == "pl"
        assert "polski" in page.locator("details.language-switcher summary").inner_text()
        open_list(page).locator("a[hreflang='om']").click()
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert "Oromoo" in page.locator("details.language-switcher summary").inner_text()
    finally:
        context.close()
