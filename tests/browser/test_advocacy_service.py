"""The advocacy service under "how would you like to take part", in Arabic (right to left), at
375x667: axe clean, the phone a tel: link whose digits stay left to right, nothing wider than the
screen."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Setting
from tests.browser.wcag import no_violations
from tests.integration.test_advocacy import SERVICE, screen_with
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser


def test_advocacy_service_in_arabic_at_phone_size(page, live_server, artifacts):
    app = live_server.app
    with app.app_context():
        for key, value in {**SERVICE, "advocacy_url": "https://speakup.example.org/young-people/"
                           "how-an-advocate-can-help-you"}.items():  # fmt: skip
            db.session.add(Setting(key=key, value=value))
        db.session.commit()
    link = make_invitation(app, role="child", age=14, form_key="child_consultation", language="ar")
    number = screen_with(app, link.invitation_id, "take_part")
    page.goto(f"{live_server.url}{link.url}")
    page.locator("button.button--start").click()
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/r/page/{number}")
    assert page.locator("html").get_attribute("dir") == "rtl"

    phone = page.locator(".contact-box a[href^='tel:']")
    assert phone.get_attribute("href") == "tel:08001234567"
    assert phone.inner_text() == "0800 123 4567"  # not reordered by the Arabic around it
    assert phone.locator("bdi").evaluate("e => getComputedStyle(e).direction") == "ltr"
    box = phone.bounding_box()
    assert box is not None and box["height"] < 40  # one line: the number is not split
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the long URL wraps
    no_violations(page)
    page.screenshot(path=str(artifacts / "advocacy-service-ar.png"), full_page=True)
