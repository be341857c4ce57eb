"""Every way a link or code can be wrong has its own kind page; codes from letters work; /q is rate limited."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.crypto.tokens import format_short_code, hash_token, new_token
from portal.extensions import db
from portal.models import Invitation, utcnow
from tests.respond_support import csrf_from, make_invitation


def set_fields(app, link, **fields):
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        for name, value in fields.items():
            setattr(invitation, name, value)
        db.session.commit()


def case_ref(app, link):
    with app.app_context():
        return db.session.get(Invitation, link.invitation_id).review.child.case_ref


@pytest.mark.parametrize(
    ("make_url", "status", "title"),
    [
        (lambda link: "/r/short", 404, "This link is not complete"),
        (lambda link: "/r/" + "x" * 40 + "!", 404, "This link is not complete"),
        (lambda link: "/r/" + new_token(), 404, "We cannot find this link"),
    ],
)
def test_malformed_and_unknown_links_get_their_own_pages(app, client, make_url, status, title):
    link = make_invitation(app)
    page = client.get(make_url(link))
    html = page.get_data(as_text=True)
    assert page.status_code == status and title in html
    assert "ask your IRO" in html and "Maya" not in html


@pytest.mark.parametrize(
    ("fields", "status", "title"),
    [
        ({"expires_at": utcnow() - dt.timedelta(minutes=1)}, 410, "This link has expired"),
        ({"revoked_at": utcnow()}, 410, "This link no longer works"),
        ({"returned_at": utcnow(), "return_channel": "paper"}, 200, "already been sent"),
    ],
)
def test_expired_revoked_and_answered_links_say_what_to_do_and_nothing_about_the_child(
    app, client, fields, status, title
):
    link = make_invitation(app)
    set_fields(app, link, **fields)
    page = client.get(link.url)
    html = page.get_data(as_text=True)
    assert page.status_code == status and title in html
    assert "Maya" not in html and case_ref(app, link) not in html


def test_link_to_a_form_not_in_the_catalogue_says_so(app, client):
    link = make_invitation(app, form_key="no_such_form")
    page = client.get(link.url)
    assert page.status_code == 404 and "This form is not available" in page.get_data(as_text=True)


def test_journey_pages_without_a_link_in_the_session_ask_to_open_it_again(client):
    for path in ("/r/start", "/r/page/1", "/r/check", "/r/safe"):
        page = client.get(path)
        assert page.status_code == 400 and "Open your link again" in page.get_data(as_text=True)


def test_opening_a_link_records_when_it_was_first_opened(app, client):
    link = make_invitation(app)
    client.get(link.url)
    with app.app_context():
        first = db.session.get(Invitation, link.invitation_id).opened_at
    client.get(link.url)
    with app.app_context():
        assert db.session.get(Invitation, link.invitation_id).opened_at == first is not None


def test_token_leaves_the_url_and_is_not_in_the_session_cookie(app, client):
    link = make_invitation(app)
    opened = client.get(link.url)
    assert opened.status_code == 302 and link.token not in opened.location
    cookie = client.get_cookie("session")
    assert cookie is not None and link.token not in cookie.value


def test_a_reissued_link_ends_the_session_from_the_old_one(app, client):
    link = make_invitation(app)
    client.get(link.url)
    set_fields(app, link, token_hash=hash_token(new_token()), short_code_hash=None)
    page = client.get("/r/start")
    assert page.status_code == 410 and "This link no longer works" in page.get_data(as_text=True)


@pytest.mark.parametrize("style", ["plain", "dashed", "spaced lower"])
def test_a_code_from_a_letter_opens_the_same_form(app, client, style):
    link = make_invitation(app, role="parent")
    typed = {
        "plain": link.code,
        "dashed": format_short_code(link.code),
        "spaced lower": " ".join(link.code.lower()),
    }[style]
    token = csrf_from(client.get("/q").get_data(as_text=True))
    entered = client.post("/q", data={"csrf_token": token, "code": typed})
    assert entered.status_code == 302 and entered.location == "/r/start"
    assert "the review for Maya" in client.get("/r/start").get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the code from your letter"),
        ("ABC", "The code must be 8 letters and numbers"),
        ("AAAA-AAAA", "We cannot find a form with that code"),
        ("OOOO-1111", "Codes never use O, 1."),
    ],
)
def test_a_wrong_code_gets_an_error_summary(app, client, typed, message):
    make_invitation(app)
    token = csrf_from(client.get("/q").get_data(as_text=True))
    page = client.post("/q", data={"csrf_token": token, "code": typed})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "There is a problem" in html and message in html


def test_a_code_for_an_answered_form_says_it_was_already_sent(app, client):
    link = make_invitation(app)
    set_fields(app, link, returned_at=utcnow())
    token = csrf_from(client.get("/q").get_data(as_text=True))
    page = client.post("/q", data={"csrf_token": token, "code": link.code})
    assert "already been sent" in page.get_data(as_text=True)


def test_guessing_codes_is_rate_limited_per_connection(app, client):
    token = csrf_from(client.get("/q").get_data(as_text=True))
    statuses = [
        client.post("/q", data={"csrf_token": token, "code": "AAAA-AAAA"}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    link = make_invitation(app)
    blocked = client.post("/q", data={"csrf_token": token, "code": link.code})
    assert blocked.status_code == 429 and "Please wait" in blocked.get_data(as_text=True)


def test_landing_page_offers_the_code_from_a_letter(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/q"' in html and "I have a code from a letter" in html


def test_a_test_invitation_is_made_by_the_real_rules_with_their_due_date_and_keyed_code(app):
    from portal.crypto.tokens import short_code_hashes
    from portal.rules import invitations

    link = make_invitation(app)
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        assert invitation.due_at == invitations.due_date(invitation.review, "consultation")
        assert invitation.short_code_hash == short_code_hashes(link.code)[0]


def test_the_code_box_is_typed_in_capitals_without_spellcheck_or_autofill(client):
    html = client.get("/q").get_data(as_text=True)
    box = html[html.index('name="code"') - 300 : html.index('name="code"') + 300]
    assert 'autocapitalize="characters"' in box and 'spellcheck="false"' in box
    assert 'autocomplete="off"' in box


def test_the_thank_you_page_is_only_shown_after_a_real_send(client):
    """Opened with nothing sent (a bookmark, another browser), it must not say "sent"."""
    page = client.get("/r/sent")
    assert page.status_code == 302 and page.location == "/q"
