"""The return-rates and feedback reports at phone size: no sideways scrolling of the page (wide tables scroll
inside their own region), and no WCAG 2.2 A/AA violations (axe-core) at 375x667 and 1280x800."""

from __future__ import annotations

import pytest

from tests.browser.crawl import sign_in
from tests.browser.wcag import VIEWPORTS, violations
from tests.conftest import TEST_PASSWORD
from tests.reporting.domain_data import domain_rows, write_csv
from tests.reporting.test_feedback_cli import ROWS as RESPONSE_ROWS
from tests.reporting.test_feedback_cli import import_rows
from tests.security.world import build_world

pytestmark = pytest.mark.browser
QUERIES = (
    "period=2016/17",
    "period=2016/17&review_kind=cared_for&stage=consultation&publication=1",
    "period=2016/17+Q2",
)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_return_rates_page_fits_a_phone_and_has_no_wcag_violations(
    browser, app, runner, live_server, tmp_path, artifacts, viewport
):
    world = build_world(app)
    path = write_csv(tmp_path / "i.csv", domain_rows())
    assert runner.invoke(args=["import", "invitations", str(path), "--quiet"]).exit_code == 0
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    sign_in(page, live_server.url, world.emails["manager"], TEST_PASSWORD)
    problems = []
    for number, query in enumerate(QUERIES):
        page.goto(f"{live_server.url}/admin/reports/returns?{query}")
        assert page.locator("#returns-table").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            problems.append(f"{query}: the page scrolls sideways ({width} > {size['width']} px)")
        problems += violations(page, query)
        page.screenshot(path=str(artifacts / f"returns-{viewport}-{number}.png"), full_page=True)
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_feedback_report_fits_a_phone_and_has_no_wcag_violations(
    browser, app, runner, live_server, tmp_path, viewport
):
    world = build_world(app)
    assert import_rows(runner, tmp_path, RESPONSE_ROWS).exit_code == 0
    size = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    sign_in(page, live_server.url, world.emails["manager"], TEST_PASSWORD)
    problems = []
    for query in ("period=2017-03", "period=2017-03&age_band=8-11&source=import&publication=1"):
        page.goto(f"{live_server.url}/admin/reports/feedback?{query}")
        assert page.locator("#t-sent_form").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > size["width"]:
            problems.append(f"{query}: the page scrolls sideways ({width} > {size['width']} px)")
        problems += violations(page, query)
    context.close()
    assert problems == [], "\n".join(problems)
