"""Staff sign-in and sessions, attacked as the hostile test did."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from portal.crypto.secret_box import derive_key
from portal.extensions import db as _db
from portal.models import AuditEvent, StaffSession, StaffUser, utcnow
from portal.staff import users
from portal.web import auth as auth_module
from tests.conftest import TEST_PASSWORD, csrf_token

EMAIL = "iro@example.org"


def _try(client, email, password, query=""):
    token = csrf_token(client, "/auth/sign-in")
    return client.post(
        "/auth/sign-in" + query, data={"csrf_token": token, "email": email, "password": password}
    )


def _actions(app):
    with app.app_context():
        return [e.action for e in _db.session.query(AuditEvent).order_by(AuditEvent.id)]


def _user(app, user_id):
    with app.app_context():
        user = _db.session.get(StaffUser, user_id)
        _db.session.expunge(user)
        return user


def _secret(app, user_id):
    with app.app_context():
        return _db.session.get(StaffUser, user_id).totp_secret


def _stored_secret(app, user_id):
    with app.app_context():
        return _db.session.execute(
            sa.text("SELECT totp_secret FROM staff_user WHERE id = :id"), {"id": user_id}
        ).scalar_one()


def _code(secret, offset=0):
    totp = pyotp.TOTP(secret)
    return totp.at(dt.datetime.now(dt.UTC), counter_offset=offset)


# --- a half-finished sign-in never reaches set-up when an authenticator exists ---


def test_after_the_password_step_set_up_never_shows_or_takes_a_new_secret(app, make_staff):
    secret = pyotp.random_base32()
    user_id = make_staff("iro", email=EMAIL, totp_secret=secret)
    attacker = app.test_client()
    first = _try(attacker, EMAIL, TEST_PASSWORD)
    assert first.headers["Location"].endswith("/auth/two-factor")
    page = attacker.get("/auth/two-factor/setup")
    assert page.status_code == 302 and page.headers["Location"].endswith("/auth/two-factor")
    assert "secret-key" not in page.get_data(as_text=True)
    theirs = pyotp.random_base32()
    with attacker.session_transaction() as session:
        session["totp_setup_secret"] = theirs
    token = csrf_token(attacker, "/auth/sign-in")
    taken = attacker.post(
        "/auth/two-factor/setup", data={"csrf_token": token, "code": _code(theirs)}
    )
    assert taken.status_code == 302 and taken.headers["Location"].endswith("/auth/two-factor")
    assert attacker.get("/admin/").status_code == 302
    assert _secret(app, user_id) == secret
    assert "second_factor_set_up" not in _actions(app)


def _signed_in_with_code(app, secret, code=None):
    client = app.test_client()
    _try(client, EMAIL, TEST_PASSWORD)
    token = csrf_token(client, "/auth/two-factor")
    done = client.post(
        "/auth/two-factor", data={"csrf_token": token, "code": code or _code(secret)}
    )
    assert done.status_code == 302, done.get_data(as_text=True)[:300]
    return client


def _new_secret_on(client):
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    return re.search(r'class="secret-key">([A-Z2-7]+)<', page).group(1)


def test_replacing_an_authenticator_needs_a_code_from_the_current_one(app, make_staff):
    secret = pyotp.random_base32()
    user_id = make_staff("iro", email=EMAIL, totp_secret=secret)
    client = _signed_in_with_code(app, secret)
    new = _new_secret_on(client)
    token = csrf_token(client, "/auth/two-factor/setup")
    refused = client.post("/auth/two-factor/setup", data={"csrf_token": token, "code": _code(new)})
    assert refused.status_code == 400
    assert _secret(app, user_id) == secret
    wrong = client.post(
        "/auth/two-factor/setup",
        data={"csrf_token": token, "code": _code(new), "current_code": "000000"},
    )
    assert wrong.status_code == 400 and _secret(app, user_id) == secret
    replaced = client.post(
        "/auth/two-factor/setup",
        data={"csrf_token": token, "code": _code(new), "current_code": _code(secret, 1)},
    )
    assert replaced.status_code == 302
    assert _secret(app, user_id) == new
    assert "second_factor_replaced" in _actions(app)


def test_an_admin_reset_is_audited_and_forces_set_up_at_next_sign_in(app, make_staff, sign_in):
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    user_id = make_staff("iro", email=EMAIL, totp_secret=pyotp.random_base32())
    token = csrf_token(admin, f"/admin/users/{user_id}")
    admin.post(f"/admin/users/{user_id}/reset-second-factor", data={"csrf_token": token})
    assert "second_factor_reset" in _actions(app)
    client = app.test_client()
    first = _try(client, EMAIL, TEST_PASSWORD)
    assert first.headers["Location"].endswith("/auth/two-factor/setup")
    assert client.get("/admin/").status_code == 302
    new = _new_secret_on(client)
    token = csrf_token(client, "/auth/two-factor/setup")
    done = client.post("/auth/two-factor/setup", data={"csrf_token": token, "code": _code(new)})
    assert done.status_code == 302 and client.get("/admin/").status_code == 200
    again = app.test_client()
    assert _try(again, EMAIL, TEST_PASSWORD).headers["Location"].endswith("/auth/two-factor")


# --- each time step is accepted once per account ---


def test_a_code_is_accepted_once(app, make_staff):
    secret = pyotp.random_base32()
    make_staff("iro", email=EMAIL, totp_secret=secret)
    # The very same code is replayed: a code made afresh could fall in the next time step.
    code = _code(secret)
    _signed_in_with_code(app, secret, code)
    replay = app.test_client()
    _try(replay, EMAIL, TEST_PASSWORD)
    token = csrf_token(replay, "/auth/two-factor")
    again = replay.post("/auth/two-factor", data={"csrf_token": token, "code": code})
    assert again.status_code == 400
    assert replay.get("/admin/").status_code == 302
    earlier = replay.post("/auth/two-factor", data={"csrf_token": token, "code": _code(secret, -1)})
    assert earlier.status_code == 400  # an older step than the last accepted one


def test_the_set_up_code_cannot_be_used_again_to_sign_in(app, make_staff, sign_in):
    user_id = make_staff("iro", email=EMAIL)
    client = app.test_client()
    sign_in(client, user_id)
    new = _new_secret_on(client)
    token = csrf_token(client, "/auth/two-factor/setup")
    code = _code(new)
    client.post("/auth/two-factor/setup", data={"csrf_token": token, "code": code})
    other = app.test_client()
    _try(other, EMAIL, TEST_PASSWORD)
    token = csrf_token(other, "/auth/two-factor")
    assert (
        other.post("/auth/two-factor", data={"csrf_token": token, "code": code}).status_code == 400
    )


# --- TOTP secrets are encrypted at rest ---


def test_totp_secrets_are_stored_encrypted_with_a_key_derived_from_secret_key(app, make_staff):
    secret = pyotp.random_base32()
    user_id = make_staff("iro", email=EMAIL, totp_secret=secret)
    stored = _stored_secret(app, user_id)
    assert secret not in stored
    key = derive_key(app.config["SECRET_KEY"])
    assert Fernet(key).decrypt(stored.encode()).decode() == secret


@pytest.fixture
def encryption_key(app_config):
    key = Fernet.generate_key().decode()
    app_config["TOTP_ENCRYPTION_KEY"] = key
    return key


def test_totp_encryption_key_setting_is_used_when_set(encryption_key, app, make_staff):
    secret = pyotp.random_base32()
    user_id = make_staff("iro", email=EMAIL, totp_secret=secret)
    assert Fernet(encryption_key).decrypt(_stored_secret(app, user_id).encode()).decode() == secret
    _signed_in_with_code(app, secret)


# --- signing out and the idle timeout end the session on the server ---


def _replay(app, cookie):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/admin/")


def test_a_cookie_saved_before_signing_out_no_longer_opens_admin(app, client, make_staff, sign_in):
    sign_in(client, make_staff("iro"))
    saved = client.get_cookie("session").value
    assert _replay(app, saved).status_code == 200
    token = csrf_token(client, "/admin/")
    assert client.post("/auth/sign-out", data={"csrf_token": token}).status_code == 302
    replayed = _replay(app, saved)
    assert replayed.status_code == 302 and "/auth/sign-in" in replayed.headers["Location"]


def test_signing_out_on_one_device_keeps_the_others(app, make_staff, sign_in):
    user_id = make_staff("iro")
    laptop, desktop = app.test_client(), app.test_client()
    sign_in(laptop, user_id)
    sign_in(desktop, user_id)
    laptop.post("/auth/sign-out", data={"csrf_token": csrf_token(laptop, "/admin/")})
    assert laptop.get("/admin/").status_code == 302
    assert desktop.get("/admin/").status_code == 200


def test_an_idle_session_replayed_later_is_refused(app, client, make_staff, sign_in):
    sign_in(client, make_staff("iro"))
    saved = client.get_cookie("session").value
    idle = app.permanent_session_lifetime + dt.timedelta(minutes=1)
    with app.app_context():
        _db.session.execute(sa.update(StaffSession).values(last_seen_at=utcnow() - idle))
        _db.session.commit()
    replayed = _replay(app, saved)
    assert replayed.status_code == 302 and "/auth/sign-in" in replayed.headers["Location"]
    assert client.get("/admin/").status_code == 302


# --- `next` only ever leads to a same-site path ---

HOSTILE_NEXTS = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "/%00/evil.example",
    "/%20/evil.example",
    "%20//evil.example",
    "//evil.example",
    "///evil.example",
    "%2F%2Fevil.example",
    "/%5C/evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "https://evil.example/",
    "https:/evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/%E2%80%8B/evil.example",
    "/%EF%BC%8F%EF%BC%8Fevil.example",
    "/%2F/evil.example",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXTS)
def test_a_hostile_next_goes_to_the_dashboard(client, make_staff, hostile):
    make_staff("iro", email=EMAIL)
    response = _try(client, EMAIL, TEST_PASSWORD, query=f"?next={hostile}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_same_site_next_is_followed(client, make_staff):
    make_staff("iro", email=EMAIL)
    response = _try(client, EMAIL, TEST_PASSWORD, query="?next=/admin/children%3Fq%3Dab")
    assert response.headers["Location"] == "/admin/children?q=ab"


# --- a locked account, an unknown address and a wrong password look the same ---


def _normalised(page, email):
    html = page.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"([^>]*) value="[^"]+"', r'name="csrf_token"\1', html)


def test_locked_unknown_and_wrong_password_get_the_same_answer_and_the_same_work(
    app, make_staff, monkeypatch
):
    calls = []

    def counting(stored, password):
        calls.append(stored is not None)
        return real(stored, password)

    real = auth_module.verify_password
    monkeypatch.setattr(auth_module, "verify_password", counting)
    locked_until = utcnow() + dt.timedelta(minutes=10)
    make_staff("iro", email="locked@example.org", locked_until=locked_until)
    make_staff("iro", email="known@example.org")
    make_staff("iro", email="gone@example.org", active=False)
    pages = {}
    for email, password in [
        ("locked@example.org", TEST_PASSWORD),  # even the right password
        ("nobody@example.org", "wrong password"),
        ("known@example.org", "wrong password"),
        ("gone@example.org", TEST_PASSWORD),
    ]:
        calls.clear()
        page = _try(app.test_client(), email, password)
        assert page.status_code == 400
        assert len(calls) == 1, email  # one full argon2 verification each time
        pages[email] = _normalised(page, email)
    assert len(set(pages.values())) == 1
    assert "Enter a correct email address and password" in pages["nobody@example.org"]


# --- weak passwords are refused wherever a password is set ---


def _reset_path(app, user_id):
    with app.app_context():
        token = users.start_reset(_db.session.get(StaffUser, user_id))
        _db.session.commit()
    return f"/auth/reset/{token}"


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("aaaaaaaaaaaaaaaa", "Repeats like"),
        ("password1234", "very common password"),
        ("iro@example.org!", "contains your name or email address"),
    ],
)
def test_a_guessable_password_is_refused_with_the_reason(app, client, make_staff, weak, reason):
    user_id = make_staff("iro", email=EMAIL)
    before = _user(app, user_id).password_hash
    path = _reset_path(app, user_id)
    token = csrf_token(client, path)
    page = client.post(path, data={"csrf_token": token, "password": weak, "confirm": weak})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert reason in html and "There is a problem" in html
    assert _user(app, user_id).password_hash == before


def test_the_cli_refuses_a_guessable_password(runner, app):
    result = runner.invoke(
        args=["users", "create", "--email", "a@example.org", "--role", "admin"],
        input="aaaaaaaaaaaaaaaa\naaaaaaaaaaaaaaaa\n",
    )
    assert result.exit_code != 0 and "Repeats like" in result.output
    with app.app_context():
        assert _db.session.query(StaffUser).count() == 0


def test_a_session_in_constant_use_still_ends_after_the_maximum_length(
    app, client, make_staff, sign_in
):
    """A stolen cookie kept busy must not live for ever: sessions have a hard maximum too."""
    sign_in(client, make_staff("iro"))
    too_old = dt.timedelta(hours=app.config["STAFF_SESSION_MAX_HOURS"], minutes=1)
    with app.app_context():
        _db.session.execute(
            sa.update(StaffSession).values(created_at=utcnow() - too_old, last_seen_at=utcnow())
        )
        _db.session.commit()
    page = client.get("/admin/")
    assert page.status_code == 302 and "/auth/sign-in" in page.headers["Location"]


def test_purge_deletes_sessions_nobody_can_use_again(app, runner, make_staff, sign_in):
    live, idle = app.test_client(), app.test_client()
    sign_in(live, make_staff("iro", email="live@example.org"))
    sign_in(idle, make_staff("iro", email="idle@example.org"))
    long_ago = app.permanent_session_lifetime + dt.timedelta(minutes=1)
    with app.app_context():
        idle_user = _db.session.execute(
            sa.select(StaffUser.id).where(StaffUser.email == "idle@example.org")
        ).scalar_one()
        _db.session.execute(
            sa.update(StaffSession)
            .where(StaffSession.user_id == idle_user)
            .values(last_seen_at=utcnow() - long_ago)
        )
        _db.session.commit()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "staff_sessions 1" in result.output, result.output
    assert live.get("/admin/").status_code == 200
    with app.app_context():
        assert (
            _db.session.execute(sa.select(sa.func.count()).select_from(StaffSession)).scalar() == 1
        )
