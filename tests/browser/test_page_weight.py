"""Every respondent page is light (< 60 KB compressed, everything counted) and loads nothing
from another site. Measured in Chromium with the cache off while walking every form's journey;
compression is what the reverse proxy does (gzip), measured with gzip -6."""

from __future__ import annotations

import gzip

import pytest

from tests.browser.crawl import sample_links
from tests.browser.journey import journey
from tests.security.world import build_world

pytestmark = pytest.mark.browser
LIMIT = 60 * 1024


def _size(response) -> int:
    try:
        return len(gzip.compress(response.body(), 6))
    except Exception:  # a redirect has no body
        return 0


def _walk(
    browser, live_server, start: str, follow: bool
) -> tuple[list[tuple[str, int]], list[str]]:
    """(page URL, gzipped bytes of everything it loaded) for each page, and foreign requests."""
    context = browser.new_context(viewport={"width": 375, "height": 667})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    loaded: list = []
    foreign: list[str] = []
    page.on("response", lambda response: loaded.append(response))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else foreign.append(request.url)
        ),
    )
    weights = []
    if not follow:
        page.goto(start)
    pages = journey(page, start) if follow else iter([start])
    for url in pages:
        page.wait_for_load_state("networkidle")
        weights.append((url, sum(_size(response) for response in loaded)))
        loaded.clear()
    context.close()
    return weights, foreign


def test_every_respondent_page_is_under_60_kb_and_makes_no_third_party_requests(
    browser, app, live_server
):
    world = build_world(app)
    weights, foreign = [], []
    for url in ("/", "/q"):
        measured, seen = _walk(browser, live_server, live_server.url + url, follow=False)
        weights += measured
        foreign += seen
    for link in sample_links(world):
        measured, seen = _walk(browser, live_server, f"{live_server.url}/r/{link.token}", True)
        weights += [(f"{link.form_key} {url}", size) for url, size in measured]
        foreign += seen
    assert len(weights) > 2 * len(sample_links(world))
    heavy = [f"{url}: {size / 1024:.1f} KB" for url, size in weights if size >= LIMIT]
    assert heavy == [] and foreign == []
    print("heaviest respondent page:", max(weights, key=lambda pair: pair[1]))
