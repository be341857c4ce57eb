"""Reading answers: the digest before the meeting, safeguarding alerts, and the audit log."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, Response, SafeguardingAlert
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_alert,
    add_invitation,
    get,
    make_review,
    working_days_ahead,
)


def _answer(app, invitation_id, answers, **fields):
    with app.app_context():
        invitation = _db.session.get(Invitation, invitation_id)
        invitation.returned_at = dt.datetime.now(dt.UTC)
        invitation.return_channel = "online"
        response = Response(
            invitation_id=invitation.id,
            review_id=invitation.review_id,
            form_key=invitation.form_key,
            role=invitation.role,
            answers=answers,
            **fields,
        )
        _db.session.add(response)
        _db.session.commit()
        return response.id


def test_digest_shows_answers_with_english_labels_alerts_and_who_has_not_replied(
    app, iro_id, sign_in
):
    review_id = make_review(app, iro_id)
    child = add_invitation(app, review_id, "child", language="ps")
    carer = add_invitation(app, review_id, "carer")
    add_invitation(app, review_id, "health", recipient_name="Nurse Jo")
    _answer(app, child, {"home_feeling": "not_safe", "worries": "زه غواړم له خپل ورور سره وګورم",
                         "worries_topics": ["school", "family_time"]},
            language="ps", text_languages={"worries": "ps"})  # fmt: skip
    _answer(app, carer, {"settled": "settled", "going_well": "More contact with her brother"})
    add_alert(app, review_id, child)
    client = app.test_client()
    sign_in(client, iro_id)
    html = client.get(f"/admin/reviews/{review_id}/digest").get_data(as_text=True)
    assert "How do you feel about where you live?" in html
    assert "School; Seeing my family" in html
    assert "needs translating" in html and "written in Pashto" in html
    assert "زه غواړم" in html
    assert html.count("needs translating") == 1  # the carer wrote in English
    assert "digest__alert" in html and "safeguarding alert" in html
    # the child's form (with the alert) comes first
    assert html.index("Child or young person") < html.index("Carer")
    assert "Not replied yet" in html and "Nurse Jo" not in html.split("Not replied yet")[0]
    with app.app_context():
        event = _db.session.query(AuditEvent).filter_by(action="answers_viewed").one()
        assert event.object_id == str(review_id) and event.actor_id == iro_id


def test_digest_includes_meeting_qr_and_paper_responses_marked_as_such(app, iro_id, sign_in):
    review_id = make_review(app, iro_id, status="held")
    with app.app_context():
        _db.session.add(Response(review_id=review_id, form_key="parent_feedback", role="parent",
                                 answers={"convenient": "yes"}, source="meeting_qr"))  # fmt: skip
        _db.session.commit()
    paper = add_invitation(app, review_id, "carer", stage="feedback")
    _answer(app, paper, {"convenient": "no"}, source="paper")
    client = app.test_client()
    sign_in(client, iro_id)
    html = client.get(f"/admin/reviews/{review_id}/digest").get_data(as_text=True)
    assert "Meeting QR code (anonymous)" in html and "Keyed in from paper" in html
    assert "Were the time and place convenient for you?" in html


def test_alerts_list_shows_open_then_acknowledged_by_whom_and_when(
    app, iro_id, make_staff, sign_in
):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, "child")
    alert_id = add_alert(app, review_id, invitation_id)
    client = app.test_client()
    sign_in(client, iro_id)
    listing = client.get("/admin/alerts").get_data(as_text=True)
    assert f"/admin/alerts/{alert_id}" in listing and ">open<" in listing
    token = csrf_token(client, f"/admin/alerts/{alert_id}")
    client.post(
        f"/admin/alerts/{alert_id}/acknowledge", data={"csrf_token": token, "note": "Rang carer"}
    )
    alert = get(app, SafeguardingAlert, alert_id)
    assert alert.acknowledged_by_id == iro_id and alert.acknowledged_at is not None
    assert client.get("/admin/alerts").get_data(as_text=True).count("/admin/alerts/") == 0
    done = client.get("/admin/alerts?status=acknowledged").get_data(as_text=True)
    assert "by Priya IRO" in done
    again = client.post(f"/admin/alerts/{alert_id}/acknowledge",
                        data={"csrf_token": token}, follow_redirects=True)  # fmt: skip
    assert "already acknowledged" in again.get_data(as_text=True)
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="alert_acknowledged").count() == 1


def test_an_acknowledgement_note_with_a_nul_is_refused_and_nothing_stored(app, iro_id, sign_in):
    review_id = make_review(app, iro_id)
    alert_id = add_alert(app, review_id, add_invitation(app, review_id, "child"))
    client = app.test_client()
    sign_in(client, iro_id)
    token = csrf_token(client, f"/admin/alerts/{alert_id}")
    page = client.post(f"/admin/alerts/{alert_id}/acknowledge",
                       data={"csrf_token": token, "note": "Rang\x00 carer"})  # fmt: skip
    assert page.status_code == 400
    assert "Remove the hidden characters" in page.get_data(as_text=True)
    assert get(app, SafeguardingAlert, alert_id).acknowledged_at is None
    ok = client.post(f"/admin/alerts/{alert_id}/acknowledge",
                     data={"csrf_token": token, "note": "Rang carer\r\nThen visited"})  # fmt: skip
    assert ok.status_code == 302
    assert get(app, SafeguardingAlert, alert_id).note == "Rang carer\r\nThen visited"


def test_another_iro_cannot_see_the_alert(app, iro_id, make_staff, sign_in):
    review_id = make_review(app, iro_id)
    alert_id = add_alert(app, review_id, add_invitation(app, review_id, "child"))
    other = app.test_client()
    sign_in(other, make_staff("iro"))
    assert other.get(f"/admin/alerts/{alert_id}").status_code == 404
    assert f"/admin/alerts/{alert_id}" not in other.get("/admin/alerts").get_data(as_text=True)


def test_managers_filter_the_audit_log(app, iro_id, make_staff, sign_in):
    review_id = make_review(app, iro_id)
    iro = app.test_client()
    sign_in(iro, iro_id)
    iro.get(f"/admin/reviews/{review_id}/digest")
    manager = app.test_client()
    sign_in(manager, make_staff("manager"))
    everything = manager.get("/admin/audit").get_data(as_text=True)
    assert "answers_viewed" in everything and "sign_in" in everything
    only = manager.get(f"/admin/audit?action=answers_viewed&actor={iro_id}").get_data(as_text=True)
    assert "<td>answers_viewed</td>" in only and "<td>sign_in</td>" not in only
    today = dt.date.today().isoformat()
    assert "answers_viewed" in manager.get(f"/admin/audit?from={today}&to={today}").get_data(
        as_text=True
    )
    assert "No events match" in manager.get("/admin/audit?from=2000-01-01&to=2000-01-02").get_data(
        as_text=True
    )
    # A filter that cannot be read is refused with the reason, not silently dropped.
    refused = manager.get("/admin/audit?from=nonsense")
    assert refused.status_code == 400 and "from" in refused.get_data(as_text=True)


def test_every_staff_action_is_audited_without_personal_data(app, iro_id, make_staff, sign_in):
    review_id = make_review(app, iro_id, review_date=working_days_ahead(8))
    invitation_id = add_invitation(app, review_id, "parent", email="secret.person@example.org")
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    token = csrf_token(admin, f"/admin/reviews/{review_id}")
    admin.post(f"/admin/reviews/{review_id}/send-now", data={"csrf_token": token})
    admin.post(f"/admin/invitations/{invitation_id}/extend", data={"csrf_token": token})
    admin.get(f"/admin/reviews/{review_id}/digest")
    with app.app_context():
        events = _db.session.query(AuditEvent).all()
        actions = {event.action for event in events}
        assert {"sign_in", "invitation_sent", "invitation_extended", "answers_viewed"} <= actions
        for event in events:
            assert "secret.person" not in str(event.detail) and "Maya" not in str(event.detail)


def test_the_home_page_shows_the_iros_open_alerts_and_not_anyone_elses(
    app, iro_id, make_staff, sign_in
):
    review_id = make_review(app, iro_id)
    add_alert(app, review_id, add_invitation(app, review_id, "child"))
    mine = app.test_client()
    sign_in(mine, iro_id)
    home = mine.get("/admin/").get_data(as_text=True)
    assert "1 open safeguarding alert" in home and 'href="/admin/alerts"' in home
    other = app.test_client()
    sign_in(other, make_staff("iro", email="other@example.org"))
    assert "open safeguarding alert" not in other.get("/admin/").get_data(as_text=True)
