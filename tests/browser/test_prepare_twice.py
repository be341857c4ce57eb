"""The Prepare screen pressed twice in Chromium (ADR 0078): Back after pressing it, and a second
tab drawn before the first was pressed, each leave one set of invitations; the stale tab's
press lands on the review page saying nothing was added, axe clean, at 375x667 and 1280x800.
(Chromium sends one POST for a double click; a second POST of one page is tested in
tests/integration/test_invitations_admin.py.)"""

from __future__ import annotations

import pytest

from tests.browser.crawl import sign_in
from tests.browser.wcag import VIEWPORTS, no_violations
from tests.conftest import TEST_PASSWORD
from tests.integration.workspace import invitations_of, make_review, working_days_ahead

pytestmark = pytest.mark.browser
EVERYONE = ["child", "parent", "carer", "health", "education"]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_a_prepare_page_pressed_after_another_made_the_set_adds_nothing(
    browser, app, live_server, make_staff, artifacts, viewport
):
    iro = make_staff("iro", email="ben@example.org", name="Ben Iro")
    review_id = make_review(app, iro, review_date=working_days_ahead(10), age=12)
    review_url = f"{live_server.url}/admin/reviews/{review_id}"
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server.url, "ben@example.org", TEST_PASSWORD)
    page.goto(f"{review_url}/invitations/prepare")
    second_tab = context.new_page()  # drawn now, pressed after the first tab made the set
    second_tab.goto(f"{review_url}/invitations/prepare")
    page.get_by_role("button", name="Prepare invitations").click()
    page.wait_for_url(review_url)
    assert [invitation.role for invitation in invitations_of(app, review_id)] == EVERYONE

    page.go_back()  # staff pages are not stored: Back draws the page again, with nobody left
    assert "Everyone has been invited already" in page.content()

    second_tab.get_by_role("button", name="Prepare invitations").click()
    second_tab.wait_for_url(review_url)
    assert "Nothing was added" in second_tab.content()
    no_violations(second_tab, "review page after a stale Prepare page")
    assert second_tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    second_tab.screenshot(path=str(artifacts / f"prepare-twice-{viewport}.png"), full_page=True)
    assert [invitation.role for invitation in invitations_of(app, review_id)] == EVERYONE
    context.close()
