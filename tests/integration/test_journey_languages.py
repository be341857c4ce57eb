"""A child's journey in Pashto and Tigrinya: translated pages, same stored option keys, switching."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.dates import format_date

from portal.extensions import db
from portal.models import Draft, Invitation, Response
from tests.respond_support import csrf_from, make_invitation

SHOWN = re.compile(r'name="_shown" value="([^"]+)"')
TEXT = {"en": "It was fine", "ps": "ښه وه", "ti": "ጽቡቕ ነይሩ"}


def open_link(client, link, lang=None):
    """Open the link and start the form on my own; returns the start page's HTML."""
    assert client.get(link.url).status_code == 302
    start = client.get("/r/start" + (f"?lang={lang}" if lang else ""))
    assert start.status_code == 200
    html = start.get_data(as_text=True)
    posted = client.post("/r/start", data={"csrf_token": csrf_from(html), "helped_by": "on_my_own"})
    assert posted.location.startswith("/r/page/")
    return html, posted.location


def answer_every_screen(client, location, text):
    """Choose the first answer of every question shown (and write `text`); returns page HTML."""
    pages = []
    while location.startswith("/r/page/"):
        html = client.get(location).get_data(as_text=True)
        pages.append(html)
        shown = SHOWN.findall(html)
        data = {"csrf_token": csrf_from(html), "_shown": shown}
        for key in shown:
            values = re.findall(rf'name="{key}" value="([^"]+)"', html)
            data[key] = values[0] if values else text
        location = client.post(location, data=data).location
    assert location == "/r/check"
    check = client.get("/r/check").get_data(as_text=True)
    assert client.post("/r/check", data={"csrf_token": csrf_from(check)}).location == "/r/sent"
    return pages


def response_of(app, link):
    with app.app_context():
        return db.session.scalar(
            db.select(Response).where(Response.invitation_id == link.invitation_id)
        )


@pytest.mark.parametrize(
    ("lang", "direction", "question", "english"),
    [
        ("ps", "rtl", "ایا له کتنې مخکې تاته د ډکولو لپاره کومه فورمه درلېږل شوې وه؟", "Were you sent a form"),
        ("ti", "ltr", "ቅድሚ ገምጋምካ እትመልኦ ቅጥዒ ተላኢኹልካ ድዩ?", "Were you sent a form"),
    ],
)  # fmt: skip
def test_child_completes_feedback_in_their_language_with_the_same_answer_keys_as_english(
    app, client, lang, direction, question, english
):
    english_link = make_invitation(app, role="child", age=9, stage="feedback", language="en")
    answer_every_screen(client, open_link(client, english_link)[1], TEXT["en"])
    english_answers = response_of(app, english_link).answers

    other = app.test_client()
    link = make_invitation(app, role="child", age=9, stage="feedback", language=lang)
    start, location = open_link(other, link)
    assert f'lang="{lang}" dir="{direction}"' in start
    with app.app_context():
        review_date = db.session.get(Invitation, link.invitation_id).review_date
    assert format_date(review_date, format="full", locale=lang) in start
    pages = answer_every_screen(other, location, TEXT[lang])
    assert all(f'<html lang="{lang}" dir="{direction}">' in page for page in pages)
    assert question in pages[0] and english not in pages[0]
    thanks = other.get("/r/sent").get_data(as_text=True)
    assert "What happens next" not in thanks

    response = response_of(app, link)
    assert response.language == lang
    assert response.text_languages == {"comments": lang}
    assert response.answers.pop("comments") == TEXT[lang]
    english_answers.pop("comments")
    assert response.answers == english_answers
    assert response.answers["sent_form"] == "yes"


def test_switching_language_mid_form_keeps_answers_and_sticks_for_the_link(app, client):
    link = make_invitation(app, role="child", age=9, stage="feedback", language="en")
    _start, location = open_link(client, link)
    first = client.get(location).get_data(as_text=True)
    shown = SHOWN.findall(first)
    data = {"csrf_token": csrf_from(first), "_shown": shown, "sent_form": "no"}
    data |= {key: "no" for key in shown if key != "sent_form"}
    next_location = client.post(location, data=data).location

    # Switch to Pashto on the next page: the earlier answers are still there, in Pashto.
    switched = client.get(next_location + "?lang=ps").get_data(as_text=True)
    assert '<html lang="ps" dir="rtl">' in switched
    back = client.get(location).get_data(as_text=True)
    assert '<html lang="ps" dir="rtl">' in back
    assert re.search(r'name="sent_form" value="no" checked', back)
    page = client.get(next_location).get_data(as_text=True)
    shown = SHOWN.findall(page)
    answers = {key: re.findall(rf'name="{key}" value="([^"]+)"', page)[0] for key in shown}
    client.post(next_location, data={"csrf_token": csrf_from(page), "_shown": shown, **answers})
    with app.app_context():
        draft = db.session.scalar(db.select(Draft).where(Draft.invitation_id == link.invitation_id))
        assert draft.language == "ps"
        assert draft.answers["sent_form"] == "no"

    # Opening the same link again later, in a new browser session, comes back in Pashto.
    later = app.test_client()
    later.get(link.url)
    assert '<html lang="ps" dir="rtl">' in later.get("/r/start").get_data(as_text=True)


UNTRANSLATED = "A title written after the translators finished"
UNTRANSLATED_FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "untranslated_forms"


@pytest.mark.parametrize("app_config", [{"FORMS_DIR": str(UNTRANSLATED_FORMS)}])
def test_a_string_without_translation_falls_back_to_english_not_a_broken_page(app, client):
    link = make_invitation(app, role="child", age=9, stage="consultation", language="cy")
    client.get(link.url)
    start = client.get("/r/start")
    assert start.status_code == 200
    html = start.get_data(as_text=True)
    assert '<html lang="cy" dir="ltr">' in html
    assert "Iaith" in html  # the page's own text is in Welsh
    assert UNTRANSLATED in html  # a string with no Welsh yet: English, string by string
