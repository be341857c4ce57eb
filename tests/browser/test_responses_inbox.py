"""The responses inbox in Chromium at 375x667 and 1280x800: axe clean, no sideways scrolling,
filters work without JavaScript, and a pasted translation shows beside the original."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import StaffUser
from tests.browser.crawl import sign_in
from tests.browser.wcag import no_violations
from tests.conftest import TEST_PASSWORD
from tests.integration.test_responses_inbox import add_response
from tests.integration.workspace import make_review

pytestmark = pytest.mark.browser


def check(page, artifacts, name: str, width: int) -> None:
    no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"inbox-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize(("width", "height"), [(375, 667), (1280, 800)])
def test_the_inbox_filters_and_a_translation(page, live_server, make_staff, artifacts, width,
                                             height):  # fmt: skip
    app = live_server.app
    iro_id = make_staff("iro", name="Priya IRO")
    review_id = make_review(app, iro_id, review_date=dt.date.today() - dt.timedelta(days=2))
    pashto = add_response(app, review_id, answers={"going_well": "ښه دی"},
                          text_languages={"going_well": "ps"})  # fmt: skip
    add_response(app, review_id, source="paper", alert=True, role="carer")
    with app.app_context():
        email = db.session.get(StaffUser, iro_id).email
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server.url, email, TEST_PASSWORD)
    page.get_by_role("link", name="Responses").click()
    assert page.url.endswith("/admin/responses")
    check(page, artifacts, "all", width)

    page.get_by_label("Needs translating").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "translate=1" in page.url
    assert page.locator("tbody tr").count() == 1
    check(page, artifacts, "translate", width)

    with page.expect_navigation():
        page.locator(f'a[href="/admin/responses/{pashto}"]').click()
    check(page, artifacts, "response", width)
    page.get_by_label("Translation of").fill("It is good")
    with page.expect_navigation():
        page.get_by_role("button", name="Save translation").click()
    assert page.get_by_text("It is good").first.is_visible()
    assert page.get_by_text("ښه دی").first.is_visible()
    check(page, artifacts, "translated", width)

    page.goto(f"{live_server.url}/admin/responses?source=bogus")
    assert page.get_by_text("The source filter must be").is_visible()


def test_weekly_list_and_confirm_pages_at_phone_size(page, live_server, make_staff, artifacts):
    from tests.integration.workspace import add_invitation

    app = live_server.app
    iro_id = make_staff("iro", name="Priya IRO")
    review_id = make_review(app, iro_id, review_date=dt.date.today() + dt.timedelta(days=7))
    invitation_id = add_invitation(app, review_id, token_hash="c" * 64,
                                   sent_at=dt.datetime.now(dt.UTC))  # fmt: skip
    with app.app_context():
        email = db.session.get(StaffUser, iro_id).email
    sign_in(page, live_server.url, email, TEST_PASSWORD)
    for name, url in (
        ("weekly", "/admin/weekly"),
        ("revoke", f"/admin/invitations/{invitation_id}/revoke"),
        ("stand-down", f"/admin/reviews/{review_id}/stood-down"),
    ):
        page.goto(live_server.url + url)
        check(page, artifacts, name, 375)
    page.goto(f"{live_server.url}/admin/invitations/{invitation_id}/revoke")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, revoke the link").click()
    assert page.get_by_text("Link revoked").is_visible()
