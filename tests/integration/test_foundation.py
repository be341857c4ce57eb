"""The site starts, speaks English and Arabic, is secure by default and fails kindly."""

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from portal.models import AuditEvent, Child, Invitation, Response, Review, StaffUser
from portal.web.security import SECURITY_HEADERS
from tests.conftest import csrf_token


def test_landing_page_explains_the_site_in_english(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Have your say about your review" in html


def test_landing_page_in_arabic_is_right_to_left(client):
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_chosen_language_sticks_for_the_next_page(client):
    client.get("/?lang=ps")
    html = client.get("/").get_data(as_text=True)
    assert 'lang="ps" dir="rtl"' in html


def test_language_switcher_keeps_the_user_on_the_same_page(client):
    html = client.get("/auth/sign-in").get_data(as_text=True)
    assert 'href="/auth/sign-in?lang=ar"' in html


def test_unknown_language_is_ignored(client):
    html = client.get("/?lang=xx").get_data(as_text=True)
    assert 'lang="en"' in html


@pytest.mark.parametrize("path", ["/", "/auth/sign-in", "/no-such-page", "/static/css/portal.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "http" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_pages_are_not_cached_by_shared_phones(client):
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_unknown_url_gives_the_friendly_404(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "Page not found" in page.get_data(as_text=True)


def test_wrong_method_gives_the_friendly_405(client):
    page = client.delete("/")
    assert page.status_code == 405
    assert "That did not work" in page.get_data(as_text=True)


def test_post_without_csrf_token_is_refused_and_changes_nothing(client, app, make_staff):
    user_id = make_staff("admin", email="admin@example.org")
    response = client.post(
        "/auth/sign-in",
        data={"email": "admin@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 400
    assert "Your page timed out" in response.get_data(as_text=True)
    with app.app_context():
        from portal.extensions import db

        assert db.session.get(StaffUser, user_id).last_login_at is None
        assert db.session.query(AuditEvent).count() == 0


def test_tampered_csrf_token_is_refused(client, make_staff):
    make_staff("admin", email="admin@example.org")
    token = csrf_token(client, "/auth/sign-in")
    response = client.post(
        "/auth/sign-in",
        data={"csrf_token": token[:-4] + "AAAA", "email": "admin@example.org", "password": "x"},
    )
    assert response.status_code == 400


def test_staff_can_sign_in_and_the_sign_in_is_audited(client, app, make_staff, sign_in):
    user_id = make_staff("iro")
    sign_in(client, user_id)
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        from portal.extensions import db

        actions = [e.action for e in db.session.query(AuditEvent).all()]
        assert actions == ["sign_in"]


def test_wrong_password_is_refused_with_an_error_summary(client, make_staff):
    make_staff("admin", email="admin@example.org")
    token = csrf_token(client, "/auth/sign-in")
    page = client.post(
        "/auth/sign-in",
        data={"csrf_token": token, "email": "admin@example.org", "password": "nope"},
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html and "Enter a correct email address and password" in html


def test_admin_pages_need_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/sign-in")


def test_healthz_reports_database_ok(client):
    answer = client.get("/healthz").get_json()
    assert answer["status"] == "ok" and answer["database"] == "ok"


def _invitation(db):
    child = Child(case_ref="C1", first_name="Maya", date_of_birth=dt.date(2019, 1, 1))
    review = Review(child=child, kind="cared_for", review_date=dt.date(2026, 12, 1))
    invitation = Invitation(
        review=review,
        review_date=review.review_date,
        review_kind="cared_for",
        stage="consultation",
        role="child",
        form_key="child_consultation",
    )
    db.session.add_all([child, review, invitation])
    db.session.commit()
    return invitation


def test_database_refuses_a_second_response_for_one_invitation(db):
    invitation = _invitation(db)
    db.session.add(Response(invitation_id=invitation.id, form_key="child_consultation", answers={}))
    db.session.commit()
    db.session.add(Response(invitation_id=invitation.id, form_key="child_consultation", answers={}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert db.session.query(Response).count() == 1


def test_timestamps_come_back_timezone_aware(db):
    invitation = _invitation(db)
    sent = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
    invitation.sent_at = sent
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).sent_at == sent


def test_check_constraints_reject_unknown_roles(db):
    invitation = _invitation(db)
    invitation.role = "neighbour"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
