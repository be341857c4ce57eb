"""Which pages to check in the browser: public pages, every admin page, every respondent page."""

from __future__ import annotations

from flask import Flask

from tests.security.routes import routes
from tests.security.world import World


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    assert "/admin" in page.url, f"sign-in as {email} failed"


def admin_urls(app: Flask, world: World) -> list[str]:
    """Every GET page under /admin, with the world's objects as arguments (not downloads)."""
    return [
        route.url
        for route in routes(app, world)
        if route.url.startswith("/admin")
        and "GET" in route.methods
        and not route.url.endswith((".csv", ".xlsx"))
    ]


def sample_links(world: World) -> list:
    """One unanswered link per form and age band (the world's children cover every band)."""
    chosen, seen = [], set()
    for link in world.links:
        key = (link.form_key, link.role, getattr(link, "band", ""))
        if link is world.answered or key in seen:
            continue
        seen.add(key)
        chosen.append(link)
    return chosen
