"""A child's feedback form in Pashto (right to left) and Tigrinya (Ethiopic) in Chromium at 375x667."""

from __future__ import annotations

import pytest

from tests.browser.test_scripts_and_read_aloud import FIND_BOXES
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
CONTINUE = {"ps": "دوام ورکړه", "ti": "ቀጽል"}
SEND = {"ps": "زما ځوابونه ولېږه", "ti": "መልስታተይ ስደድ"}


def no_boxes(page) -> None:
    result = page.evaluate(FIND_BOXES, "main")
    assert result["detectorWorks"] and result["boxes"] == [], result["boxes"]


@pytest.mark.parametrize(("lang", "direction"), [("ps", "rtl"), ("ti", "ltr")])
def test_child_feedback_journey_at_phone_size(page, live_server, artifacts, lang, direction):
    link = make_invitation(live_server.app, role="child", age=9, stage="feedback", language=lang)
    page.goto(f"{live_server.url}{link.url}")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("html").get_attribute("lang") == lang
    no_violations(page)
    page.screenshot(path=str(artifacts / f"journey-{lang}-start.png"), full_page=True)
    page.locator("input[name=helped_by]").first.check()
    page.locator("button.button--start").click()
    page.wait_for_load_state("load")

    first = True
    while "/r/page/" in page.url:
        no_boxes(page)
        if first:
            no_violations(page)
            page.screenshot(path=str(artifacts / f"journey-{lang}-question.png"), full_page=True)
            # Progress, Back and Continue follow the reading direction.
            back = page.locator(".back-link").bounding_box()
            if direction == "rtl":
                assert back["x"] > 375 / 2
            else:
                assert back["x"] < 375 / 2
            first = False
        for group in page.locator("fieldset").all():
            group.locator("input").first.check()
        for box in page.locator("textarea").all():
            box.fill("ښه وه" if lang == "ps" else "ጽቡቕ ነይሩ")
        page.get_by_role("button", name=CONTINUE[lang]).click()
        page.wait_for_load_state("load")

    assert page.url.endswith("/r/check")
    no_violations(page)
    page.get_by_role("button", name=SEND[lang]).click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/sent")
    no_boxes(page)
    no_violations(page)
    page.screenshot(path=str(artifacts / f"journey-{lang}-thank-you.png"), full_page=True)
