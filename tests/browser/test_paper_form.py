"""The letter and paper form in real Chromium (ADR 0061): axe clean on screen at
375x667 and 1280x800 in Arabic (right to left) and English; in print media the staff controls
go, and the header row with the code and QR code is a repeating table header on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.crawl import sign_in
from tests.browser.wcag import no_violations
from tests.conftest import TEST_PASSWORD
from tests.integration.workspace import add_invitation, make_review

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("language", "width", "height"), [("ar", 375, 667), ("en", 1280, 800)])
def test_the_paper_form_on_screen_and_in_print(
    browser, app, live_server, make_staff, artifacts, language, width, height
):
    iro = make_staff("iro", email=f"iro.{language}@example.org", name="Priya IRO")
    review_id = make_review(app, iro, age=9, language=language)
    add_invitation(app, review_id, "child", channel="post", email=None, language=language,
                   recipient_name="Maya", postal_address="1 High Street\nExampletown\nEX1 1AA")  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, live_server.url, f"iro.{language}@example.org", TEST_PASSWORD)
    page.goto(f"{live_server.url}/admin/reviews/{review_id}")
    with page.expect_navigation():
        page.get_by_role("button", name="Print letter and paper form").click()
    form = page.locator(".paper-form-wrap")
    assert form.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator(".paper-question").count() > 5
    no_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / f"paper-form-{language}-{width}.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".no-print").first.is_visible()
    assert not page.locator(".admin-nav").first.is_visible()
    head = page.locator(".paper-form > thead").first
    # A table header group is repeated at the top of every printed page the table spans.
    assert head.evaluate("e => getComputedStyle(e).display") == "table-header-group"
    assert (
        page.locator(".paper-form > tfoot").first.evaluate("e => getComputedStyle(e).display")
        == "table-footer-group"
    )
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", head.locator(".paper-form__code").inner_text())
    qr = head.locator("svg.qr").bounding_box()
    assert qr["width"] >= 60 and qr["height"] >= 60  # about 22 mm: scannable on paper
    pdf = page.pdf(format="A4", print_background=True)
    (artifacts / f"paper-form-{language}.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3  # the letter and a multi-page form
    context.close()
