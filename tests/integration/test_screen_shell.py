"""A question screen's page is drawn once per screen and language (portal/web/respond/screen_shell.py):
it is the same page as one drawn whole, nothing about the respondent or the request is kept, and
the drawing cannot reach the request, session or g at all."""

from __future__ import annotations

import itertools
import re

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup

from portal.extensions import db
from portal.web.respond import screen_shell
from portal.web.respond.screen_shell import Shell, Slots, screen_page_html, whole_screen_page
from tests.respond_support import kept_on, named_child_link, post_page, screens_for

NAME = "Zephyrine"
WORDS = "my own secret words"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def kept(app):
    """What is kept, starting empty, with the cache on as in production."""
    with kept_on(app, screen_shell) as kept:
        yield kept


def _text_screen(app, link) -> int:
    """The number of the first screen that asks for typed words."""
    from portal.models import Invitation
    from portal.questionnaires import catalogue

    with app.app_context():
        form = catalogue().get(db.session.get(Invitation, link.invitation_id).form_key)
    for screen in screens_for(app, link):
        if any(form.question(key).type == "text" for key in screen.keys):
            return screen.number + 1
    raise AssertionError("the form asks for no typed words")


def _child_with_words(app):
    """A named child who has typed words into their form; returns (client, that screen's URL)."""
    link = named_child_link(app, NAME)
    client = app.test_client()
    client.get(link.url)
    number = _text_screen(app, link)
    page = client.get(f"/r/page/{number}").get_data(as_text=True)
    text_keys = re.findall(r'<textarea[^>]*name="([^"]+)"', page)
    assert text_keys, "no text box on the screen"
    saved = post_page(client, number, dict.fromkeys(text_keys, WORDS) | {"_action": "save_later"})
    assert saved.status_code in (200, 302, 303)
    return client, f"/r/page/{number}"


def test_nothing_about_the_respondent_or_the_request_is_kept(app, kept):
    client, path = _child_with_words(app)
    page = client.get(path + "?return=check&note=mine").get_data(as_text=True)
    assert WORDS in page and TOKEN.search(page)
    everything = "\n".join([*map(repr, kept), *("".join(parts) for parts in kept.values())])
    assert kept
    # The page's own address (its form's action) is the screen's; the request's query is not.
    for personal in (NAME, WORDS, TOKEN.search(page).group(1), "note=mine", "?return=check&"):
        assert personal not in everything


def test_a_second_respondent_gets_their_own_words_on_the_same_kept_page(app, kept):
    first, path = _child_with_words(app)
    first.get(path)
    kept_before = dict(kept)
    second = app.test_client()
    second.get(named_child_link(app, "Olufemi").url)
    page = second.get(path).get_data(as_text=True)
    assert dict(kept) == kept_before  # the same screen: nothing new drawn
    assert WORDS not in page and NAME not in page


SLOTS = Slots(
    page_title='Zeph & "co" <b>',
    back_url="/r/page/1?return=check&x=<y>",
    csrf="token-value",
    questions=Markup('<p class="q">a question</p>'),
    switch_url="/r/page/2?return=check&",
)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_kept_page_is_the_page_drawn_whole(app, kept, locale):
    flags = itertools.product((False, True), repeat=5)
    with app.test_request_context(f"/r/page/2?lang={locale}"):
        for single, skippable, saved, returning, help_now in flags:
            shell = Shell(
                locale=locale, script_root="", number=1, total=7,
                heading=Markup("About <i>you</i>"), single=single, skippable=skippable,
                saved=saved, return_to_check=returning, help_now=help_now,
            )  # fmt: skip
            kept_page = screen_page_html(shell, SLOTS)
            assert kept_page == whole_screen_page(shell, SLOTS, errors={}, error_items=())
            assert screen_page_html(shell, SLOTS) == kept_page  # now from the kept drawing
            assert "Zeph &amp; &#34;co&#34; &lt;b&gt;" in kept_page
            assert 'dir="rtl"' in kept_page if locale == "ar" else 'dir="ltr"' in kept_page
    assert len(kept) == 32


@pytest.mark.parametrize(
    "name", ["request", "session", "g", "csrf_token", "current_user", "get_flashed_messages",
             "switch_prefix", "config"],
)  # fmt: skip
def test_the_drawing_cannot_reach_the_request(app, name):
    with app.test_request_context("/r/page/1"):
        environment = screen_shell._environment()
        with pytest.raises(UndefinedError):
            environment.from_string("{{ %s }}" % name).render()  # noqa: UP031


def test_with_templates_reloading_the_page_is_drawn_the_same_way_and_not_kept(app, kept):
    client, path = _child_with_words(app)
    app.jinja_env.auto_reload = True
    screen_shell.clear()
    page = client.get(path).get_data(as_text=True)
    assert WORDS in page
    assert not kept
