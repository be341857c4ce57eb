"""The Participation report screen has no WCAG 2.2 A/AA violations (axe-core), phone and desktop,
with figures in every table and for publication (the "<5" and "suppressed" cells)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from tests.browser.crawl import sign_in
from tests.browser.wcag import VIEWPORTS, violations
from tests.conftest import TEST_PASSWORD
from tests.reporting.participation_data import add_reviews
from tests.security.world import build_world

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_participation_screen_has_no_wcag_violations(browser, app, live_server, viewport):
    world = build_world(app)
    with app.app_context():
        add_reviews(dt.date(2016, 6, 1), {"PN1": 6, "PN6": 7, "PN7": 2, None: 1}, chaired=True)
        add_reviews(dt.date(2015, 6, 1), {"PN0": 3, "PN2": 5})
        db.session.commit()
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server.url, world.emails["manager"], TEST_PASSWORD)
    problems = []
    for query in ("period=2016/17", "period=2016/17&publication=1&kind=cared_for"):
        page.goto(f"{live_server.url}/admin/reports/participation?{query}")
        assert page.locator("#participation-table").is_visible()
        problems += violations(page, query)
    context.close()
    assert problems == [], "\n".join(problems)
