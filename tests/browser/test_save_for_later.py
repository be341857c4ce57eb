"""'Saved' in words and 'Save and come back later' in Chromium at 375x667, in English and Arabic,
with JavaScript off (a real submit button), axe-checked."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from portal.crypto.tokens import format_short_code
from tests.browser import wcag
from tests.browser.journey import start_and_answer
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser


def no_violations(page, name, artifacts) -> None:
    page.screenshot(path=str(artifacts / f"save-for-later-{name}.png"), full_page=True)
    wcag.no_violations(page, name)


def save_for_later(page, base, link, direction, saved_line):
    """Type the letter's code, answer page 1, then "Save and come back later" on page 2."""
    page.goto(f"{base}/q")
    page.locator("input[name=code]").fill(format_short_code(link.code))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/r/start")
    assert page.locator("html").get_attribute("dir") == direction
    start_and_answer(page, pages=1)
    status = page.get_by_role("status")
    assert status.is_visible() and status.inner_text().strip() == saved_line
    page.locator("main form textarea").first.fill("Football")
    page.locator("main form button[value=save_later]").click()
    page.wait_for_url("**/r/saved")
    assert page.locator(".come-back__code").inner_text() == format_short_code(link.code)


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_saved_in_words_and_the_way_back_read_right_and_pass_axe(
    page, live_server, artifacts, lang, direction
):
    link = make_invitation(live_server.app, role="child", age=9, language=lang)
    page.goto(f"{live_server.url}{link.url}")
    start_and_answer(page, pages=1)
    assert page.get_by_role("status").is_visible()
    no_violations(page, f"{lang}-question", artifacts)
    page.locator("main form button[value=save_later]").click()
    page.wait_for_url("**/r/saved")
    no_violations(page, f"{lang}-saved", artifacts)
    page.locator("main a.button").click()
    page.wait_for_url("**/r/page/3")  # carry on after the page saved


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_save_and_come_back_later_works_without_javascript_and_shows_the_code(
    browser, live_server, artifacts, lang, direction
):
    link = make_invitation(live_server.app, role="child", age=9, language=lang)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667})
    page = context.new_page()
    with live_server.app.test_request_context(), force_locale(lang):
        saved_line = gettext("Your answers so far are saved.")
    save_for_later(page, live_server.url, link, direction, saved_line)
    # The code reads left to right on one line, even on an Arabic page.
    box = page.locator(".come-back__code bdi").bounding_box()
    assert box["height"] < 50 and box["width"] < 375
    page.screenshot(path=str(artifacts / f"save-for-later-{lang}-no-js.png"), full_page=True)
    context.close()
