"""What a respondent page knows about its link, read with one Core query.

Every page behind a link re-checks the invitation; loading five ORM objects for that was most of
a page's CPU. A frozen snapshot of the columns the journey uses is read in one SELECT instead, and
the draft is written back with one UPDATE (or INSERT), so no ORM identity map is built per page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from flask import g
from sqlalchemy import Connection, bindparam, insert, select, update

from portal.extensions import db
from portal.models import Child, Draft, Invitation, MeetingQR, Response, Review, StaffUser, utcnow
from portal.rules.dates import has_expired


@dataclass(frozen=True)
class DraftSnapshot:
    """The saved answers so far and where to carry on."""

    answers: dict[str, Any] = field(default_factory=dict)
    text_languages: dict[str, str] = field(default_factory=dict)
    page: int | None = None
    language: str = "en"


@dataclass(frozen=True)
class LinkSnapshot:
    """The invitation behind a link with the review, child, IRO, draft and response facts."""

    id: int
    review_id: int
    role: str
    form_key: str
    stage: str
    language: str
    token_hash: str | None
    short_code_hash: str | None
    meeting_qr_id: int | None
    returned_at: dt.datetime | None
    revoked_at: dt.datetime | None
    expires_at: dt.datetime | None
    answered: bool  # a response row exists
    review_date: dt.date
    child_first_name: str
    child_date_of_birth: dt.date
    iro_name: str | None
    draft: DraftSnapshot | None
    qr_closes_at: dt.datetime | None = None  # the meeting QR's expiry (None: no QR row)
    qr_open: bool = False  # a QR row exists and is not revoked

    def qr_closed(self, now: dt.datetime) -> bool:
        """Whether the meeting QR this invitation came from stopped taking answers."""
        return not self.qr_open or self.qr_closes_at is None or has_expired(self.qr_closes_at, now)

    @classmethod
    def from_row(cls, row: Any) -> LinkSnapshot:
        """The snapshot from the link query's row (or the same facts read from ORM objects)."""
        draft = (
            DraftSnapshot(
                dict(row.answers or {}), dict(row.text_languages or {}), row.page,
                row.draft_language,
            )
            if row.draft_id is not None
            else None
        )  # fmt: skip
        return cls(
            **{name: getattr(row, name) for name in _INVITATION_FACTS},
            answered=row.response_id is not None,
            review_date=row.review_date,
            child_first_name=row.first_name,
            child_date_of_birth=row.date_of_birth,
            iro_name=row.iro_name,
            draft=draft,
            qr_closes_at=row.qr_expires_at,
            qr_open=row.meeting_qr_id is not None and row.qr_revoked_at is None,
        )

    @classmethod
    def from_invitation(cls, invitation: Invitation) -> LinkSnapshot:
        """The same snapshot from an ORM invitation (opening a link, tests, tools)."""
        review, draft = invitation.review, invitation.draft
        qr = (
            db.session.get(MeetingQR, invitation.meeting_qr_id)
            if invitation.meeting_qr_id is not None
            else None
        )
        return cls.from_row(
            SimpleNamespace(
                **{name: getattr(invitation, name) for name in _INVITATION_FACTS},
                response_id=_present(invitation.response),
                review_date=review.review_date,
                first_name=review.child.first_name,
                date_of_birth=review.child.date_of_birth,
                iro_name=review.iro.name if review.iro is not None else None,
                draft_id=_present(draft),
                answers=draft.answers if draft is not None else None,
                text_languages=draft.text_languages if draft is not None else None,
                page=draft.page if draft is not None else None,
                draft_language=draft.language if draft is not None else None,
                qr_expires_at=qr.expires_at if qr is not None else None,
                qr_revoked_at=qr.revoked_at if qr is not None else None,
            )
        )


def _present(row: object | None) -> bool | None:
    """Stands in for a joined row's id: only whether it exists counts (it may not be flushed)."""
    return None if row is None else True


