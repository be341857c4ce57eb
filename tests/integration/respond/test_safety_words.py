"""Words typed into a safety question's text box raise an alert for a person to read, as a
ticked option does: once per box, marked as words, nothing of them in email or logs."""

from __future__ import annotations

import logging

import pytest

from portal.extensions import db
from portal.models import ALERT_WORDS, SafeguardingAlert
from tests.respond_support import csrf_from, make_invitation, post_page, screen_of

SECRET = "Uncle Bob hits me when nobody is looking"


@pytest.fixture
def app_config(smtp_sink):
    return {
        "MAIL_URL": smtp_sink.url,
        "SAFEGUARDING_EMAIL": "duty@council.example",
        "PORTAL_BASE_URL": "https://voice.example",
    }


def begin(app, client, **kwargs):
    link = make_invitation(app, **{"role": "child", "age": 9, **kwargs})
    client.get(link.url)
    html = client.get("/r/start").get_data(as_text=True)
    client.post("/r/start", data={"csrf_token": csrf_from(html), "helped_by": "on_my_own"})
    return link


def alerts(app):
    with app.app_context():
        return [
            (a.question_key, a.option_key)
            for a in db.session.scalars(db.select(SafeguardingAlert).order_by(SafeguardingAlert.id))
        ]


def test_words_in_the_worries_box_raise_one_alert_to_read_and_say_nothing_of_them(
    app, client, smtp_sink, caplog
):
    caplog.set_level(logging.DEBUG)
    link = begin(app, client)
    number = screen_of(app, link, "worries")
    saved = post_page(client, number, {"worries_topics": "school", "worries": SECRET})
    assert saved.location == f"/r/safe?next={number + 1}"
    assert alerts(app) == [("worries", ALERT_WORDS)]
    # Saving the page again, even with other words, does not make a second alert.
    again = post_page(client, number, {"worries": SECRET + " and more"})
    assert again.location == f"/r/page/{number + 1}"
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    assert client.post("/r/check", data={"csrf_token": token}).location == "/r/sent"
    assert alerts(app) == [("worries", ALERT_WORDS)]

    [message] = smtp_sink.messages
    body = message.get_payload(decode=True).decode()
    assert "wrote something on a safety question" in body
    for leaked in ("Uncle", "hits", "worries", "school", "Maya"):
        assert leaked not in body and leaked not in message["Subject"]
    assert "Uncle" not in caplog.text and "hits me" not in caplog.text


def test_a_ticked_worry_and_words_are_two_alerts_each_raised_once(app, client, smtp_sink):
    link = begin(app, client)
    number = screen_of(app, link, "worries")
    post_page(client, number, {"worries_topics": "being_hurt", "worries": SECRET})
    post_page(client, number, {"worries_topics": "being_hurt", "worries": SECRET})
    assert alerts(app) == [("worries_topics", "being_hurt"), ("worries", ALERT_WORDS)]
    assert len(smtp_sink.messages) == 2


@pytest.mark.parametrize("blank", ["", "   ", "\r\n\t "])
def test_a_blank_worries_box_raises_no_alert(app, client, smtp_sink, blank):
    link = begin(app, client)
    number = screen_of(app, link, "worries")
    saved = post_page(client, number, {"worries_topics": "school", "worries": blank})
    assert saved.location == f"/r/page/{number + 1}"
    assert alerts(app) == [] and smtp_sink.messages == []


def test_words_in_a_box_that_is_not_about_safety_raise_no_alert(app, client, smtp_sink):
    link = begin(app, client)
    number = screen_of(app, link, "dreams")
    saved = post_page(client, number, {"dreams": "I want to be a vet"})
    assert saved.location == f"/r/page/{number + 1}"
    assert alerts(app) == [] and smtp_sink.messages == []


@pytest.mark.parametrize("role", ["child", "care_leaver"])
def test_not_feeling_safe_opens_a_tell_us_more_box_whose_words_raise_an_alert(
    app, client, smtp_sink, role
):
    age, kind = (9, "cared_for") if role == "child" else (19, "pathway_plan")
    link = begin(app, client, stage="feedback", role=role, age=age, kind=kind)
    number = screen_of(app, link, "feel_safe")
    before = client.get(f"/r/page/{number}").get_data(as_text=True)
    assert "Tell us more if you want to" not in before  # only under a worrying answer
    saved = post_page(client, number, {"feel_safe": "not_safe"})
    # The alert goes at once; carrying on returns to the same page, now with the box.
    assert saved.location == f"/r/safe?next={number}"
    page = client.get(f"/r/page/{number}").get_data(as_text=True)
    assert "Tell us more if you want to" in page and 'name="feel_safe_more"' in page
    post_page(client, number, {"feel_safe": "not_safe", "feel_safe_more": SECRET})
    assert alerts(app) == [("feel_safe", "not_safe"), ("feel_safe_more", ALERT_WORDS)]


def test_the_team_sees_the_alert_marked_as_words_to_read(
    app, client, smtp_sink, make_staff, sign_in
):
    link = begin(app, client)
    post_page(client, screen_of(app, link, "worries"), {"worries": SECRET})
    staff = app.test_client()
    sign_in(staff, make_staff("admin"))
    listed = staff.get("/admin/alerts").get_data(as_text=True)
    assert "Words to read" in listed and "wrote something on a safety question" in listed
    with app.app_context():
        alert_id = db.session.scalar(db.select(SafeguardingAlert.id))
    shown = staff.get(f"/admin/alerts/{alert_id}").get_data(as_text=True)
    assert "read their words" in shown and ALERT_WORDS not in shown
    assert SECRET not in listed and SECRET not in shown  # the words are read on the answers
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    client.post("/r/check", data={"csrf_token": token})
    digest = staff.get(f"/admin/reviews/{link.review_id}/digest").get_data(as_text=True)
    assert "Words to read" in digest and SECRET in digest


def test_a_young_child_gets_the_tell_us_more_screen_after_saying_they_are_not_safe(
    app, client, smtp_sink
):
    link = begin(app, client, stage="feedback", age=6)
    number = screen_of(app, link, "feel_safe")
    assert screen_of(app, link, "feel_safe_more") == number + 1  # one question per screen
    assert post_page(client, number, {"feel_safe": "yes"}).location == f"/r/page/{number + 2}"
    saved = post_page(client, number, {"feel_safe": "not_safe"})
    assert saved.location == f"/r/safe?next={number + 1}"
    page = client.get(f"/r/page/{number + 1}").get_data(as_text=True)
    assert "Do you want to tell us more?" in page and "An adult can write it for you." in page
    post_page(client, number + 1, {"feel_safe_more": "Mummy's friend shouts"})
    assert alerts(app) == [("feel_safe", "not_safe"), ("feel_safe_more", ALERT_WORDS)]
