"""The IRO team's contact on every respondent problem page, the safety page and the thank-you
page; phone numbers as tel: links; dead invitations no longer offer their own letter code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy.exc import OperationalError

from portal.crypto.tokens import new_token
from portal.extensions import db
from portal.models import Invitation, Setting, utcnow
from portal.rules import settings
from portal.web import team_contact
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of, tell_not_safe

TEAM = {
    "team_name": "Example Council IRO team",
    "team_phone": "01632 960 321",
    "team_email": "iro.team@example.org",
}
TEAM_PHONE_LINK = '<a href="tel:01632960321"><bdi dir="ltr" class="phone">01632 960 321</bdi></a>'
CHILDLINE_LINK = '<a href="tel:08001111"><bdi dir="ltr" class="phone">0800 1111</bdi></a>'
CODE_LINK = 'href="/q"'


def fill_team(app, values=TEAM) -> None:
    with app.app_context():
        for key, value in values.items():
            db.session.add(Setting(key=key, value=value))
        db.session.commit()


def set_fields(app, link, **fields) -> None:
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        for name, value in fields.items():
            setattr(invitation, name, value)
        db.session.commit()


def team_box(html: str) -> str:
    found = re.search(r'<div class="notice contact-box" id="team-contact">.*?</div>', html, re.S)
    assert found, "no team contact on the page"
    return found.group(0)


def assert_team_shown(html: str) -> None:
    box = team_box(html)
    assert "Example Council IRO team" in box
    assert TEAM_PHONE_LINK in box
    assert '<a href="mailto:iro.team@example.org">' in box


@pytest.mark.parametrize(
    ("make_url", "status"),
    [
        (lambda link: "/r/" + new_token(), 404),  # unknown link
        (lambda link: "/r/short", 404),  # part of the link missing
        (lambda link: "/r/start", 400),  # "open your link again": no session
        (lambda link: "/m/" + new_token(), 404),  # unknown meeting QR code
    ],
)
def test_problem_pages_show_the_team_contact(app, client, make_url, status):
    fill_team(app)
    link = make_invitation(app)
    page = client.get(make_url(link))
    assert page.status_code == status
    assert_team_shown(page.get_data(as_text=True))


@pytest.mark.parametrize(
    "fields",
    [{"expires_at": utcnow() - dt.timedelta(minutes=1)}, {"revoked_at": utcnow()}],
    ids=["expired", "revoked"],
)
def test_expired_and_revoked_links_offer_the_team_not_their_own_dead_code(app, client, fields):
    fill_team(app)
    link = make_invitation(app)
    set_fields(app, link, **fields)
    page = client.get(link.url)
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert_team_shown(html)
    assert CODE_LINK not in html and "I have a code from a letter" not in html


def test_a_link_that_cannot_be_found_still_offers_the_code_from_a_letter(app, client):
    link = make_invitation(app)
    html = client.get("/r/" + new_token()).get_data(as_text=True)
    assert CODE_LINK in html
    assert link.token not in html


def test_the_code_of_an_expired_invitation_offers_the_team_not_the_code_box(app, client):
    fill_team(app)
    link = make_invitation(app)
    set_fields(app, link, expires_at=utcnow() - dt.timedelta(minutes=1))
    token = csrf_from(client.get("/q").get_data(as_text=True))
    page = client.post("/q", data={"csrf_token": token, "code": link.code})
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert_team_shown(html)
    assert "I have a code from a letter" not in html


def test_a_page_number_not_in_the_form_shows_the_team_contact(app, client):
    fill_team(app)
    link = make_invitation(app, role="carer")
    client.get(link.url)
    page = client.get("/r/page/99")
    assert page.status_code == 404
    assert_team_shown(page.get_data(as_text=True))


def test_too_many_tries_shows_the_team_contact(app, client):
    fill_team(app)
    statuses = [client.get("/r/" + new_token()).status_code for _ in range(31)]
    assert statuses[-1] == 429
    blocked = client.get("/r/" + new_token())
    assert blocked.status_code == 429
    assert_team_shown(blocked.get_data(as_text=True))


def test_the_safety_page_shows_the_team_and_the_numbers_as_tel_links(app, client):
    fill_team(app)
    link = make_invitation(app, role="child", age=6)
    client.get(link.url)
    client.post("/r/start", data={"csrf_token": csrf_from(client.get("/r/start").text)})
    post_page(client, 1, {"how_are_things": "not_good"})
    saved = tell_not_safe(app, client, link)
    assert saved.location == f"/r/safe?next={screen_of(app, link, 'worries')}"
    html = client.get(saved.location).get_data(as_text=True)
    assert_team_shown(html)
    assert CHILDLINE_LINK in html
    assert '<a href="tel:999"><bdi dir="ltr" class="phone">999</bdi></a>' in html


def test_the_thank_you_page_shows_the_team_contact(app, client):
    fill_team(app)
    link = make_invitation(app, role="carer")
    client.get(link.url)
    client.post("/r/start", data={"csrf_token": csrf_from(client.get("/r/start").text)})
    sent = client.post("/r/check", data={"csrf_token": csrf_from(client.get("/r/check").text)})
    assert sent.status_code == 302
    page = client.get("/r/sent")
    assert page.status_code == 200
    assert_team_shown(page.get_data(as_text=True))


def test_with_no_team_settings_nothing_of_the_block_is_shown(app, client):
    html = client.get("/r/" + new_token()).get_data(as_text=True)
    assert 'id="team-contact"' not in html and "Contact the IRO team" not in html


def test_a_team_name_without_a_phone_or_email_shows_no_empty_lines(app, client):
    fill_team(app, {"team_name": "Example Council IRO team"})
    html = client.get("/r/" + new_token()).get_data(as_text=True)
    assert 'id="team-contact"' not in html and "Phone:" not in html


def test_only_the_email_shows_no_empty_phone_line(app, client):
    fill_team(app, {"team_email": "iro.team@example.org"})
    box = team_box(client.get("/r/" + new_token()).get_data(as_text=True))
    assert "mailto:iro.team@example.org" in box and "Phone:" not in box and "<strong>" not in box


def test_a_team_contact_that_cannot_be_read_leaves_the_block_out_not_a_500(
    app, client, monkeypatch
):
    fill_team(app)

    def database_gone(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(settings, "values", database_gone)
    page = client.get("/r/" + new_token())
    assert page.status_code == 404
    assert "We cannot find this link" in page.get_data(as_text=True)
    assert 'id="team-contact"' not in page.get_data(as_text=True)


def test_a_500_page_does_not_ask_for_the_team_contact(app, client, monkeypatch):
    fill_team(app)
    asked = []
    monkeypatch.setattr(
        team_contact, "team_contact", lambda: asked.append(1) or settings.TeamContact()
    )

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("broken")

    page = client.get("/boom-for-test")
    assert page.status_code == 500 and asked == []


def test_the_team_phone_in_an_arabic_page_is_one_isolated_link(app, client):
    fill_team(app)
    link = make_invitation(app, language="ar")
    set_fields(app, link, revoked_at=utcnow())
    html = client.get(link.url, headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert TEAM_PHONE_LINK in team_box(html)
    # The footer's translated sentence: Childline linked, the translator's isolate marks gone.
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert CHILDLINE_LINK in footer and "\u2066" not in footer
