"""Kept question pages (issue 8): the same markup for everyone on that page, each with their own
CSRF token; a page showing typed words is never kept, so no one else can be shown them."""

from __future__ import annotations

import re

import pytest

from portal.web.respond import page_cache
from tests.respond_support import csrf_from, make_invitation, post_page

TOKEN = re.compile(r'(name="csrf_token" value=")[^"]+')


@pytest.fixture
def kept(app):
    app.jinja_env.auto_reload = False  # as in production
    page_cache.clear()
    yield page_cache._pages._items
    page_cache.clear()


def _carer(app):
    link = make_invitation(app, role="carer")
    client = app.test_client()
    assert client.get(link.url, follow_redirects=True).status_code == 200
    return client


def test_two_carers_get_the_same_kept_page_with_their_own_token(app, kept):
    first, second = _carer(app), _carer(app)
    one = first.get("/r/page/1").get_data(as_text=True)
    assert len(kept) == 1
    two = second.get("/r/page/1").get_data(as_text=True)
    assert len(kept) == 1  # served from the kept page
    assert csrf_from(one) != csrf_from(two)
    assert TOKEN.sub(r"\1", one) == TOKEN.sub(r"\1", two)
    assert page_cache.CSRF_SLOT not in two
    assert post_page(second, 1, {"settled": "yes"}).status_code == 302  # its token is accepted


def test_a_page_showing_typed_words_is_rendered_each_time_and_never_kept(app, kept):
    writer, reader = _carer(app), _carer(app)
    saved = post_page(writer, 1, {"settled": "partly", "notes": "my own words about Maya"})
    assert saved.status_code == 302
    page_cache.clear()
    mine = writer.get("/r/page/1").get_data(as_text=True)
    assert "my own words about Maya" in mine
    assert not kept
    theirs = reader.get("/r/page/1").get_data(as_text=True)
    assert "my own words" not in theirs
    assert all("my own words" not in html for html in kept.values())


def test_chosen_options_are_part_of_what_a_kept_page_is_kept_by(app, kept):
    chose, other = _carer(app), _carer(app)
    assert post_page(chose, 1, {"settled": "no"}).status_code == 302
    checked = chose.get("/r/page/1").get_data(as_text=True)
    fresh = other.get("/r/page/1").get_data(as_text=True)
    assert re.search(r'value="no"[^>]*checked', checked)
    assert not re.search(r"checked", fresh)
    assert len(kept) == 2
