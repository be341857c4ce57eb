"""Submitting a response: stored exactly once, because the database's unique constraint decides.

A double tap, a second device or a second process racing to submit the same invitation all end
the same way: one row, and everyone else is told it was already sent.

A young person's "I want an advocate" answer adds its advocacy request in the same transaction
(`portal.rules.advocacy`). A response through a meeting QR code also takes one of the code's places in the same
transaction (`portal.rules.meeting_qr.take_place`); when none is left, nothing is stored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import HELPED_BY, Draft, Invitation, Response, utcnow
from portal.questionnaires import FormDefinition, prune
from portal.rules.advocacy import request_advocacy
from portal.rules.meeting_qr import take_place

# What the respondent is asked to choose, and how the team reads it back, for each stored value.
HELPED_BY_ANSWERS = {"on_my_own": _l("On my own"), "with_an_adult": _l("With an adult")}
HELPED_BY_LABELS = {"on_my_own": _l("On their own"), "with_an_adult": _l("With an adult")}


class Submitted(StrEnum):
    SENT = "sent"
    ALREADY = "already"
    FULL = "full"  # the meeting QR code had no place left: nothing stored


def submit_response(
    invitation: Invitation,
    form: FormDefinition,
    answers: dict[str, Any],
    *,
    language: str,
    helped_by: str | None = None,
    text_languages: dict[str, str] | None = None,
    source: str = "online",
    role: str | None = None,
) -> Submitted:
    """Store the response, mark the invitation returned online and remove its draft."""
    kept = prune(form, answers)
    now = utcnow()
    invitation_id, review = invitation.id, invitation.review
    response = Response(
        invitation_id=invitation_id,
        review_id=invitation.review_id,
        form_key=form.key,
        form_version=form.version,
        role=role or invitation.role,
        language=language,
        answers=kept,
        text_languages={k: v for k, v in (text_languages or {}).items() if k in kept},
        helped_by=helped_by if helped_by in HELPED_BY else None,
        source=source,
        iro_id=review.iro_id if review is not None else None,
        submitted_at=now,
    )
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Submitted.ALREADY
    qr_id = invitation.meeting_qr_id if source == "meeting_qr" else None
    if qr_id is not None and not take_place(qr_id):
        db.session.rollback()  # the response row goes with it
        # Nothing of the refused answers is kept: not a response, not a draft to come back to.
        db.session.execute(delete(Draft).where(Draft.invitation_id == invitation_id))
        db.session.commit()
        return Submitted.FULL
    # In the same transaction: a request exists exactly when its response does.
    request_advocacy(
        invitation_id=invitation_id,
        review_id=invitation.review_id,
        form=form,
        answers=kept,
        role=response.role,
    )
    # Plain UPDATE/DELETE statements: no stale ORM state, and a racing loser never gets here.
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id)
        .values(returned_at=now, return_channel="online")
    )
    db.session.execute(delete(Draft).where(Draft.invitation_id == invitation_id))
    db.session.commit()
    db.session.expire_all()
    return Submitted.SENT
