"""Texts and delivery receipts on the team's screens in Chromium at 375x667 and 1280x800 (issue
17): the review page with delivered / failed, the chase list's "Send it another way", Prepare
proposing a text, and reissue with a mobile: axe clean, no sideways scrolling."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from portal.extensions import db
from portal.models import Contact, Review
from tests.browser.crawl import sign_in
from tests.browser.wcag import VIEWPORTS, no_violations
from tests.conftest import TEST_PASSWORD
from tests.integration.workspace import add_invitation, make_review, working_days_ahead

pytestmark = pytest.mark.browser
AT = dt.datetime(2026, 12, 2, 10, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_texts_and_receipts_read_well_on_a_phone(
    browser, app, live_server, make_staff, artifacts, viewport
):
    iro = make_staff("iro", email="amy@example.org", name="Amy Iro")
    review_id = make_review(app, iro, review_date=working_days_ahead(8), age=15)
    sent = {"sent_at": AT, "delivery_status_at": AT}
    add_invitation(app, review_id, "parent", channel="sms", email=None,
                   recipient_mobile="+447700900123", notify_id=str(uuid.uuid4()),
                   delivery_status="permanent-failure", **sent)  # fmt: skip
    emailed = add_invitation(app, review_id, "carer", email="carer@example.org",
                            delivery_status="delivered", **sent)  # fmt: skip
    other = make_review(app, iro, review_date=working_days_ahead(12), age=14)
    with app.app_context():
        child_id = db.session.get(Review, other).child_id
        db.session.add(Contact(child_id=child_id, role="child", name="Maya",
                               mobile="+447700900124"))  # fmt: skip
        db.session.commit()
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server.url, "amy@example.org", TEST_PASSWORD)
    urls = (
        f"/admin/reviews/{review_id}",
        "/admin/chase",
        f"/admin/reviews/{other}/invitations/prepare",
        f"/admin/invitations/{emailed}/reissue",
    )
    for url in urls:
        page.goto(live_server.url + url)
        no_violations(page, url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    page.goto(live_server.url + f"/admin/reviews/{review_id}")
    assert "failed: the address or number does not exist" in page.content()
    assert "delivered, Wednesday 2 December 2026 at 10:15" in page.content()
    page.screenshot(path=str(artifacts / f"notify-review-{viewport}.png"), full_page=True)
    page.goto(live_server.url + "/admin/chase")
    assert page.get_by_role("link", name="Send it another way").count() == 1
    page.goto(live_server.url + f"/admin/reviews/{other}/invitations/prepare")
    assert page.locator("select[name$='-channel'] option[selected][value='sms']").count() == 1
    context.close()
