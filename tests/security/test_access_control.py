"""The access-control table: every admin URL x (anonymous, iro, other iro, manager, admin) x
object ownership -> expected status, derived from each view's declared roles and checked for real.
(The declared roles themselves are pinned in tests/integration/test_admin_access.py.)

Anonymous visitors are sent to sign-in from every page. The world's objects with id 1 (review,
child, invitation, response, alert, meeting QR) belong to the first IRO, so "other_iro" on an
object URL gets 404, never the page and never a hint that the object exists.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.security.routes import routes

ACTORS = (None, "iro", "other_iro", "manager", "admin")


def _expected(role: str | None, label: str | None, allowed: tuple[str, ...], has_object: bool):
    """The statuses an actor may see for a route (a set)."""
    if label is None:
        return {302, 400}  # sent to sign-in (or stopped by CSRF first on a POST)
    if role not in allowed:
        return {403}
    if label == "other_iro" and has_object:
        return {404}
    return {200, 302, 400, 409}  # the page, a redirect after a change, or a refused form


@pytest.mark.parametrize("actor", ACTORS, ids=lambda a: a or "anonymous")
def test_every_admin_url_answers_each_role_as_its_declared_roles_say(app, world, client_as, actor):
    client = client_as(actor)
    token = csrf_token(client, "/auth/sign-in") if actor is None else None
    rows = []
    for route in routes(app, world):
        if not route.url.startswith("/admin"):
            continue
        view = app.view_functions[route.endpoint]
        allowed = tuple(getattr(view, "staff_roles", ()))
        has_object = any(
            type(c).__name__ == "IntegerConverter" for c in route.rule._converters.values()
        )
        role = "iro" if actor == "other_iro" else actor
        for method in sorted(route.methods):
            if method == "GET":
                response = client.get(route.url)
            else:
                if actor is not None:
                    token = _page_token(client) or token
                response = client.open(route.url, method=method, data={"csrf_token": token or ""})
            expected = _expected(role, actor, allowed, has_object)
            status = response.status_code
            ok = status in expected
            if actor is None:
                ok = status == 302 and response.headers["Location"].startswith("/auth/sign-in")
                ok = ok or (method != "GET" and status == 400)
            rows.append((method, route.url, status, expected, ok))
    wrong = [row for row in rows if not row[-1]]
    assert rows and wrong == [], "\n".join(
        f"{m} {u}: got {s}, expected {e}" for m, u, s, e, _ in wrong
    )


def _page_token(client) -> str | None:
    """A CSRF token valid for this client's session (from the dashboard's sign-out form)."""
    page = client.get("/admin/")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    return match.group(1) if match else None
