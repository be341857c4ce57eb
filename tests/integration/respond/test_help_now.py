""" "I need help now": on every young person's page; /r/help gives 999, Childline, the IRO and the
team; "Tell my IRO I need help" raises one open "asked for help" alert, emailed and audited."""

from __future__ import annotations

import logging

import pytest

from portal.extensions import db
from portal.models import (
    HELP_QUESTION_KEY,
    AuditEvent,
    Invitation,
    MeetingQR,
    SafeguardingAlert,
    utcnow,
)
from portal.rules.alert_follow_up import acknowledge
from tests.conftest import csrf_token
from tests.integration.respond.test_team_contact import assert_team_shown, fill_team
from tests.respond_support import csrf_from, make_invitation, press_together, tell_not_safe

HELP_LINK = '<a class="help-now__link" href="/r/help">I need help now</a>'


@pytest.fixture
def app_config(smtp_sink):
    return {
        "MAIL_URL": smtp_sink.url,
        "SAFEGUARDING_EMAIL": "duty@council.example",
        "PORTAL_BASE_URL": "https://voice.example",
    }


def begin(app, client, role="child", age=9, **kwargs):
    link = make_invitation(app, role=role, age=age, **kwargs)
    client.get(link.url)
    client.post("/r/start", data={"csrf_token": csrf_from(client.get("/r/start").text)})
    return link


def help_alerts(app):
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(SafeguardingAlert).where(
                    SafeguardingAlert.question_key == HELP_QUESTION_KEY
                )
            )
        )


def ask(client):
    return client.post("/r/help", data={"csrf_token": csrf_token(client, "/r/help")})


@pytest.mark.parametrize(("role", "age"), [("child", 6), ("child", 14), ("care_leaver", 19)])
def test_every_page_of_a_young_persons_journey_links_to_help(app, client, role, age):
    begin(app, client, role=role, age=age)
    pages = ["/r/start", "/r/page/1", "/r/check", "/r/no-thanks"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert HELP_LINK in html, url
        # Near the top: before the page's own content.
        assert html.index(HELP_LINK) < html.index('<main id="main"'), url


def test_the_safety_and_thank_you_pages_link_to_help(app, client):
    link = begin(app, client, age=6)
    saved = tell_not_safe(app, client, link)
    assert saved.location.startswith("/r/safe")
    assert HELP_LINK in client.get(saved.location).get_data(as_text=True)
    sent = client.post("/r/check", data={"csrf_token": csrf_token(client, "/r/check")})
    assert sent.status_code == 302
    assert HELP_LINK in client.get("/r/sent").get_data(as_text=True)


@pytest.mark.parametrize("role", ["parent", "carer"])
def test_adults_pages_have_no_help_now_link(app, client, role):
    begin(app, client, role=role)
    for url in ("/r/start", "/r/page/1", "/r/check"):
        assert "help-now__link" not in client.get(url).get_data(as_text=True)


def test_the_help_page_gives_the_numbers_the_iro_and_the_team(app, client):
    fill_team(app)
    begin(app, client)
    page = client.get("/r/help")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="tel:999"' in html and 'href="tel:08001111"' in html
    assert "Your IRO, Priya Shah." in html
    assert_team_shown(html)
    assert "Tell my IRO I need help" in html and 'name="csrf_token"' in html
    # The respondent's session is kept: the way back goes where they were.
    assert 'href="/r/page/1"' in html
    assert client.get("/r/page/1").status_code == 200


def test_without_a_session_the_help_page_still_gives_the_numbers(app, client):
    fill_team(app)
    page = client.get("/r/help")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'href="tel:999"' in html and 'href="tel:08001111"' in html
    assert_team_shown(html)
    assert "Tell my IRO I need help" not in html and "Your IRO" not in html


def test_asking_without_a_session_raises_nothing(app, client):
    page = client.post("/r/help", data={"csrf_token": csrf_token(client, "/q")})
    assert page.status_code == 400
    assert help_alerts(app) == []


def test_an_adults_session_cannot_raise_a_help_alert(app, client):
    begin(app, client, role="carer")
    assert "Tell my IRO I need help" not in client.get("/r/help").get_data(as_text=True)
    assert client.post("/r/help", data={"csrf_token": csrf_token(client, "/q")}).status_code == 400
    assert help_alerts(app) == []


def test_telling_the_iro_raises_an_alert_marked_asked_for_help_emailed_and_audited(
    app, client, smtp_sink, caplog
):
    link = begin(app, client)
    caplog.set_level(logging.INFO)
    asked = ask(client)
    assert asked.status_code == 302 and asked.location == "/r/help/asked"
    [alert] = help_alerts(app)
    assert alert.invitation_id == link.invitation_id and alert.review_id == link.review_id
    assert alert.acknowledged_at is None and alert.emailed_at is not None
    [message] = smtp_sink.messages
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        case_ref = invitation.review.child.case_ref
        iro_email = invitation.review.iro.email
        [event] = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "alert_raised")
        ).all()
    assert set(smtp_sink.envelopes[0].rcpt_tos) == {iro_email, "duty@council.example"}
    assert "asked for help" in message["Subject"] and case_ref in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert "Tell my IRO I need help" in body and "Maya" not in body and "Priya" not in body
    assert event.object_id == str(alert.id) and event.actor_id is None
    assert event.detail["reason"] == "asked_for_help"
    assert "Maya" not in caplog.text and case_ref not in caplog.text
    assert f"safeguarding alert {alert.id} raised: asked_for_help" in caplog.text

    done = client.get("/r/help/asked")
    html = done.get_data(as_text=True)
    assert done.status_code == 200
    assert "We have told your IRO" in html
    assert "Your IRO, Priya Shah, or someone from their team will get in touch" in html
    assert 'href="/r/page/1"' in html  # the way back to the form


