"""In Chromium at 375x667, English and Arabic: words typed into a safety question's box reach a
person like a ticked answer, and a box the server refuses is named in the error summary."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from portal.extensions import db
from portal.models import ALERT_WORDS, SafeguardingAlert
from tests.browser.journey import start_and_answer
from tests.browser.wcag import no_violations
from tests.respond_support import make_invitation

pytestmark = pytest.mark.browser


def start(page, base, link) -> None:
    page.goto(base + link.url)
    start_and_answer(page, pages=0)


def go_to_question(page, name: str) -> None:
    """Skip screens until the one asking `name` (skipping saves nothing)."""
    while page.locator(f"[name={name}]").count() == 0:
        page.locator("main form button[value=skip]").click()
        page.wait_for_load_state("load")


def alerts(app):
    with app.app_context():
        query = db.select(SafeguardingAlert.question_key, SafeguardingAlert.option_key)
        return [tuple(row) for row in db.session.execute(query.order_by(SafeguardingAlert.id))]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_not_safe_then_words_in_the_box_under_it_each_raise_an_alert(
    page, live_server, artifacts, lang
):
    link = make_invitation(live_server.app, role="child", age=9, stage="feedback", language=lang)
    start(page, live_server.url, link)
    go_to_question(page, "feel_safe")
    assert page.locator("textarea[name=feel_safe_more]").count() == 0
    page.locator("input[name=feel_safe][value=not_safe]").check()
    page.locator("main form button[value=continue]").click()
    page.wait_for_url("**/r/safe?next=*")
    page.locator("main a.button").click()  # carry on: back to the same page, with the box
    box = page.locator("textarea[name=feel_safe_more]")
    assert box.is_visible()
    no_violations(page)
    page.screenshot(path=str(artifacts / f"safety-words-{lang}.png"), full_page=True)
    box.fill("بيتي ليس آمنًا" if lang == "ar" else "My home is not safe")
    page.locator("main form button[value=continue]").click()
    page.wait_for_url("**/r/safe?next=*")
    assert alerts(live_server.app) == [("feel_safe", "not_safe"), ("feel_safe_more", ALERT_WORDS)]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_refused_box_is_named_in_the_error_summary_which_takes_focus(
    page, live_server, artifacts, lang
):
    link = make_invitation(live_server.app, role="child", age=9, language=lang)
    start(page, live_server.url, link)
    go_to_question(page, "dreams")
    box = page.locator("textarea[name=dreams]")
    box.evaluate("el => el.removeAttribute('maxlength')")  # as an old browser would post it
    box.fill("x" * 2001)
    page.locator("main form button[value=continue]").click()
    page.wait_for_load_state("load")
    with live_server.app.test_request_context(), force_locale(lang):
        label = gettext("What would you like to happen?")
    summary = page.locator(".error-summary")
    page.wait_for_function("document.activeElement.dataset.module === 'govuk-error-summary'")
    assert label in summary.locator("a[href='#q-dreams']").inner_text()
    assert label in page.locator("#q-dreams-error").inner_text()
    assert "2,000" in summary.inner_text()
    no_violations(page)
    page.screenshot(path=str(artifacts / f"error-names-the-box-{lang}.png"), full_page=True)