# The invitation's own columns a snapshot keeps, under their own names.
_INVITATION_FACTS = (
    "id", "review_id", "role", "form_key", "stage", "language", "token_hash", "short_code_hash",
    "meeting_qr_id", "returned_at", "revoked_at", "expires_at",
)  # fmt: skip


# Plain tables, not ORM attributes: rows come back as tuples, no ORM objects built.
_INVITATION, _REVIEW, _CHILD = Invitation.__table__, Review.__table__, Child.__table__
_IRO, _DRAFT, _RESPONSE, _QR = (
    StaffUser.__table__, Draft.__table__, Response.__table__, MeetingQR.__table__,
)  # fmt: skip

# One indexed query: the invitation by primary key, joined to the rows it owns or belongs to.
_LOAD = (
    select(
        *(_INVITATION.c[name] for name in _INVITATION_FACTS),
        _RESPONSE.c.id.label("response_id"), _REVIEW.c.review_date, _CHILD.c.first_name,
        _CHILD.c.date_of_birth, _IRO.c.name.label("iro_name"), _DRAFT.c.id.label("draft_id"),
        _DRAFT.c.answers, _DRAFT.c.text_languages, _DRAFT.c.page,
        _DRAFT.c.language.label("draft_language"), _QR.c.expires_at.label("qr_expires_at"),
        _QR.c.revoked_at.label("qr_revoked_at"),
    )
    .select_from(_INVITATION)
    .join(_REVIEW, _REVIEW.c.id == _INVITATION.c.review_id)
    .join(_CHILD, _CHILD.c.id == _REVIEW.c.child_id)
    .outerjoin(_IRO, _IRO.c.id == _REVIEW.c.iro_id)
    .outerjoin(_DRAFT, _DRAFT.c.invitation_id == _INVITATION.c.id)
    .outerjoin(_RESPONSE, _RESPONSE.c.invitation_id == _INVITATION.c.id)
    .outerjoin(_QR, _QR.c.id == _INVITATION.c.meeting_qr_id)
    .where(_INVITATION.c.id == bindparam("invitation_id"))
)  # fmt: skip
# Built once at import: SQLAlchemy's compiled-statement cache then compiles each one once.
_UPDATE_DRAFT = update(_DRAFT).where(_DRAFT.c.invitation_id == bindparam("link_id"))
_INSERT_DRAFT = insert(_DRAFT)


def link_connection() -> Connection:
    """This request's autocommit connection for the link's SELECT and the draft's one write.

    A page reads one row and writes at most one row, each a single statement that is atomic on
    its own, so they need no transaction: no BEGIN and no COMMIT round trips, and one pool checkout
    per request. Closed when the app context ends.
    """
    connection = g.get("_link_connection")
    if connection is None or connection.closed:
        connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        g._link_connection = connection
    return connection


def close_link_connection(_error: BaseException | None = None) -> None:
    """Give the request's link connection back to the pool (teardown_appcontext)."""
    connection = g.pop("_link_connection", None)
    if connection is not None:
        connection.close()


def load_link(invitation_id: int) -> LinkSnapshot | None:
    """The snapshot of one invitation, or None if there is no such invitation.

    Every respondent request runs this: one Core SELECT on the request's link connection.
    """
    row = link_connection().execute(_LOAD, {"invitation_id": invitation_id}).first()
    return None if row is None else LinkSnapshot.from_row(row)


def store_draft(link: LinkSnapshot, draft: DraftSnapshot) -> None:
    """Write the draft with one UPDATE, or one INSERT if the link had none (each commits itself)."""
    values = {
        "answers": draft.answers,
        "text_languages": draft.text_languages,
        "page": draft.page,
        "language": draft.language,
        "updated_at": utcnow(),
    }
    connection = link_connection()
    if link.draft is not None:
        # If the answers were sent from another device meanwhile, the draft is gone: it stays gone.
        connection.execute(_UPDATE_DRAFT, {"link_id": link.id, **values})
    else:  # the draft's unique invitation key refuses a second one from a racing request
        connection.execute(_INSERT_DRAFT, {"invitation_id": link.id, **values})
