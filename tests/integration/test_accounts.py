"""Staff accounts: lockout, second factor, password reset, user management, sessions ending."""

from __future__ import annotations

import logging
import re

import pyotp
import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, PasswordReset, StaffUser
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.integration.workspace import get, mail_part


def _try(client, email, password):
    token = csrf_token(client, "/auth/sign-in")
    return client.post(
        "/auth/sign-in", data={"csrf_token": token, "email": email, "password": password}
    )


def _actions(app):
    with app.app_context():
        return [e.action for e in _db.session.query(AuditEvent).order_by(AuditEvent.id)]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(app, client, make_staff):
    make_staff("iro", email="iro@example.org")
    for _attempt in range(5):
        assert _try(client, "iro@example.org", "wrong password").status_code == 400
    page = _try(client, "iro@example.org", TEST_PASSWORD)
    assert page.status_code == 400
    # The same answer as a wrong password (docs/adr/0042).
    assert "Enter a correct email address and password" in page.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302
    actions = _actions(app)
    assert actions.count("sign_in_failed") == 5
    assert "account_locked" in actions and "sign_in_refused_locked" in actions


def test_a_good_sign_in_resets_the_failure_count(app, client, make_staff):
    user_id = make_staff("iro", email="iro@example.org")
    for _attempt in range(3):
        _try(client, "iro@example.org", "wrong")
    assert _try(client, "iro@example.org", TEST_PASSWORD).status_code == 302
    assert get(app, StaffUser, user_id).failed_logins == 0


