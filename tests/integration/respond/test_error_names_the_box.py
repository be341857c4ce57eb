"""A text box refused by the server is named in its error and in the error summary,
in the page's language, with the number written as its reader writes it."""

from __future__ import annotations

import re
from html import unescape

from flask_babel import force_locale, gettext

from portal.extensions import db
from portal.models import Draft
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of

DREAMS = "What would you like to happen?"  # child_consultation `dreams`, max 2,000 characters
SUMMARY_LINK = re.compile(r'<li><a href="#q-dreams">([^<]+)</a></li>')


def begin(app, client, lang=None):
    link = make_invitation(app, role="child", age=9)
    client.get(link.url)
    html = client.get("/r/start" + (f"?lang={lang}" if lang else "")).get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(html), "helped_by": "on_my_own"})
    return link


def saved_answers(app, link):
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        return {k: v for k, v in draft.answers.items() if not k.startswith("_")}


def test_a_too_long_answer_names_the_box_in_the_summary_and_beside_it(app, client):
    link = begin(app, client)
    number = screen_of(app, link, "dreams")
    page = post_page(client, number, {"dreams": "x" * 2001})
    assert page.status_code == 400
    html = unescape(page.get_data(as_text=True))
    message = f"‘{DREAMS}’ must be 2,000 characters or fewer"
    assert SUMMARY_LINK.search(html).group(1) == message
    assert (
        f'<p class="field-error" id="q-dreams-error"><span class="visually-hidden">Error:</span> {message}</p>'
        in html
    )
    assert "Your answer must be" not in html
    assert saved_answers(app, link) == {}


def test_a_hidden_character_names_the_box(app, client):
    link = begin(app, client)
    number = screen_of(app, link, "dreams")
    page = post_page(client, number, {"dreams": "a vet\x00"})
    assert page.status_code == 400
    html = unescape(page.get_data(as_text=True))
    assert SUMMARY_LINK.search(html).group(1).startswith(f"‘{DREAMS}’ has a hidden character")


def test_in_arabic_the_error_names_the_box_in_arabic(app, client):
    link = begin(app, client, lang="ar")
    number = screen_of(app, link, "dreams")
    page = post_page(client, number, {"dreams": "x" * 2001})
    assert page.status_code == 400
    html = unescape(page.get_data(as_text=True))
    with app.test_request_context(), force_locale("ar"):
        arabic_label = gettext(DREAMS)
    assert arabic_label != DREAMS  # the catalogue translates the question
    named = SUMMARY_LINK.search(html).group(1)
    assert arabic_label in named and "2,000" in named and DREAMS not in named
