"""Respondent pages say only what is true, in Chromium at 375x667, English and Arabic:
a meeting QR journey names no child and no review date whatever the role, and says what happens
to the answers; after an alert, "I don't want to answer" says what has happened."""

from __future__ import annotations

import pytest
from babel.dates import format_date

from portal.extensions import db
from portal.questionnaires import catalogue, engine
from portal.rules.meeting_qr import create_meeting_qr
from portal.web.templating import BRITISH_ENGLISH, GOV_UK_LONG_DATE
from tests.browser.journey import answer_page, submit
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation, make_review

pytestmark = pytest.mark.browser


def _qr(app) -> tuple[str, list[str]]:
    with app.app_context():
        review = make_review(first_name="Maya")
        raw = create_meeting_qr(review)
        db.session.commit()
        day = review.review_date
    dates = [
        format_date(day, format=GOV_UK_LONG_DATE, locale=BRITISH_ENGLISH),
        format_date(day, format="d MMMM", locale=BRITISH_ENGLISH),
        format_date(day, format="d MMMM", locale="ar"),
    ]
    return raw, dates


def _nothing_about_the_child(page, dates: list[str], where: str) -> None:
    seen = page.content() + page.title()
    assert "Maya" not in seen, where
    for written in dates:
        assert written not in seen, (where, written)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("role", ["young_person", "parent", "carer", "professional"])
def test_a_meeting_qr_journey_names_no_child_and_no_date(page, live_server, artifacts, role, lang):
    raw, dates = _qr(live_server.app)
    page.goto(f"{live_server.url}/m/{raw}")
    page.goto(f"{live_server.url}/m/role?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    _nothing_about_the_child(page, dates, "role")
    page.locator(f"input[name=role][value={role}]").check()
    submit(page)
    assert page.url.endswith("/r/start")
    _nothing_about_the_child(page, dates, "start")
    start = page.locator("main").inner_text()
    assert "come back to this link later" not in start
    no_violations(page, f"start {role} {lang}")
    page.screenshot(path=str(artifacts / f"qr-{role}-{lang}-start.png"), full_page=True)
    for _ in range(25):
        if not answer_page(page):
            break
        go_on = page.locator("main button[value=continue]")
        if go_on.count():
            with page.expect_navigation():
                go_on.click()
        else:
            submit(page)
        _nothing_about_the_child(page, dates, page.url)
        if page.url.endswith("/r/sent"):
            break
    assert page.url.endswith("/r/sent")
    no_violations(page, f"sent {role} {lang}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_after_an_alert_i_dont_want_to_answer_says_it_was_passed_on(
    page, live_server, artifacts, lang
):
    app = live_server.app
    link = make_invitation(app, role="child", age=9, form_key="child_consultation")
    with app.app_context():
        form = catalogue().get("child_consultation")
        screens = engine().screens(form, "8-11")
        number = next(s.number for s in screens if "worries_topics" in s.keys) + 1
    page.goto(f"{live_server.url}{link.url}")
    page.goto(f"{live_server.url}/r/start?lang={lang}")
    page.locator("input[name=helped_by]").first.check()
    submit(page)
    page.goto(f"{live_server.url}/r/page/{number}")
    page.locator("input[name=worries_topics][value=being_hurt]").check(force=True)
    with page.expect_navigation():
        page.locator("button[value=continue]").click()
    assert "/r/safe" in page.url
    page.locator("main a.button").click()
    page.wait_for_load_state("load")
    page.locator("main a[href='/r/no-thanks']").last.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/r/no-thanks")
    text = page.locator("main").inner_text()
    assert "passed to your IRO" in text or lang != "en"
    assert "Nothing you have not sent will be shared" not in text
    assert page.locator("main p.lead").is_visible()
    no_violations(page, f"no thanks after an alert {lang}")
    page.screenshot(path=str(artifacts / f"no-thanks-after-alert-{lang}.png"), full_page=True)