def test_many_tries_at_one_address_are_slowed_down(client, make_staff, caplog):
    caplog.set_level(logging.DEBUG)
    statuses = [_try(client, "nobody@example.org", "wrong").status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    # Flask-Limiter logs the limit's key when it is hit: the key must not be the address.
    assert "ratelimit" in caplog.text.lower()
    assert "nobody@example.org" not in caplog.text


def test_deactivating_a_leaver_ends_their_session_at_once(app, make_staff, sign_in):
    admin_id, leaver_id = make_staff("admin"), make_staff("iro")
    leaver = app.test_client()
    sign_in(leaver, leaver_id)
    assert leaver.get("/admin/").status_code == 200
    admin = app.test_client()
    sign_in(admin, admin_id)
    token = csrf_token(admin, f"/admin/users/{leaver_id}")
    response = admin.post(
        f"/admin/users/{leaver_id}",
        data={"csrf_token": token, "name": "Leaver", "role": "iro"},  # active unticked
    )
    assert response.status_code == 302
    assert leaver.get("/admin/").status_code == 302
    assert get(app, StaffUser, leaver_id).active is False
    assert "user_changed" in _actions(app)


def test_changing_someones_role_signs_them_out(app, make_staff, sign_in):
    admin_id, user_id = make_staff("admin"), make_staff("iro")
    user = app.test_client()
    sign_in(user, user_id)
    admin = app.test_client()
    sign_in(admin, admin_id)
    token = csrf_token(admin, f"/admin/users/{user_id}")
    admin.post(
        f"/admin/users/{user_id}",
        data={"csrf_token": token, "name": "X", "role": "manager", "active": "y"},
    )
    assert user.get("/admin/").status_code == 302
    assert get(app, StaffUser, user_id).role == "manager"


def test_an_admin_cannot_remove_their_own_admin_access(app, make_staff, sign_in):
    admin_id = make_staff("admin")
    admin = app.test_client()
    sign_in(admin, admin_id)
    token = csrf_token(admin, f"/admin/users/{admin_id}")
    page = admin.post(
        f"/admin/users/{admin_id}",
        data={"csrf_token": token, "name": "Me", "role": "iro", "active": "y"},
    )
    assert page.status_code == 400
    assert get(app, StaffUser, admin_id).role == "admin"


@pytest.fixture
def app_config(smtp_sink):
    return {"MAIL_URL": smtp_sink.url, "PORTAL_BASE_URL": "https://portal.example"}


def _link(message):
    body = mail_part(message)
    return re.search(r"https://portal\.example(/auth/reset/\S+)", body).group(1)


def test_adding_a_user_emails_them_a_single_use_link_to_set_a_password(
    app, make_staff, sign_in, smtp_sink
):
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    token = csrf_token(admin, "/admin/users/new")
    response = admin.post(
        "/admin/users/new",
        data={"csrf_token": token, "email": "New.Person@Example.org", "name": "New", "role": "iro"},
    )
    assert response.status_code == 302
    [message] = smtp_sink.messages
    assert message["To"] == "new.person@example.org"
    path = _link(message)
    newcomer = app.test_client()
    token = csrf_token(newcomer, path)
    password = "a long new password here"
    done = newcomer.post(
        path, data={"csrf_token": token, "password": password, "confirm": password}
    )
    assert done.status_code == 302
    assert newcomer.get(path).status_code == 404  # single use
    assert _try(newcomer, "new.person@example.org", password).status_code == 302
    assert {"user_created", "password_reset"} <= set(_actions(app))


def test_reset_request_says_the_same_for_unknown_addresses_and_sends_nothing(client, smtp_sink):
    token = csrf_token(client, "/auth/reset")
    page = client.post("/auth/reset", data={"csrf_token": token, "email": "nobody@example.org"})
    assert page.status_code == 200
    assert "If that address has an account" in page.get_data(as_text=True)
    assert smtp_sink.messages == []


def test_password_reset_ends_old_sessions_and_unlocks(app, client, make_staff, sign_in, smtp_sink):
    user_id = make_staff("iro", email="iro@example.org")
    old = app.test_client()
    sign_in(old, user_id)
    token = csrf_token(client, "/auth/reset")
    client.post("/auth/reset", data={"csrf_token": token, "email": "iro@example.org"})
    path = _link(smtp_sink.messages[0])
    token = csrf_token(client, path)
    short = client.post(path, data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    new = "another long password"
    client.post(path, data={"csrf_token": token, "password": new, "confirm": new})
    assert old.get("/admin/").status_code == 302
    with app.app_context():
        assert _db.session.query(PasswordReset).one().used_at is not None


def _sign_in_with_code(app, email, code):
    client = app.test_client()
    first = _try(client, email, TEST_PASSWORD)
    assert first.status_code == 302 and first.headers["Location"].endswith("/auth/two-factor")
    token = csrf_token(client, "/auth/two-factor")
    return client, client.post("/auth/two-factor", data={"csrf_token": token, "code": code})


def test_a_user_with_an_authenticator_needs_its_code_to_sign_in(app, make_staff):
    secret = pyotp.random_base32()
    make_staff("iro", email="iro@example.org", totp_secret=secret)
    client, wrong = _sign_in_with_code(app, "iro@example.org", "000000")
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    client, right = _sign_in_with_code(app, "iro@example.org", pyotp.TOTP(secret).now())
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_when_everyone_must_use_a_second_factor_sign_in_asks_to_set_one_up(
    app, make_staff, sign_in
):
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    token = csrf_token(admin, "/admin/users")
    admin.post("/admin/settings/security", data={"csrf_token": token, "require_totp": "y"})
    user_id = make_staff("iro", email="iro@example.org")
    client = app.test_client()
    first = _try(client, "iro@example.org", TEST_PASSWORD)
    assert first.headers["Location"].endswith("/auth/two-factor/setup")
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert "<svg" in page
    secret = re.search(r'class="secret-key">([A-Z2-7]+)<', page).group(1)
    token = csrf_token(client, "/auth/two-factor/setup")
    done = client.post(
        "/auth/two-factor/setup", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    )
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200
    with app.app_context():  # stored encrypted: reading it needs the app's key
        assert _db.session.get(StaffUser, user_id).totp_secret == secret
    assert {"setting_changed", "second_factor_set_up", "sign_in"} <= set(_actions(app))


def test_sessions_are_permanent_and_time_out(app, client, make_staff, sign_in):
    sign_in(client, make_staff("iro"))
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert app.permanent_session_lifetime.total_seconds() == 30 * 60
