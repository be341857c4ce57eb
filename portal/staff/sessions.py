"""Server-side staff sessions (docs/adr/0043).

The signed cookie alone cannot be taken back: a copy saved before signing out kept working. Each
sign-in now starts a row in `staff_session`; the cookie carries the row's random id, and the
user loader accepts the cookie only while that row exists, has been seen within
STAFF_SESSION_MINUTES and is younger than STAFF_SESSION_MAX_HOURS (however busy). Signing out deletes this browser's row only; a password reset, a role
change or a deactivation ends them all (with the session version, as before).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app, session
from sqlalchemy import delete

from portal.extensions import db
from portal.models import StaffSession, StaffUser, utcnow

SESSION_KEY = "staff_session"  # the Flask session key holding this browser's session id
# last_seen_at is written at most this often, so browsing costs a write a minute, not a request.
TOUCH_EVERY = dt.timedelta(seconds=60)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _idle_limit() -> dt.timedelta:
    return current_app.permanent_session_lifetime


def _max_age() -> dt.timedelta:
    return dt.timedelta(hours=int(current_app.config["STAFF_SESSION_MAX_HOURS"]))


def dead(now: dt.datetime) -> sa.ColumnElement[bool]:
    """Sessions that can never be used again: idle too long, or older than the maximum."""
    return sa.or_(
        StaffSession.last_seen_at < now - _idle_limit(),
        StaffSession.created_at < now - _max_age(),
    )


def start(user: StaffUser) -> None:
    """Open a server-side session for `user` and put its id in the (already cleared) cookie."""
    now = utcnow()
    # Housekeeping: this user's dead sessions can never be used again (`portal purge` clears
    # those of people who never sign in again).
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id, dead(now)))
    raw = secrets.token_urlsafe(32)
    db.session.add(StaffSession(id_hash=_hash(raw), user_id=user.id, last_seen_at=now))
    session[SESSION_KEY] = raw


def is_live(user: StaffUser) -> bool:
    """True if this request's cookie names a live session of `user`; keeps it alive."""
    raw = session.get(SESSION_KEY)
    row = db.session.get(StaffSession, _hash(raw)) if isinstance(raw, str) else None
    if row is None or row.user_id != user.id:
        return False
    now = utcnow()
    if row.last_seen_at < now - _idle_limit() or row.created_at < now - _max_age():
        return False
    if row.last_seen_at < now - TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()  # runs as the request's user is first loaded, before any change
    return True


def end_this() -> None:
    """Sign this browser out on the server (other devices stay signed in)."""
    raw = session.get(SESSION_KEY)
    if isinstance(raw, str):
        db.session.execute(delete(StaffSession).where(StaffSession.id_hash == _hash(raw)))


def end_all(user: StaffUser) -> None:
    """Every session of `user` ends (password reset, role change, deactivation)."""
    db.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
