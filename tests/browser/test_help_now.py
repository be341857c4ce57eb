"""Help one tap away, in Chromium at 375x667 in English, Arabic and Tigrinya: "I need help now" at
the top of a young person's page (a plain link: it works without JavaScript), the help page and
its confirmation axe clean, the team contact on a dead link's page, and every phone number a
tel: link that sits on one line, left to right, inside right-to-left text."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Invitation, SafeguardingAlert, Setting, utcnow
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser
TEAM = {
    "team_name": "Example Council IRO team",
    "team_phone": "01632 960 321",
    "team_email": "iro.team@example.org",
}
LANGUAGES = [("en", "ltr"), ("ar", "rtl"), ("ti", "ltr")]


def fill_team(app) -> None:
    with app.app_context():
        for key, value in TEAM.items():
            db.session.add(Setting(key=key, value=value))
        db.session.commit()


def fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def phones_on_one_line(page) -> int:
    """Every phone number on the page is one unbroken left-to-right run; returns how many."""
    numbers = page.locator("a[href^='tel:'] bdi.phone")
    for number in numbers.all():
        assert number.evaluate("e => getComputedStyle(e).direction") == "ltr"
        assert number.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
        # One box: a number split over two lines has two client rects.
        assert number.evaluate("e => e.getClientRects().length") == 1, number.inner_text()
    return numbers.count()


@pytest.mark.parametrize(("lang", "direction"), LANGUAGES)
def test_a_young_person_reaches_help_in_one_tap_and_tells_their_iro(
    page, live_server, artifacts, lang, direction
):
    app = live_server.app
    fill_team(app)
    link = make_invitation(app, role="child", age=12, language=lang)
    page.goto(f"{live_server.url}{link.url}")
    assert page.locator("html").get_attribute("dir") == direction

    help_link = page.locator("a.help-now__link")
    box = help_link.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    assert box["y"] < 667 / 2  # near the top, without scrolling
    help_link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/help")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("a[href='tel:999']").count() >= 1
    assert page.locator("a[href='tel:08001111']").count() >= 1
    assert page.locator("#team-contact a[href='tel:01632960321']").count() == 1
    assert phones_on_one_line(page) >= 5  # 999, Childline, the team; and the footer's two
    fits_the_screen(page)
    no_violations(page)
    page.screenshot(path=str(artifacts / f"help-{lang}.png"), full_page=True)

    page.locator("form[action='/r/help'] button").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/help/asked")
    fits_the_screen(page)
    no_violations(page)
    with app.app_context():
        [alert] = db.session.scalars(db.select(SafeguardingAlert)).all()
        assert alert.reason == "help" and alert.invitation_id == link.invitation_id
    page.locator("main a.button--secondary").click()  # back to the form
    page.wait_for_load_state("load")
    assert "/r/" in page.url and "/r/help" not in page.url


def test_the_help_link_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667})
    page = context.new_page()
    link = make_invitation(live_server.app, role="care_leaver", age=19)
    page.goto(f"{live_server.url}{link.url}")
    page.locator("a.help-now__link").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/help")
    page.locator("form[action='/r/help'] button").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/help/asked")
    context.close()


@pytest.mark.parametrize(("lang", "direction"), LANGUAGES)
def test_a_revoked_link_offers_the_team_with_numbers_on_one_line(
    page, live_server, artifacts, lang, direction
):
    app = live_server.app
    fill_team(app)
    link = make_invitation(app, role="child", age=12, language=lang)
    with app.app_context():
        db.session.get(Invitation, link.invitation_id).revoked_at = utcnow()
        db.session.commit()
    page.context.set_extra_http_headers({"Accept-Language": lang})
    page.goto(f"{live_server.url}{link.url}")
    assert page.locator("html").get_attribute("dir") == direction
    assert page.locator("#team-contact").is_visible()
    assert page.locator("a[href='/q']").count() == 0  # the dead invitation's code is not offered
    assert phones_on_one_line(page) >= 3
    fits_the_screen(page)
    no_violations(page)
    page.screenshot(path=str(artifacts / f"revoked-team-contact-{lang}.png"), full_page=True)
