"""A 6-year-old's journey in real Chromium at 375x667 by tapping pictures only, axe-checked on
every page; and the same journey at 320px with JavaScript off."""

import pytest

from portal.extensions import db
from portal.models import Response, SafeguardingAlert
from tests.browser import wcag
from tests.respond_support import FIXTURE_FORMS, make_invitation

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config():
    return {"FORMS_DIR": str(FIXTURE_FORMS)}


def no_axe_violations(page, name, artifacts):
    page.screenshot(path=str(artifacts / f"journey-{name}.png"), full_page=True)
    wcag.no_violations(page, name)


def tap_picture(page, picture):
    page.locator(f"img[src*='{picture}?']").first.click()


def test_six_year_old_answers_by_tapping_pictures_only(page, live_server, artifacts):
    link = make_invitation(
        live_server.app, role="child", age=6, form_key="young_child_consultation"
    )
    page.goto(live_server.url + link.url)
    assert page.url.endswith("/r/start")
    assert "Hello Maya." in page.content()
    no_axe_violations(page, "start", artifacts)
    page.get_by_role("button", name="Start").click()

    assert page.url.endswith("/r/page/1")
    no_axe_violations(page, "page-1", artifacts)
    tap_picture(page, "journey/sad.svg")
    assert page.get_by_role("radio", name="Sad").is_checked()
    page.get_by_role("button", name="Continue").click()

    # The follow-up question appears because of the answer; its scared face raises an alert.
    assert page.url.endswith("/r/page/2")
    no_axe_violations(page, "page-2", artifacts)
    tap_picture(page, "journey/scared.svg")
    page.get_by_role("button", name="Continue").click()
    assert "/r/safe" in page.url and "0800 1111" in page.content()
    no_axe_violations(page, "safe", artifacts)
    page.get_by_role("link", name="Carry on with the form").click()

    assert page.url.endswith("/r/page/3")
    no_axe_violations(page, "page-3", artifacts)
    tap_picture(page, "journey/happy.svg")
    page.get_by_role("button", name="Continue").click()

    assert page.url.endswith("/r/check")
    no_axe_violations(page, "check", artifacts)
    page.get_by_role("button", name="Send my answers").click()
    assert page.url.endswith("/r/sent")
    assert page.locator("img.thank-you-picture").is_visible()
    no_axe_violations(page, "sent", artifacts)

    with live_server.app.app_context():
        [response] = db.session.scalars(db.select(Response)).all()
        assert response.answers == {
            "home_feeling": "sad",
            "home_sad_why": "scared",
            "school_feeling": "happy",
        }
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
        page.get_by_role("button", name="Skip this question").click()
    assert skipped == 6  # the seventh question is hidden by show_if
    assert page.url.endswith("/r/check")
    page.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in page.content()
    context.close()
