"""Marking a review held in real Chromium at phone size (375x667): the question page, its error
summary and the recorded participation on the review page, all without WCAG 2.2 AA violations
(axe-core) and without sideways scrolling; and the stand-down page."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db as _db
from portal.models import Review
from tests.browser.crawl import sign_in
from tests.browser.wcag import no_violations
from tests.conftest import TEST_PASSWORD
from tests.integration.workspace import add_invitation, make_review

pytestmark = pytest.mark.browser


def _clean(page, label: str) -> None:
    no_violations(page, label)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), label


def test_an_iro_marks_a_review_held_at_phone_size(browser, app, live_server, make_staff, artifacts):
    iro = make_staff("iro", email="priya.iro@example.org", name="Priya IRO")
    review_date = dt.date.today() - dt.timedelta(days=3)
    review_id = make_review(app, iro, review_date=review_date, age=12)
    for role in ("parent", "carer"):
        add_invitation(app, review_id, role)
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    sign_in(page, live_server.url, "priya.iro@example.org", TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/{review_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Mark as held").click()
    assert page.url.endswith(f"/admin/reviews/{review_id}/held")
    _clean(page, "held page")

    # Nothing chosen: the error summary takes focus and names each question.
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as held").click()
    page.wait_for_function("document.activeElement !== document.body")
    assert page.evaluate("document.activeElement.dataset.module") == "govuk-error-summary"
    summary = page.locator(".error-summary").inner_text()
    assert "Choose how the child or young person took part" in summary
    assert "Say whether the young person chaired" in summary
    _clean(page, "held page with errors")

    page.fill("#held_on", review_date.isoformat())
    page.get_by_label("PN1: child physically attends and speaks for themselves").check()
    page.locator("input[name=chaired][value=yes]").check()
    page.get_by_label("Parent").check()
    page.get_by_label("Carer").check()
    page.fill("#iro_saw_child_on", (review_date - dt.timedelta(days=1)).isoformat())
    page.screenshot(path=str(artifacts / "mark-held-375.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as held").click()
    assert page.url.endswith(f"/admin/reviews/{review_id}")
    body = page.locator("main").inner_text()
    assert "PN1: child physically attends and speaks for themselves" in body
    assert "Parent, Carer" in body
    _clean(page, "review page after held")
    with app.app_context():
        review = _db.session.get(Review, review_id)
        assert (review.status, review.participation, review.chaired_by_young_person) == (
            "held",
            "PN1",
            True,
        )
    context.close()


def test_the_stand_down_page_is_accessible_at_phone_size(browser, app, live_server, make_staff):
    iro = make_staff("iro", email="tom.iro@example.org")
    review_id = make_review(app, iro)
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    sign_in(page, live_server.url, "tom.iro@example.org", TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/{review_id}/stood-down")
    _clean(page, "stand-down page")
    page.get_by_label("Other", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Stand down this review").click()
    assert "Say why the review was stood down" in page.locator(".error-summary").inner_text()
    _clean(page, "stand-down page with errors")
    page.fill("#note", "Court hearing moved the plan")
    with page.expect_navigation():
        page.get_by_role("button", name="Stand down this review").click()
    assert "Other: Court hearing moved the plan" in page.locator("main").inner_text()
    context.close()
