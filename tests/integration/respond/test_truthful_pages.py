"""After an alert, "I don't want to answer" says what has happened; a change from check answers
that opens a follow-up asks it next, through the real pages of child_consultation."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext

from portal.extensions import db
from portal.models import SafeguardingAlert
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of, tell_not_safe

NOTHING_SHARED = "You do not have to answer. Nothing you have not sent will be shared."
PASSED_ON = (
    "What you told us about being safe has already been passed to your IRO and their team. "
    "Someone will be in touch with you soon."
)


def _start(client, link, lang: str = "en") -> None:
    client.get(link.url)
    page = client.get(f"/r/start?lang={lang}").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(page), "helped_by": "on_my_own"})


def _in(app, lang: str, message: str) -> str:
    with app.app_context(), force_locale(lang):
        return gettext(message).replace("'", "&#39;")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_after_an_alert_no_thanks_says_it_was_passed_on_not_that_nothing_is_shared(
    app, client, lang
):
    link = make_invitation(app, role="child", age=9)
    _start(client, link, lang)
    assert post_page(client, 1, {"how_are_things": "not_good"}).status_code == 302
    assert tell_not_safe(app, client, link).location.startswith("/r/safe")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(SafeguardingAlert.id))) == 1
    page = client.get("/r/no-thanks").get_data(as_text=True)
    assert _in(app, lang, NOTHING_SHARED) not in page
    assert _in(app, lang, PASSED_ON) in page
    assert _in(app, lang, "If you are in danger now, call 999.") in page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_without_an_alert_no_thanks_keeps_its_old_words(app, client, lang):
    link = make_invitation(app, role="child", age=9)
    _start(client, link, lang)
    post_page(client, screen_of(app, link, "worries_topics"), {"worries_topics": ["nothing"]})
    page = client.get("/r/no-thanks").get_data(as_text=True)
    assert _in(app, lang, NOTHING_SHARED) in page
    assert "passed to your IRO" not in page


def test_another_responses_alert_does_not_change_the_words(app, client):
    first = make_invitation(app, role="child", age=9)
    _start(client, first)
    tell_not_safe(app, client, first)
    other = app.test_client()
    second = make_invitation(app, role="child", age=9)
    _start(other, second)
    assert NOTHING_SHARED in other.get("/r/no-thanks").get_data(as_text=True)


WHO = "Who?"  # child_consultation who_not_wanted for 4 to 7, asked when anyone_not_wanted is yes


def test_changing_an_answer_from_check_asks_the_follow_up_it_opens_first(app, client):
    # One question a screen for the youngest: the follow-up is the screen after its question.
    link = make_invitation(app, role="child", age=6)
    _start(client, link)
    asked = screen_of(app, link, "anyone_not_wanted")
    moved = post_page(client, asked, {"anyone_not_wanted": "no"})
    assert moved.location == f"/r/page/{asked + 2}"
    assert WHO not in client.get("/r/check").get_data(as_text=True)
    changed = post_page(client, asked, {"anyone_not_wanted": "yes"}, from_check=True)
    assert changed.location == f"/r/page/{asked + 1}?return=check"
    follow_up = client.get(changed.location).get_data(as_text=True)
    assert WHO in follow_up and 'name="_return" value="check"' in follow_up
    answered = post_page(client, asked + 1, {"who_not_wanted": "My uncle"}, from_check=True)
    assert answered.location == "/r/check"
    check = client.get("/r/check").get_data(as_text=True)
    assert WHO in check and "My uncle" in check


def test_a_change_from_check_that_opens_nothing_goes_straight_back(app, client):
    link = make_invitation(app, role="child", age=6)
    _start(client, link)
    asked = screen_of(app, link, "anyone_not_wanted")
    post_page(client, asked, {"anyone_not_wanted": "no"})
    changed = post_page(client, asked, {"anyone_not_wanted": "not_sure"}, from_check=True)
    assert changed.location == "/r/check"
