"""Business support keys in a paper form through the form's own pages."""

from __future__ import annotations

import datetime as dt

from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, Response, SafeguardingAlert
from tests.conftest import csrf_token
from tests.integration.workspace import add_invitation, get, make_review


def _setup(app, make_staff, sign_in):
    iro_id = make_staff("iro")
    admin_id = make_staff("admin")
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(
        app, review_id, "child", channel="post", email=None, language="ps"
    )
    client = app.test_client()
    sign_in(client, admin_id)
    return admin_id, review_id, invitation_id, client


def test_paper_answers_are_validated_like_online_and_nothing_is_half_saved(
    app, make_staff, sign_in
):
    _admin, _review, invitation_id, client = _setup(app, make_staff, sign_in)
    url = f"/admin/invitations/{invitation_id}/paper-answers"
    page = client.get(url).get_data(as_text=True)
    assert "How do you feel about where you live?" in page and "Is anything worrying you?" in page
    token = csrf_token(client, url)
    bad = client.post(url, data={"csrf_token": token, "returned_on": "2999-01-01",
                                 "home_feeling": "maybe", "worries_topics": ["homework"]})  # fmt: skip
    assert bad.status_code == 400
    assert "There is a problem" in bad.get_data(as_text=True)
    with app.app_context():
        assert _db.session.query(Response).count() == 0
    assert get(app, Invitation, invitation_id).returned_at is None


def test_keyed_in_paper_answers_are_stored_once_as_paper_and_raise_alerts(app, make_staff, sign_in):
    admin_id, review_id, invitation_id, client = _setup(app, make_staff, sign_in)
    url = f"/admin/invitations/{invitation_id}/paper-answers"
    token = csrf_token(client, url)
    returned_on = dt.date.today() - dt.timedelta(days=2)
    response = client.post(
        url,
        data={"csrf_token": token, "returned_on": returned_on.isoformat(),
              "home_feeling": "not_safe", "worries": "Seeing my brother",
              "worries_topics": ["school", "family_time"], "helped_by": "with_an_adult"},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        stored = _db.session.query(Response).one()
        assert stored.source == "paper" and stored.entered_by_id == admin_id
        assert stored.answers == {"worries_topics": ["school", "family_time"],
                                  "worries": "Seeing my brother", "home_feeling": "not_safe"}  # fmt: skip
        assert stored.text_languages == {"worries": "ps"}
        assert stored.submitted_at.date() == returned_on
        assert (
            _db.session.query(SafeguardingAlert).filter_by(question_key="home_feeling").count() == 1
        )
        assert _db.session.query(AuditEvent).filter_by(action="paper_answers_keyed").count() == 1
    invitation = get(app, Invitation, invitation_id)
    assert (invitation.return_channel, invitation.returned_at.date()) == ("paper", returned_on)
    assert client.get(url).status_code == 409
    digest = client.get(f"/admin/reviews/{review_id}/digest").get_data(as_text=True)
    assert "Keyed in from paper" in digest and "Seeing my brother" in digest


def test_a_nul_in_keyed_in_free_text_is_refused_and_shown_back_without_it(app, make_staff, sign_in):
    _admin, _review, invitation_id, client = _setup(app, make_staff, sign_in)
    url = f"/admin/invitations/{invitation_id}/paper-answers"
    token = csrf_token(client, url)
    returned_on = dt.date.today().isoformat()
    bad = client.post(url, data={"csrf_token": token, "returned_on": returned_on,
                                 "home_feeling": "good", "worries": "Seeing my\x00 brother"})  # fmt: skip
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "hidden character" in html and "Seeing my brother" in html and "\x00" not in html
    with app.app_context():
        assert _db.session.query(Response).count() == 0
