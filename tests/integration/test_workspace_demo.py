"""The demo team can use every workspace screen on the demo data (what `make run` shows)."""

from __future__ import annotations

import re

import pytest

from portal.cli.demo import load_demo
from portal.crypto.passwords import hash_password
from portal.extensions import db as _db
from portal.models import Child, StaffUser
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo(lambda _line: None)
        for user in _db.session.query(StaffUser):
            user.password_hash = hash_password(TEST_PASSWORD)
        _db.session.commit()
        return {user.email: user.id for user in _db.session.query(StaffUser)}


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/admin/[^"?#]*)"', html))


def test_the_demo_admin_can_open_every_screen_linked_from_home_and_reviews(app, demo, sign_in):
    client = app.test_client()
    sign_in(client, demo["admin@example.org"])
    seen: set[str] = set()
    todo = ["/admin/", "/admin/reviews", "/admin/children"]  # breadth first: nearest pages first
    while todo and len(seen) < 150:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype == "text/html":
            todo += [
                link
                for link in _links(response.get_data(as_text=True))
                if "/reports" not in link and link not in seen
            ]
    assert any("/digest" in url for url in seen) and any("/prepare" in url for url in seen)


def test_a_demo_iro_sees_only_their_own_children(app, demo, sign_in):
    client = app.test_client()
    sign_in(client, demo["iro.one@example.org"])
    html = client.get("/admin/children").get_data(as_text=True)
    with app.app_context():
        children = _db.session.query(Child).all()
        mine = [c.case_ref for c in children if c.iro_id == demo["iro.one@example.org"]]
        others = [c.case_ref for c in children if c.iro_id != demo["iro.one@example.org"]]
    assert mine and others
    assert all(ref in html for ref in mine) and not any(ref in html for ref in others)
