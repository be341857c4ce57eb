"""The page frame (stylesheet, language switcher, footer, scripts) is kept once per language and
holds nothing about the reader or the request: each page still gets its own URL in the
switcher's links, its own CSRF token and its own language, and a page is the same with the cache
on as off."""

from __future__ import annotations

import re

import pytest

from portal.web import frame
from tests.respond_support import kept_on, named_child_link

NAME = "Zephyrine"
TOKEN = re.compile(r'(name="csrf_token" value=")[^"]+')
SWITCH_LINK = re.compile(r'<a href="([^"]*)lang=ar" lang="ar"')


@pytest.fixture
def kept(app):
    """What is kept, starting empty, with the cache on as in production."""
    with kept_on(app, frame) as kept:
        yield kept


def _child(app):
    """A child's browser on the first page of their form."""
    link = named_child_link(app, NAME)
    client = app.test_client()
    page = client.get(link.url, follow_redirects=True)
    assert page.status_code == 200
    return client, page.request.path


def _everything_kept(kept) -> str:
    """Every key and every kept piece as one text to search."""
    return "\n".join([*map(repr, kept), *("".join(parts) for parts in kept.values())])


def test_the_frame_is_kept_per_language_and_reused(app, kept):
    first, path = _child(app)
    first.get(path)
    filled = dict(kept)
    # Every piece of the frame but the read-aloud script, which this page does not load.
    assert {piece for piece, _language, _root in filled} == set(frame.PIECES) - {
        "read_aloud_script"
    }
    second, _path = _child(app)
    second.get(path + "?return=check")
    assert dict(kept) == filled  # another reader on another URL: nothing new kept
    second.get(path + "?lang=ar")
    assert {language for _piece, language, _root in kept} == {"en", "ar"}


def test_nothing_about_the_reader_or_the_request_is_kept(app, kept):
    client, path = _child(app)
    page = client.get(path + "?return=check&note=mine").get_data(as_text=True)
    everything = _everything_kept(kept)
    assert kept and TOKEN.search(page)
    for personal in (NAME, TOKEN.search(page).group(0), path, "note=mine", "return=check"):
        assert personal not in everything


def test_each_page_gets_its_own_url_in_the_language_links(app, kept):
    client, path = _child(app)
    plain = client.get(path).get_data(as_text=True)
    asked = client.get(path + '?return=check&x="><b>').get_data(as_text=True)
    assert SWITCH_LINK.search(plain).group(1) == path + "?"
    # The query is kept, escaped: markup in a URL cannot break out of the link.
    assert SWITCH_LINK.search(asked).group(1) == path + "?return=check&amp;x=%22%3E%3Cb%3E&amp;"
    assert "<b>" not in asked


def test_each_language_gets_its_own_frame(app, kept):
    client, path = _child(app)
    english = client.get(path + "?lang=en").get_data(as_text=True)
    arabic = client.get(path + "?lang=ar").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in arabic
    assert 'aria-current="true">English<' in english
    assert 'aria-current="true">العربية<' in arabic
    assert english.count("tel:999") == arabic.count("tel:999") >= 1


def test_a_page_is_the_same_with_the_frame_kept_or_drawn_each_time(app, kept):
    client, path = _child(app)
    url = path + "?return=check&lang=fa"
    drawn_each_time, kept_pieces = [], []
    for reload, pages in ((True, drawn_each_time), (False, kept_pieces), (False, kept_pieces)):
        app.jinja_env.auto_reload = reload
        pages.append(TOKEN.sub(r"\1", client.get(url).get_data(as_text=True)))
    assert drawn_each_time[0] == kept_pieces[0] == kept_pieces[1]
