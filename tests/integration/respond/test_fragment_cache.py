"""The rendering cache keeps only question markup built from the form, never a respondent's
answer: two respondents on the same page each see only their own choices and words, each page
carries its own CSRF token, and what is kept is the same whoever asked for it."""

from __future__ import annotations

import re

import pytest

from portal.web.respond import fragments
from tests.respond_support import csrf_from, make_invitation, post_page

TOKEN = re.compile(r'(name="csrf_token" value=")[^"]+')
WORDS = "my own words about Maya"


@pytest.fixture
def kept(app):
    app.jinja_env.auto_reload = False  # as in production, where the cache is on
    fragments.clear()
    yield fragments.kept()
    fragments.clear()


def _carer(app):
    link = make_invitation(app, role="carer")
    client = app.test_client()
    assert client.get(link.url, follow_redirects=True).status_code == 200
    return client


def _everything_kept(kept) -> str:
    return repr(list(kept.keys())) + "".join("".join(parts) for parts in kept.values())


def test_two_carers_get_the_same_page_each_with_their_own_token(app, kept):
    first, second = _carer(app), _carer(app)
    one = first.get("/r/page/1").get_data(as_text=True)
    filled = len(kept)
    assert filled  # the questions' markup is kept...
    two = second.get("/r/page/1").get_data(as_text=True)
    assert len(kept) == filled  # ...and reused for the next respondent
    assert csrf_from(one) != csrf_from(two)
    assert TOKEN.sub(r"\1", one) == TOKEN.sub(r"\1", two)
    assert post_page(second, 1, {"settled": "settled"}).status_code == 302  # its token is accepted


def test_typed_words_are_shown_to_their_writer_only_and_never_kept(app, kept):
    writer, reader = _carer(app), _carer(app)
    assert (
        post_page(writer, 1, {"settled": "mostly_settled", "going_well": WORDS}).status_code == 302
    )
    fragments.clear()
    mine = writer.get("/r/page/1").get_data(as_text=True)
    assert WORDS in mine and kept
    theirs = reader.get("/r/page/1").get_data(as_text=True)
    assert "my own words" not in theirs
    assert "my own words" not in _everything_kept(kept)


def test_chosen_options_are_applied_outside_what_is_kept(app, kept):
    chose, other = _carer(app), _carer(app)
    assert post_page(chose, 1, {"settled": "unsettled"}).status_code == 302
    checked = chose.get("/r/page/1").get_data(as_text=True)
    fresh = other.get("/r/page/1").get_data(as_text=True)
    assert re.search(r'value="unsettled"[^>]*checked', checked)
    assert not re.search(r"checked", fresh)
    assert "checked" not in _everything_kept(kept)


def test_what_is_kept_is_the_same_whatever_the_respondent_answered(app, kept):
    answered, fresh = _carer(app), _carer(app)
    assert post_page(answered, 1, {"settled": "unsettled", "going_well": WORDS}).status_code == 302
    answered.get("/r/page/1")
    after_answers = dict(kept)
    fragments.clear()
    fresh.get("/r/page/1")
    assert after_answers == dict(kept)
