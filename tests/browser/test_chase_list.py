"""The chase list in Chromium at 375x667 and 1280x800: axe clean, the page itself never scrolls
sideways (on a phone each row stacks), and a call is recorded through a plain form."""

from __future__ import annotations

import pytest

from tests.browser.crawl import sign_in
from tests.browser.wcag import VIEWPORTS, no_violations
from tests.conftest import TEST_PASSWORD
from tests.integration.workspace import add_invitation, make_review, working_days_ahead

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_chase_list_is_accessible_and_fits_the_screen(
    browser, app, live_server, make_staff, artifacts, viewport
):
    iro = make_staff("iro", email="amy@example.org", name="Amy Iro")
    review = make_review(app, iro, review_date=working_days_ahead(8), case_ref="CASE-000123")
    add_invitation(app, review, "parent", email="a.very.long.address@example.org",
                   recipient_name="Margaret Alexandra Montgomery-Smythe")  # fmt: skip
    add_invitation(app, review, "carer", channel="post", email=None)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server.url, "amy@example.org", TEST_PASSWORD)
    for url in ("/admin/chase", "/admin/chase?sort=overdue&dir=desc&overdue=1", "/admin/"):
        page.goto(live_server.url + url)
        no_violations(page, url)
        assert _no_sideways_scroll(page), url
    page.goto(live_server.url + "/admin/chase")
    page.screenshot(path=str(artifacts / f"chase-{viewport}.png"), full_page=True)
    # Tick the carer's form and record a phone call: a plain form post, no script needed.
    page.locator("input.chase-tick").last.check()
    page.locator("#action-record").check()
    page.locator("#kind-phone").check()
    page.fill("#note", "Left a message")
    with page.expect_navigation():
        page.get_by_role("button", name="Do this for the ticked forms").click()
    assert "Recorded the call or visit for 1 forms." in page.content()
    no_violations(page, "recorded")
    context.close()
