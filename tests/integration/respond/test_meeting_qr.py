"""Meeting QR codes: each scan starts a fresh anonymous feedback form for the role picked."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.models import Invitation, MeetingQR, Response, Review, utcnow
from portal.rules.meeting_qr import create_meeting_qr
from tests.respond_support import csrf_from, make_review, post_page


def new_qr(app, kind="cared_for", **kwargs):
    with app.app_context():
        review = make_review(kind=kind)
        raw = create_meeting_qr(review, **kwargs)
        db.session.commit()
        return raw, review.id


def scan_and_pick(client, raw, role):
    assert client.get(f"/m/{raw}").location == "/m/role"
    token = csrf_from(client.get("/m/role").get_data(as_text=True))
    return client.post("/m/role", data={"csrf_token": token, "role": role})


def answer_and_send(client, data):
    token = csrf_from(client.get("/r/start").get_data(as_text=True))
    client.post("/r/start", data={"csrf_token": token})
    assert post_page(client, 1, data).status_code == 302
    token = csrf_from(client.get("/r/check").get_data(as_text=True))
    return client.post("/r/check", data={"csrf_token": token})


@pytest.mark.parametrize(
    ("role", "form_key", "invitation_role", "data"),
    [
        ("young_person", "child_feedback", "child", {"sent_form": "not_sure"}),
        ("parent", "parent_feedback", "parent", {"received_form": "no"}),
        ("carer", "carer_feedback", "carer", {"received_form": "no"}),
        ("professional", "meeting_feedback", "health", {"chairing": "good"}),
    ],
)
def test_each_role_gets_its_feedback_form_and_an_anonymous_uncounted_invitation(
    app, client, role, form_key, invitation_role, data
):
    raw, review_id = new_qr(app)
    assert scan_and_pick(client, raw, role).location == "/r/start"
    assert answer_and_send(client, data).location == "/r/sent"
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        response = db.session.scalar(db.select(Response))
        assert invitation.meeting_qr_id is not None and invitation.sent_at is None
        assert (invitation.channel, invitation.stage, invitation.form_key) == (
            "qr",
            "feedback",
            form_key,
        )
        assert invitation.role == invitation_role and invitation.token_hash is None
        assert response.source == "meeting_qr" and response.answers == data
        assert response.role == ("professional" if role == "professional" else invitation_role)
        assert response.review_id == review_id


def test_young_person_at_a_pathway_plan_review_is_a_care_leaver(app, client):
    raw, _ = new_qr(app, kind="pathway_plan")
    scan_and_pick(client, raw, "young_person")
    with app.app_context():
        invitation = db.session.scalar(db.select(Invitation))
        assert (invitation.role, invitation.form_key) == (
            "care_leaver",
            "care_leaver_feedback_attended",
        )


def test_each_scan_starts_a_fresh_response(app, client):
    raw, _ = new_qr(app)
    scan_and_pick(client, raw, "parent")
    answer_and_send(client, {"received_form": "no"})
    second = app.test_client()
    scan_and_pick(second, raw, "parent")
    answer_and_send(second, {"received_form": "no"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 2
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 2


@pytest.mark.parametrize(
    ("change", "status", "title"),
    [
        ({"expires_at": utcnow() - dt.timedelta(minutes=1)}, 410, "has expired"),
        ({"revoked_at": utcnow()}, 410, "no longer in use"),
    ],
)
def test_expired_or_revoked_codes_are_refused(app, client, change, status, title):
    raw, _ = new_qr(app)
    with app.app_context():
        qr = db.session.scalar(db.select(MeetingQR))
        for name, value in change.items():
            setattr(qr, name, value)
        db.session.commit()
    page = client.get(f"/m/{raw}")
    assert page.status_code == status and title in page.get_data(as_text=True)


def test_a_code_revoked_mid_form_stops_the_submission(app, client):
    raw, _ = new_qr(app)
    scan_and_pick(client, raw, "parent")
    token = csrf_from(client.get("/r/start").get_data(as_text=True))
    with app.app_context():
        db.session.scalar(db.select(MeetingQR)).revoked_at = utcnow()
        db.session.commit()
    assert client.post("/r/check", data={"csrf_token": token}).status_code == 410
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_a_code_stops_after_its_maximum_number_of_responses(app, client):
    raw, _ = new_qr(app, max_responses=1)
    scan_and_pick(client, raw, "carer")
    answer_and_send(client, {"received_form": "no"})
    page = app.test_client().get(f"/m/{raw}")
    assert page.status_code == 410 and "as many times as it allows" in page.get_data(as_text=True)


def test_unknown_and_malformed_codes_get_a_kind_page(client):
    assert client.get("/m/nonsense").status_code == 404
    assert client.get("/m/" + "A" * 43).status_code == 404
    page = client.get("/m/role")
    assert page.status_code == 404 and "cannot find this QR code" in page.get_data(as_text=True)


def test_a_role_that_is_not_offered_is_refused(app, client):
    raw, _ = new_qr(app)
    client.get(f"/m/{raw}")
    token = csrf_from(client.get("/m/role").get_data(as_text=True))
    page = client.post("/m/role", data={"csrf_token": token, "role": "headteacher"})
    assert page.status_code == 400 and "Choose who you are" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_scanning_is_rate_limited(app, client):
    raw, _ = new_qr(app)
    statuses = [client.get(f"/m/{raw}").status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429


def test_meeting_qr_review_is_the_right_one(app):
    with app.app_context():
        review = make_review()
        raw = create_meeting_qr(review)
        db.session.commit()
        qr = db.session.scalar(db.select(MeetingQR))
        assert isinstance(db.session.get(Review, qr.review_id), Review)
        assert raw not in qr.token_hash