def test_pressing_twice_keeps_one_open_alert(app, client, smtp_sink):
    begin(app, client)
    assert ask(client).status_code == 302
    assert ask(client).status_code == 302
    assert len(help_alerts(app)) == 1
    assert len(smtp_sink.messages) == 1


def test_after_the_alert_is_acknowledged_asking_again_raises_a_new_one(app, client, make_staff):
    begin(app, client)
    ask(client)
    staff_id = make_staff("admin")
    with app.app_context():
        from portal.models import StaffUser

        [alert] = db.session.scalars(db.select(SafeguardingAlert)).all()
        acknowledge(alert, db.session.get(StaffUser, staff_id), "Called the carer")
        db.session.commit()
    ask(client)
    assert len(help_alerts(app)) == 2


def test_two_phones_pressing_together_keep_one_open_alert(app):
    link = make_invitation(app, role="child")
    phones = [app.test_client(), app.test_client()]
    tokens = []
    for phone in phones:
        phone.get(link.url)
        tokens.append(csrf_token(phone, "/r/help"))
    assert press_together("/r/help", phones, tokens) == [302, 302]
    assert len(help_alerts(app)) == 1


def test_the_confirmation_is_only_shown_after_asking(app, client):
    begin(app, client)
    page = client.get("/r/help/asked")
    assert page.status_code == 302 and page.location == "/r/help"


def test_the_help_post_needs_its_csrf_token(app, client):
    begin(app, client)
    assert client.post("/r/help", data={}).status_code == 400
    assert help_alerts(app) == []


def test_the_help_post_is_rate_limited(app, client):
    begin(app, client)
    token = csrf_token(client, "/r/help")
    statuses = [client.post("/r/help", data={"csrf_token": token}).status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_a_meeting_qr_journey_shows_no_names_on_help_pages(app, client):
    link = make_invitation(app, role="child", stage="feedback")
    with app.app_context():
        invitation = db.session.get(Invitation, link.invitation_id)
        qr = MeetingQR(
            review_id=invitation.review_id,
            token_hash="qr-" + link.token[:20],
            expires_at=utcnow().replace(year=utcnow().year + 1),
        )
        db.session.add(qr)
        db.session.flush()
        invitation.meeting_qr_id = qr.id
        db.session.commit()
    client.get(link.url)
    html = client.get("/r/help").get_data(as_text=True)
    assert "Tell my IRO I need help" in html
    assert "Priya" not in html and "Maya" not in html
    ask(client)
    done = client.get("/r/help/asked").get_data(as_text=True)
    assert "We have told your IRO" in done and "Priya" not in done and "Maya" not in done


def test_asked_for_help_is_on_the_admin_alerts_list_and_the_home_count(
    app, client, make_staff, sign_in
):
    begin(app, client)
    ask(client)
    staff = app.test_client()
    sign_in(staff, make_staff("admin"))
    listed = staff.get("/admin/alerts").get_data(as_text=True)
    assert "asked for help" in listed
    [alert] = help_alerts(app)
    shown = staff.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert "Tell my IRO I need help" in shown
    home = staff.get("/admin/").get_data(as_text=True)
    assert "1 open safeguarding alert" in home
    for page in (f"/admin/reviews/{alert.review_id}", f"/admin/reviews/{alert.review_id}/digest"):
        assert "asked for help" in staff.get(page).get_data(as_text=True), page
