"""An alerting answer reaches a person at once: alert row on page save, email with no answers."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Invitation, SafeguardingAlert
from portal.rules.safeguarding import send_pending_alerts
from tests.conftest import free_port
from tests.respond_support import (
    csrf_from,
    make_invitation,
    post_page,
    screen_of,
    tell_not_safe,
)


@pytest.fixture
def app_config(smtp_sink):
    return {
        "MAIL_URL": smtp_sink.url,
        "SAFEGUARDING_EMAIL": "duty@council.example",
        "PORTAL_BASE_URL": "https://voice.example",
    }


def begin(app, client, **kwargs):
    link = make_invitation(app, role="child", age=6, **kwargs)
    client.get(link.url)
    client.post(
        "/r/start", data={"csrf_token": csrf_from(client.get("/r/start").get_data(as_text=True))}
    )
    return link


def say_not_safe(app, client, link):
    """Raise an alert from the child's worries; the safety page then leads to their next page."""
    return tell_not_safe(app, client, link), f"/r/safe?next={screen_of(app, link, 'worries')}"


def alerts(app):
    with app.app_context():
        return [
            (a.question_key, a.option_key, a.emailed_at is not None, a.id)
            for a in db.session.scalars(db.select(SafeguardingAlert))
        ]


def test_alert_is_raised_and_emailed_when_the_page_is_saved_not_at_submit(app, client, smtp_sink):
    link = begin(app, client)
    post_page(client, 1, {"how_are_things": "not_good"})
    saved, safe_page = say_not_safe(app, client, link)
    assert saved.location == safe_page
    [(question, option, emailed, alert_id)] = alerts(app)
    assert (question, option, emailed) == ("worries_topics", "not_safe", True)
    [message] = smtp_sink.messages
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        case_ref = invitation.review.child.case_ref
        iro_email = invitation.review.iro.email
    assert set(smtp_sink.envelopes[0].rcpt_tos) == {iro_email, "duty@council.example"}
    body = message.get_payload(decode=True).decode()
    assert case_ref in body and f"https://voice.example/admin/alerts/{alert_id}" in body
    for leaked in ("not_safe", "Maya", "Not good", "feel", "worr"):
        assert leaked not in body and leaked not in message["Subject"]


def test_child_sees_who_to_talk_to_now_and_can_carry_on(app, client):
    link = begin(app, client)
    _, safe_page = say_not_safe(app, client, link)
    page = client.get(safe_page).get_data(as_text=True)
    assert "0800 1111" in page and "999" in page and "Priya Shah" in page
    follow_up = screen_of(app, link, "worries")
    assert "social worker" in page and f'href="/r/page/{follow_up}"' in page


def test_the_same_answer_saved_again_does_not_raise_a_second_alert(app, client, smtp_sink):
    link = begin(app, client)
    say_not_safe(app, client, link)
    again, _ = say_not_safe(app, client, link)
    assert again.location == f"/r/page/{screen_of(app, link, 'worries')}"
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    client.post("/r/check", data={"csrf_token": token})
    assert len(alerts(app)) == 1 and len(smtp_sink.messages) == 1


def test_a_failed_email_is_kept_for_the_retry_command(app, client, smtp_sink):
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    link = begin(app, client)
    say_not_safe(app, client, link)
    [(_, _, emailed, _)] = alerts(app)
    assert not emailed
    with app.app_context():
        alert = db.session.scalar(db.select(SafeguardingAlert))
        assert alert.email_attempts == 1 and alert.email_error
    app.config["MAIL_URL"] = smtp_sink.url
    with app.app_context():
        assert send_pending_alerts() == 1
        assert send_pending_alerts() == 0
    assert alerts(app)[0][2] and len(smtp_sink.messages) == 1


def test_no_alert_for_ordinary_answers(app, client, smtp_sink):
    link = begin(app, client)
    post_page(client, screen_of(app, link, "worries_topics"), {"worries_topics": ["school"]})
    assert alerts(app) == [] and smtp_sink.messages == []


def _set_case_ref(app, link, case_ref):
    """Legacy data: a case reference saved before the forms refused line breaks."""
    with app.app_context():
        db.session.get(Invitation, link.invitation_id).review.child.case_ref = case_ref
        db.session.commit()


def test_a_line_break_in_the_case_reference_does_not_stop_the_alert(app, client, smtp_sink):
    link = begin(app, client)
    _set_case_ref(app, link, "CASE-1\r\nBcc: someone@evil.example")
    saved, safe_page = say_not_safe(app, client, link)
    assert saved.status_code == 302 and saved.location == safe_page
    assert client.get(safe_page).status_code == 200
    [(_, _, emailed, _)] = alerts(app)
    assert emailed  # the case reference is shown escaped, on one line
    [message] = smtp_sink.messages
    assert message["Subject"] == "Safeguarding alert: case CASE-1\\r\\nBcc: someone@evil.example"
    assert message["Bcc"] is None
    assert all("evil" not in rcpt for rcpt in smtp_sink.envelopes[0].rcpt_tos)


def test_an_alert_that_cannot_be_built_is_stored_with_the_reason_and_the_page_works(
    app, client, smtp_sink
):
    link = begin(app, client)
    with app.app_context():
        iro = db.session.get(Invitation, link.invitation_id).review.iro
        iro.email = "iro@council.example\r\nBcc: someone@evil.example"  # legacy data
        db.session.commit()
    saved, safe_page = say_not_safe(app, client, link)
    assert saved.status_code == 302 and saved.location == safe_page
    assert client.get(safe_page).status_code == 200
    with app.app_context():
        alert = db.session.scalar(db.select(SafeguardingAlert))
        assert alert.emailed_at is None and alert.email_attempts == 1
        assert "line break" in alert.email_error and "evil" not in alert.email_error
    assert smtp_sink.messages == []
