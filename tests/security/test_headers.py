"""Security headers on every response of every route, signed in or not, including errors."""

from __future__ import annotations

import pytest

from portal.web.security import CONTENT_SECURITY_POLICY
from tests.security.routes import live_cookies, routes

REQUIRED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _assert_secure_headers(response, url: str) -> None:
    for header, value in REQUIRED.items():
        assert response.headers.get(header) == value, f"{url}: {header}"
    assert "Permissions-Policy" in response.headers, url
    if not url.startswith("/static/"):
        assert response.headers.get("Cache-Control") == "no-store", url
    for cookie in live_cookies(response):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, f"{url}: {cookie}"


@pytest.mark.parametrize("who", [None, "admin", "iro", "manager"])
def test_every_route_answers_every_method_with_security_headers(app, world, client_as, who):
    client = client_as(who)
    seen = 0
    for route in routes(app, world):
        for method in ("GET", "POST", "PUT", "DELETE"):
            response = client.open(route.url, method=method)
            assert response.status_code < 500, f"{method} {route.url}: {response.status_code}"
            _assert_secure_headers(response, route.url)
            seen += 1
    assert seen >= 4 * 6


def test_not_found_and_malformed_paths_also_carry_the_headers(client):
    for url in (
        "/no-such-page",
        "/admin/%00",
        "/r/../../etc/passwd",
        "/static/../portal/config.py",
    ):
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
        _assert_secure_headers(response, url)


def test_html_pages_never_reference_another_origin(app, world, client_as):
    client = client_as("admin")
    for route in routes(app, world):
        if "GET" not in route.methods:
            continue
        response = client.get(route.url)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for attribute in ('src="http', "src='http", 'href="//', 'src="//'):
            assert attribute not in html, f"{route.url} loads something from another origin"
