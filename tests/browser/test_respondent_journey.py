"""A 6-year-old's journey through the real child_consultation in Chromium at 375x667, answering
by tapping pictures and skipping what needs words, axe-checked on every page; and a 9-year-old's
at 320px with JavaScript off."""

import re

import pytest

from portal.extensions import db
from portal.models import Response, SafeguardingAlert
from portal.questionnaires import is_shown
from tests.browser import wcag
from tests.respond_support import make_invitation, screens_for

pytestmark = pytest.mark.browser
SKIP = re.compile("Skip this (question|page)")
# The pictures tapped (question key: picture, answer it gives); every other screen is skipped.
TAPS = {
    "how_are_things": ("faces/sad.svg", "not_good"),
    "worries_topics": ("faces/scared.svg", ["not_safe"]),  # an alert, then the safe page
    "home_feeling": ("faces/happy.svg", "good"),
    "anyone_not_wanted": ("answers/no.svg", "no"),
}
ANSWERS = {key: answer for key, (_, answer) in TAPS.items()}


def no_axe_violations(page, name, artifacts):
    page.screenshot(path=str(artifacts / f"journey-{name}.png"), full_page=True)
    wcag.no_violations(page, name)


def tap_picture(page, picture):
    page.locator(f"img[src*='{picture}?']").first.click()


def test_six_year_old_answers_by_tapping_pictures(page, live_server, artifacts):
    link = make_invitation(live_server.app, role="child", age=6)
    page.goto(live_server.url + link.url)
    assert page.url.endswith("/r/start")
    assert "Hello Maya." in page.content()
    no_axe_violations(page, "start", artifacts)
    page.get_by_role("button", name="Start").click()

    for screen in screens_for(live_server.app, link):
        [question] = screen.questions  # one question a screen for the youngest
        key = question.key
        if not is_shown(question, ANSWERS):
            continue  # a follow-up to an answer not given
        number = screen.number + 1
        assert page.url.endswith(f"/r/page/{number}"), (key, page.url)
        no_axe_violations(page, f"page-{number}", artifacts)
        if key not in TAPS:
            page.get_by_role("button", name=SKIP).click()
            continue
        tap_picture(page, TAPS[key][0])
        page.get_by_role("button", name="Continue").click()
        if key == "worries_topics":
            assert "/r/safe" in page.url and "0800 1111" in page.content()
            no_axe_violations(page, "safe", artifacts)
            page.get_by_role("link", name="Carry on with the form").click()

    assert page.url.endswith("/r/check")
    no_axe_violations(page, "check", artifacts)
    page.get_by_role("button", name="Send my answers").click()
    assert page.url.endswith("/r/sent")
    assert page.locator("img.thank-you-picture").is_visible()
    no_axe_violations(page, "sent", artifacts)

    with live_server.app.app_context():
        [response] = db.session.scalars(db.select(Response)).all()
        assert response.answers == ANSWERS
        assert db.session.scalar(db.select(db.func.count(SafeguardingAlert.id))) == 1


def test_journey_works_at_320px_without_javascript(browser, live_server):
    link = make_invitation(live_server.app, role="child", age=9)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + link.url)
    page.get_by_role("radio", name="On my own").check()
    page.get_by_role("button", name="Start").click()
    skipped = 0
    while "/r/page/" in page.url:
        skipped += 1
        page.wait_for_load_state("load")  # evaluate on the new page, not mid-navigation
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} scrolls sideways ({width}px)"
        page.get_by_role("button", name=SKIP).click()
    assert skipped == len(screens_for(live_server.app, link))
    assert page.url.endswith("/r/check")
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.content()
    context.close()
