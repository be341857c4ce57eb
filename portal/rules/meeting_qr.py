"""Meeting QR codes: shown at a review, each scan starts a fresh anonymous feedback form.

A scan creates its own Invitation (channel "qr", `sent_at` empty so it never counts in return
rates, `meeting_qr_id` set); its response is stored with source "meeting_qr".

The cap (`max_responses`) is checked at scan time, but many forms can be open at once, so it is
enforced when answers are sent: `take_place` raises `responses_taken` with one conditional
UPDATE in the submission's transaction. The database row lock (or SQLite's single writer) makes
two parallel submits queue, and the second sees the first's count.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal.crypto.tokens import hash_token, looks_like_token, new_token
from portal.extensions import db
from portal.models import Invitation, MeetingQR, Response, Review, StaffUser, utcnow
from portal.questionnaires import FormDefinition, catalogue
from portal.rules.dates import has_expired

DEFAULT_LIFETIME = dt.timedelta(days=14)
GENERAL_FORM = "meeting_feedback"

# Who can answer through a meeting QR code: (choice, label). Invitations have no "professional"
# role, so a professional's anonymous invitation is recorded as "health" and its response keeps
# the role they chose; QR invitations are never counted in return rates.
QR_ROLES = (
    ("young_person", _l("I am the young person the review was about")),
    ("parent", _l("I am a parent")),
    ("carer", _l("I am a carer (foster carer or residential worker)")),
    ("professional", _l("I am a professional (for example a social worker, teacher or nurse)")),
)
INVITATION_ROLE = {"parent": "parent", "carer": "carer", "professional": "health"}


class QRState(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    FULL = "full"


def create_meeting_qr(
    review: Review,
    *,
    created_by: StaffUser | None = None,
    expires_at: dt.datetime | None = None,
    max_responses: int = 12,
) -> str:
    """Create a meeting QR code for a review and return its raw token (only the hash is kept)."""
    raw = new_token()
    db.session.add(
        MeetingQR(
            review=review,
            token_hash=hash_token(raw),
            expires_at=expires_at or utcnow() + DEFAULT_LIFETIME,
            max_responses=max_responses,
            created_by_id=created_by.id if created_by else None,
        )
    )
    db.session.flush()
    return raw


def find_meeting_qr(raw: str) -> MeetingQR | None:
    """The QR code a scanned token belongs to, or None."""
    if not looks_like_token(raw):
        return None
    return db.session.scalar(select(MeetingQR).where(MeetingQR.token_hash == hash_token(raw)))


def responses_received(qr: MeetingQR) -> int:
    """How many feedback responses came through this QR code."""
    return (
        db.session.scalar(
            select(func.count(Response.id))
            .join(Invitation, Response.invitation_id == Invitation.id)
            .where(Invitation.meeting_qr_id == qr.id)
        )
        or 0
    )


def qr_state(qr: MeetingQR | None, now: dt.datetime | None = None) -> QRState:
    """Whether a QR code can start a new response now."""
    if qr is None:
        return QRState.UNKNOWN
    now = now or utcnow()
    if qr.revoked_at is not None:
        return QRState.REVOKED
    if has_expired(qr.expires_at, now):
        return QRState.EXPIRED
    if qr.responses_taken >= qr.max_responses:
        return QRState.FULL
    return QRState.OK


def take_place(qr_id: int) -> bool:
    """Take one of the code's places for a response (in the caller's transaction); False if full."""
    taken = db.session.execute(
        update(MeetingQR)
        .where(MeetingQR.id == qr_id, MeetingQR.responses_taken < MeetingQR.max_responses)
        .values(responses_taken=MeetingQR.responses_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def form_for_role(review: Review, choice: str) -> FormDefinition | None:
    """The feedback form for a role at this review (professionals: meeting_feedback)."""
    forms = catalogue()
    general = forms.get(GENERAL_FORM)
    if choice == "professional":
        return general
    role = _invitation_role(review, choice)
    # A role's own feedback form first; the general meeting form only when there is none.
    found = [f for f in forms.matching("feedback", role, review.kind) if f.key != GENERAL_FORM]
    return found[0] if found else general


def available_roles(review: Review) -> list[tuple[str, str]]:
    """The role choices that have a feedback form in the catalogue."""
    return [(key, str(label)) for key, label in QR_ROLES if form_for_role(review, key)]


def _invitation_role(review: Review, choice: str) -> str:
    if choice == "young_person":
        return "care_leaver" if review.kind == "pathway_plan" else "child"
    return INVITATION_ROLE[choice]


def start_qr_response(qr: MeetingQR, choice: str, language: str = "en") -> Invitation | None:
    """A fresh anonymous invitation for one scan, or None if the role has no form."""
    review = qr.review
    form = form_for_role(review, choice)
    if form is None:
        return None
    invitation = Invitation(
        review=review,
        review_date=review.review_date,
        review_kind=review.kind,
        stage="feedback",
        role=_invitation_role(review, choice),
        form_key=form.key,
        language=language,
        channel="qr",
        sent_at=None,
        expires_at=qr.expires_at,
        meeting_qr_id=qr.id,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation


def response_role(invitation: Invitation) -> str:
    """The role a QR response is stored with (the role the person chose)."""
    if invitation.meeting_qr_id is not None and invitation.role == INVITATION_ROLE["professional"]:
        return "professional"
    return invitation.role
