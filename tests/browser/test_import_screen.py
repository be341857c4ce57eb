"""The upload screen at 375x667 in Chromium: axe clean empty, with errors and with a preview;
no sideways scrolling; works without JavaScript (a plain multipart form)."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import Review, StaffUser
from portal.rules.dates import today
from tests.browser.crawl import sign_in
from tests.browser.wcag import no_violations
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser
UPCOMING = (today() + dt.timedelta(days=30)).isoformat()
GOOD = f"case_ref,first_name,date_of_birth,review_kind,review_date\nC1,Sam,01/05/2012,Cared_For,{UPCOMING}\n"
BAD = "case_ref,first_name,date_of_birth,review_kind,review_date\nC1,Sam,31/02/2012,weekly,\n"


def check(page, artifacts, name: str) -> None:
    no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(artifacts / f"import-{name}.png"), full_page=True)


def upload(page, kind: str, text: str, tmp_path) -> None:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    page.check(f"#kind-{kind}")
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Preview import").click()


def test_upload_preview_and_confirm_at_phone_size(
    page, live_server, make_staff, artifacts, tmp_path
):
    app = live_server.app
    admin_id = make_staff("admin")
    with app.app_context():
        email = db.session.get(StaffUser, admin_id).email
    sign_in(page, live_server.url, email, TEST_PASSWORD)
    page.get_by_role("link", name="Import").click()
    assert page.url.endswith("/admin/import")
    check(page, artifacts, "empty")

    with page.expect_navigation():
        page.get_by_role("button", name="Preview import").click()
    assert page.locator(".error-summary").is_visible()
    check(page, artifacts, "nothing-chosen")

    upload(page, "reviews", BAD, tmp_path)
    assert page.get_by_text("line 2: review_kind 'weekly'").is_visible()
    check(page, artifacts, "errors")

    upload(page, "reviews", GOOD, tmp_path)
    assert page.get_by_text("1 new reviews, 0 moved").is_visible()
    check(page, artifacts, "preview")
    with app.app_context():
        assert db.session.query(Review).count() == 0
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm import").click()
    assert page.get_by_text("Imported: 1 new reviews").is_visible()
    with app.app_context():
        assert db.session.query(Review).count() == 1
