"""A 4-7 year old's start, check, safety and thank-you pages: pictures, and "Read this to me"
playing sound shipped for the exact words, in a language phones have no voice for."""

from __future__ import annotations

import re

import pytest

from tests.respond_support import csrf_from, make_invitation, post_page

AUDIO = re.compile(r'data-read-aloud[^>]*data-audio="([^"]+)"')


def begin(app, client, *, age: int = 6, language: str = "ar") -> str:
    link = make_invitation(app, role="child", age=age, language=language)
    client.get(link.url)
    page = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(page), "helped_by": "on_my_own"})
    return page


def plays(client, html: str) -> str:
    """The page's one shipped sound: it is served as Ogg audio."""
    [url] = AUDIO.findall(html)
    sound = client.get(url)
    assert sound.status_code == 200
    assert sound.mimetype == "audio/ogg"
    assert sound.data[:4] == b"OggS"
    return url


@pytest.mark.parametrize("language", ["ar", "ti"])
def test_every_page_of_a_young_childs_form_reads_aloud_from_shipped_sound(app, client, language):
    start = begin(app, client, language=language)
    assert f'lang="{language}"' in start
    assert "img/form.svg" in start
    plays(client, start)

    question = client.get("/r/page/1").get_data(as_text=True)
    plays(client, question)

    assert post_page(client, 1, {"how_are_things": "not_good"}).status_code == 302
    check = client.get("/r/check").get_data(as_text=True)
    plays(client, check)

    safe = client.get("/r/safe").get_data(as_text=True)
    assert "img/talk.svg" in safe
    plays(client, safe)

    sent = client.post("/r/check", data={"csrf_token": csrf_from(check)})
    assert sent.location == "/r/sent"
    thanks = client.get("/r/sent").get_data(as_text=True)
    assert "thank-you-picture" in thanks
    plays(client, thanks)


def test_check_your_answers_shows_the_picture_of_each_chosen_answer(app, client):
    begin(app, client, language="en")
    post_page(client, 1, {"how_are_things": "not_good"})
    post_page(client, 2, {"good_things_topics": ["home", "friends"]})
    check = client.get("/r/check").get_data(as_text=True)
    pictures = re.findall(r'<img class="answer-picture" src="[^"]*/img/([^"?]+)', check)
    assert pictures == ["faces/sad.svg", "home.svg", "people/friend.svg"]


def test_older_childrens_pages_are_unchanged(app, client):
    start = begin(app, client, age=9, language="en")
    assert "data-read-aloud" not in start and "img/form.svg" not in start
    post_page(client, 1, {"how_are_things": "not_good"})
    check = client.get("/r/check").get_data(as_text=True)
    assert "data-read-aloud" not in check and "answer-picture" not in check
