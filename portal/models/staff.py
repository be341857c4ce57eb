"""The IRO team: staff accounts, how each role may act, sign-in, settings and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import secret_box
from portal.extensions import db
from portal.models.columns import Timestamp, one_of, utcnow

STAFF_ROLES = ("admin", "iro", "manager")
# What each staff role may do. The admin routes' `staff_required` and the templates (through
# StaffUser's `can_*` properties) both read these, so a button and its route cannot disagree.
# Act on the reviews they see: invitations, links, letters, QR codes, alerts (managers only read).
WRITE_ROLES = ("admin", "iro")
# Business support's work: children, review details, users, paper forms, report drill-down.
ADMIN_ROLES = ("admin",)
AUDIT_ROLES = ("admin", "manager")  # read the audit log
WHOLE_TEAM_ROLES = ("admin", "manager")  # see every review; an IRO sees the reviews they chair


def _role_in(roles: tuple[str, ...]) -> property:
    """A StaffUser property: whether their role is one of `roles`."""
    return property(lambda user: user.role in roles)


class StaffUser(db.Model):
    """A member of the IRO team: business support (admin), an IRO, or a manager."""

    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(one_of("role", STAFF_ROLES), name="ck_staff_user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # A Fernet token (portal.crypto.secret_box), never the secret itself; see `totp_secret`.
    totp_secret_encrypted: Mapped[str | None] = mapped_column("totp_secret", String(255))
    # The last TOTP time step accepted: each step's code signs in once.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Set by an admin's reset (lost phone): the next sign-in must set up an authenticator.
    totp_setup_required: Mapped[bool] = mapped_column(default=False, server_default=false())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # Bumped on password change or deactivation so every existing session ends at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_authenticator(self) -> bool:
        return self.totp_secret_encrypted is not None

    @property
    def totp_secret(self) -> str | None:
        """The authenticator's secret, decrypted (None if unset or unreadable with our key)."""
        stored = self.totp_secret_encrypted
        return None if stored is None else secret_box.decrypt(stored)

    @totp_secret.setter
    def totp_secret(self, secret: str | None) -> None:
        self.totp_secret_encrypted = None if secret is None else secret_box.encrypt(secret)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    # What they may do, read from their role (the *_ROLES above say what each one means).
    can_write = _role_in(WRITE_ROLES)
    can_administer = _role_in(ADMIN_ROLES)
    can_read_audit = _role_in(AUDIT_ROLES)
    sees_everything = _role_in(WHOLE_TEAM_ROLES)


class PasswordReset(db.Model):
    """A single-use, expiring password reset link (only its hash is stored)."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    used_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)

    user: Mapped[StaffUser] = relationship()


class StaffSession(db.Model):
    """One signed-in browser: its cookie is worthless once this row is gone.

    The cookie carries a random id; only its SHA-256 is kept here. Signing out deletes the row,
    and a row not seen for STAFF_SESSION_MINUTES no longer signs anyone in (docs/adr/0043).
    """

    __tablename__ = "staff_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)


class Setting(db.Model):
    """Team-wide settings an admin can change (e.g. require a second factor for everyone)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEvent(db.Model):
    """Who did what to which record, when. Append only; `detail` never holds personal data."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[StaffUser | None] = relationship()
