"""Bad input: a clear message and a 4xx, nothing stored, nothing already saved lost."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.extensions import db
from portal.models import Draft, Invitation, Response, utcnow
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of, screens_for

HIDDEN_CHARACTER = "has a hidden character that cannot be saved"
SAVED = ({"how_are_things": "ok"}, 0)


@pytest.fixture
def started(app, client):
    """A child's form (child_consultation, 8 to 11) with one answer already saved."""
    link = make_invitation(app, role="child", age=9)
    client.get(link.url)
    page = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(page)})
    post_page(client, 1, {"how_are_things": "ok"})
    return link


def saved(app, link):
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        count = db.session.scalar(db.select(db.func.count(Response.id)))
        return (dict(draft.answers) if draft else None), count


def test_missing_csrf_token_is_refused_and_nothing_changes(app, client, started):
    page = client.post("/r/page/2", data={"good_things": "Football"})
    assert page.status_code == 400 and "Your page timed out" in page.get_data(as_text=True)
    assert saved(app, started) == SAVED


def test_tampered_csrf_token_is_refused(app, client, started):
    data = {"csrf_token": "forged.token.value", "good_things": "Football"}
    page = client.post("/r/page/2", data=data)
    assert page.status_code == 400
    check = client.post("/r/check", data={"csrf_token": "forged"})
    assert check.status_code == 400
    assert saved(app, started) == SAVED


@pytest.mark.parametrize(
    ("key", "data", "message"),
    [
        ("home_feeling", {"home_feeling": "maybe"}, "Choose one of the answers shown"),
        ("anything_else", {"anything_else": "x" * 2001}, "2,000 characters or fewer"),
        ("dreams", {"dreams": "A dog", "how_are_things": "good"}, "not on this page"),
        ("dreams", {"dreams": "A dog", "made_up": "x"}, "not on this page"),
        ("anything_else", {"anything_else": "I am\x00 fine"}, HIDDEN_CHARACTER),
        ("anything_else", {"anything_else": "\x1b[2J"}, HIDDEN_CHARACTER),
    ],
)
def test_invalid_answers_get_an_error_summary_and_keep_what_was_saved(
    app, client, started, key, data, message
):
    page = post_page(client, screen_of(app, started, key), data)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "There is a problem" in html and message in html
    assert saved(app, started) == SAVED


def test_a_number_outside_the_scale_gets_an_error_summary_and_nothing_stored(app, client):
    link = make_invitation(app, role="child", age=9, stage="feedback")
    client.get(link.url)
    page = post_page(client, screen_of(app, link, "iro_listening"), {"iro_listening": "99"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "There is a problem" in html and "Choose a number from the ones shown" in html
    assert saved(app, link) == (None, 0)


def test_an_overlong_answer_is_shown_back_escaped_for_correction(app, client, started):
    number = screen_of(app, started, "anything_else")
    page = post_page(client, number, {"anything_else": "<b>" + "x" * 2001})
    html = page.get_data(as_text=True)
    assert "&lt;b&gt;xxx" in html and "<b>xxx" not in html


def test_a_refused_answer_comes_back_without_the_hidden_character(app, client, started):
    page = post_page(
        client, screen_of(app, started, "anything_else"), {"anything_else": "I am\x00 fine"}
    )
    assert page.status_code == 400
    assert "I am fine" in page.get_data(as_text=True) and "\x00" not in page.get_data(as_text=True)


def test_free_text_keeps_line_breaks_and_tabs(app, client, started):
    number = screen_of(app, started, "anything_else")
    assert post_page(client, number, {"anything_else": "one\r\ntwo\tthree"}).status_code == 302
    answers, _count = saved(app, started)
    assert answers["anything_else"] in ("one\r\ntwo\tthree", "one\ntwo\tthree")


@pytest.mark.parametrize("past_the_last", [None, 1, 991])
def test_a_page_number_out_of_range_is_a_clear_404(app, client, started, past_the_last):
    number = 0 if past_the_last is None else len(screens_for(app, started)) + past_the_last
    page = client.get(f"/r/page/{number}")
    assert page.status_code == 404
    assert "not part of this form" in page.get_data(as_text=True)
    assert saved(app, started) == SAVED


def test_a_negative_or_non_numeric_page_is_not_found(client, started):
    assert client.get("/r/page/-1").status_code == 404
    assert client.get("/r/page/two").status_code == 404


def test_an_unknown_helped_by_value_is_refused(app, client, started):
    page = client.get("/r/start").get_data(as_text=True)
    refused = client.post("/r/start", data={"csrf_token": csrf_from(page), "helped_by": "robot"})
    assert refused.status_code == 400 and "There is a problem" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"expires_at": utcnow() - dt.timedelta(seconds=1)}, 410), ({"revoked_at": utcnow()}, 410)],
)
def test_sending_after_expiry_or_revocation_is_refused_and_the_draft_kept(
    app, client, started, fields, status
):
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    with app.app_context():
        invitation = db.session.get(Invitation, started.invitation_id)
        for name, value in fields.items():
            setattr(invitation, name, value)
        db.session.commit()
    page = client.post("/r/check", data={"csrf_token": token})
    assert page.status_code == status
    assert saved(app, started) == SAVED
    later = client.post("/r/page/2", data={"csrf_token": token, "good_things": "Football"})
    assert later.status_code == status


def test_a_huge_post_is_refused_kindly(app, client, started):
    url = f"/r/page/{screen_of(app, started, 'anything_else')}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    page = client.post(url, data={"csrf_token": token, "anything_else": "x" * 400_000})
    assert page.status_code == 413
    assert saved(app, started) == SAVED


def test_error_summary_links_to_the_question(app, client, started):
    number = screen_of(app, started, "home_feeling")
    html = post_page(client, number, {"home_feeling": "maybe"}).get_data(as_text=True)
    assert re.search(r'<a href="#q-home_feeling-0">Choose one of the answers shown</a>', html)
    assert 'id="q-home_feeling-0"' in html
