"""Staff accounts: lockout after repeated failures, password reset links, second factor (TOTP),
and the changes an admin makes (create, change role, deactivate).
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
from sqlalchemy import or_, update

from portal.crypto.passwords import hash_password
from portal.crypto.tokens import hash_token, new_token
from portal.extensions import db
from portal.models import PasswordReset, Setting, StaffUser, utcnow
from portal.staff import audit
from portal.staff import sessions as staff_sessions

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
RESET_MINUTES = 60
REQUIRE_TOTP = "require_totp"
TOTP_ISSUER = "Review voice"


def find_by_email(email: str) -> StaffUser | None:
    """The account with this email address (case-insensitive), if any."""
    return db.session.execute(
        db.select(StaffUser).where(StaffUser.email == email.strip().lower())
    ).scalar_one_or_none()


def is_locked(user: StaffUser, now: dt.datetime | None = None) -> bool:
    """True while an account is locked after too many failed sign-ins."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def register_failure(user: StaffUser, now: dt.datetime | None = None) -> bool:
    """Count a failed sign-in; lock the account after MAX_FAILED_LOGINS. True if now locked."""
    now = now or utcnow()
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(failed_logins=StaffUser.failed_logins + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        user.failed_logins = 0
        audit.record("account_locked", user, actor=None, minutes=LOCK_MINUTES)
        return True
    return False


def register_success(user: StaffUser) -> None:
    """Reset the failure counter after a good sign-in."""
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()


def end_sessions(user: StaffUser) -> None:
    """Sign the user out everywhere at once (their session ids carry the version)."""
    user.session_version = (user.session_version or 1) + 1
    staff_sessions.end_all(user)


# --- password reset ---


def start_reset(user: StaffUser) -> str:
    """A single-use reset token for `user` (only its hash is stored), valid for an hour."""
    token = new_token()
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=hash_token(token),
            expires_at=utcnow() + dt.timedelta(minutes=RESET_MINUTES),
        )
    )
    audit.record("password_reset_requested", user, actor=None)
    return token


def valid_reset(token: str) -> PasswordReset | None:
    """The unused, unexpired reset for a token, or None."""
    reset = db.session.execute(
        db.select(PasswordReset).where(PasswordReset.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    if not reset.user.active:
        return None
    return reset


def complete_reset(reset: PasswordReset, password: str) -> bool:
    """Use a reset once (atomically) to set a new password; ends every existing session."""
    used = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not used:
        return False
    user = reset.user
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    end_sessions(user)
    audit.record("password_reset", user, actor=user)
    return True


# --- second factor ---


def needs_second_step(user: StaffUser) -> bool:
    """After the password: must this user give a code, or set up an authenticator first?"""
    return user.has_authenticator or user.totp_setup_required or totp_required_for_everyone()


def totp_required_for_everyone() -> bool:
    """The team setting: must everyone use a second factor?"""
    setting = db.session.get(Setting, REQUIRE_TOTP)
    return bool(setting and setting.value)


def set_totp_required(required: bool) -> None:
    """Change the team setting (audited)."""
    setting = db.session.get(Setting, REQUIRE_TOTP)
    if setting is None:
        db.session.add(Setting(key=REQUIRE_TOTP, value=required))
    else:
        setting.value = required
    audit.record("setting_changed", None, key=REQUIRE_TOTP, value=required)


def new_totp_secret() -> str:
    """A fresh base32 secret for an authenticator app."""
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from a QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def matching_step(secret: str | None, code: str) -> int | None:
    """The time step `code` belongs to: now, or one step either side for clock drift."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(dt.datetime.now(dt.UTC))
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def claim_step(user: StaffUser, step: int) -> bool:
    """Record `step` as used; False if it, or a later one, already was (atomic across workers)."""
    claimed = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(user, ["totp_last_step"])
    return bool(claimed)


def verify_totp(user: StaffUser, code: str) -> bool:
    """True for a current code from the user's authenticator not used before."""
    step = matching_step(user.totp_secret, code)
    return step is not None and claim_step(user, step)


def set_up_totp(user: StaffUser, secret: str, step: int) -> None:
    """Keep `secret` as the user's authenticator; `step` is the step its code matched."""
    replaced = user.has_authenticator
    user.totp_secret = secret
    user.totp_last_step = max(step, user.totp_last_step or step)
    user.totp_setup_required = False
    audit.record("second_factor_replaced" if replaced else "second_factor_set_up", user, actor=user)


# --- admin changes ---


def create_user(email: str, name: str, role: str) -> StaffUser:
    """A new account with no password yet: they set one through a reset link."""
    user = StaffUser(email=email.strip().lower(), name=name.strip(), role=role)
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, role=role)
    return user


def update_user(user: StaffUser, *, name: str, role: str, active: bool) -> list[str]:
    """Change name, role or active flag; a role change or deactivation ends their sessions."""
    changed = [
        field
        for field, value in (("name", name.strip()), ("role", role), ("active", active))
        if getattr(user, field) != value
    ]
    user.name, user.role, user.active = name.strip(), role, active
    if "role" in changed or ("active" in changed and not active):
        end_sessions(user)
    if changed:
        audit.record("user_changed", user, fields=changed, role=role, active=active)
    return changed


def reset_second_factor(user: StaffUser) -> None:
    """Remove a user's authenticator (lost phone); they must set one up at next sign-in."""
    user.totp_secret = None
    user.totp_setup_required = True
    end_sessions(user)
    audit.record("second_factor_reset", user)
