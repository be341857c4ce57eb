"""Rules for reviews: moving one (with its invitations), holding or standing it down, and what
each invitation's state is. No Flask request code here; routes and the CLI both call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import update

from portal.extensions import db
from portal.models import ROLES, Invitation, MeetingQR, Review, StaffUser, utcnow
from portal.rules.dates import has_expired
from portal.rules.workdays import (
    DEFAULT_REMINDER_DAYS,
    consultation_due,
    feedback_due,
    reminder_dates,
)
from portal.staff import audit

UPCOMING_WEEKS = 4


def move_review(
    review: Review,
    new_date: dt.date,
    *,
    start_time: dt.time | None = None,
    kind: str | None = None,
    venue: str | None = None,
) -> int:
    """Move a review to a new date (and kind), taking its invitations with it (ADR 0002).

    The only writer of `invitation.review_date` and `invitation.review_kind` after creation.
    Unsent consultation invitations get a new due date. Runs in the caller's transaction: the
    review and its invitations change together or not at all. Returns invitations moved.
    """
    old_date, old_kind = review.review_date, review.kind
    review.review_date = new_date
    review.kind = kind or review.kind
    if start_time is not None:
        review.start_time = start_time
    if venue is not None:
        review.venue = venue
    if review.status == "stood_down":
        review.status = "scheduled"
    db.session.flush()  # version check on the review happens here
    moved = db.session.execute(
        update(Invitation)
        .where(Invitation.review_id == review.id)
        .values(review_date=review.review_date, review_kind=review.kind)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.review_id == review.id,
            Invitation.stage == "consultation",
            Invitation.sent_at.is_(None),
        )
        .values(due_at=consultation_due(review.review_date))
        .execution_options(synchronize_session="fetch")
    )
    if (old_date, old_kind) != (review.review_date, review.kind):
        audit.record(
            "review_moved", review, invitations=moved, kind_changed=old_kind != review.kind
        )
    return moved or 0


def mark_held(
    review: Review,
    held_on: dt.date,
    *,
    participation: str | None = None,
    chaired_by_young_person: bool | None = None,
    attended_roles: Sequence[str] = (),
    iro_saw_child_on: dt.date | None = None,
) -> None:
    """Record that the review took place and how the child took part.

    Feedback invitations become due the next working day. The caller has checked the values
    (rules/participation: the code the child's age allows, the dates); the audit event holds
    the code and flags only, never who attended by name.
    """
    review.status = "held"
    review.held_on = held_on
    review.participation = participation
    review.chaired_by_young_person = chaired_by_young_person
    review.attended_roles = [role for role in ROLES if role in attended_roles]
    review.iro_saw_child_on = iro_saw_child_on
    for invitation in review.invitations:
        if invitation.stage == "feedback" and invitation.sent_at is None:
            invitation.due_at = feedback_due(held_on)
    audit.record(
        "review_held",
        review,
        participation=participation,
        chaired=chaired_by_young_person,
        attended=len(review.attended_roles),
        iro_saw_child=iro_saw_child_on is not None,
    )


def mark_stood_down(
    review: Review, reason: str, note: str = "", now: dt.datetime | None = None
) -> None:
    """Record that the meeting will not happen on this date, and why (it can be re-arranged).

    The reason is one of STAND_DOWN_REASONS, with a short note for "other" (checked by the
    caller: rules/participation.stand_down_problem); the audit holds the reason, not the note.

    Open links (issued, not returned) and the meeting's QR codes stop working at once, so no
    one answers about a meeting that did not take place (ADR 0048). Unsent invitations have no
    link yet: sending already skips a stood-down review, and re-arranging it lets them go.
    """
    now = now or utcnow()
    review.status = "stood_down"
    review.stood_down_reason = reason
    review.stood_down_note = note.strip() if reason == "other" else ""
    links = db.session.execute(
        update(Invitation)
        .where(
            Invitation.review_id == review.id,
            Invitation.token_hash.is_not(None),
            Invitation.returned_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    qr_codes = db.session.execute(
        update(MeetingQR)
        .where(MeetingQR.review_id == review.id, MeetingQR.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    audit.record(
        "review_stood_down",
        review,
        reason=reason,
        links_revoked=links,
        qr_codes_revoked=qr_codes,
    )


def reminder_days() -> tuple[int, ...]:
    """Working days before the review when reminders go (configurable)."""
    return tuple(current_app.config.get("REMINDER_WORKING_DAYS") or DEFAULT_REMINDER_DAYS)


@dataclass(frozen=True)
class Status:
    key: str
    label: str
    colour: str  # tag colour class suffix


def invitation_status(invitation: Invitation, now: dt.datetime | None = None) -> Status:
    """Where an invitation stands, as the team says it."""
    now = now or utcnow()
    if invitation.returned_at is not None:
        if invitation.return_channel == "paper":
            return Status("returned_paper", "returned on paper", "green")
        return Status("returned_online", "returned online", "green")
    if invitation.revoked_at is not None:
        return Status("revoked", "revoked", "grey")
    if has_expired(invitation.expires_at, now):
        return Status("expired", "expired", "grey")
    if invitation.opened_at is not None:
        return Status("opened", "opened", "")
    if invitation.sent_at is not None:
        if invitation.reminders_sent:
            return Status("reminded", "reminded", "")
        return Status("sent", "sent", "")
    if invitation.send_error:
        return Status("failed", "not sent: sending failed", "red")
    return Status("not_sent", "not sent", "grey")


def send_by_passed(invitation: Invitation, today: dt.date) -> bool:
    """True when an unsent, unreturned invitation's due date has gone by."""
    return (
        invitation.sent_at is None
        and invitation.returned_at is None
        and invitation.revoked_at is None
        and invitation.due_at is not None
        and invitation.due_at < today
    )


def upcoming_reviews(
    user: StaffUser, *, today: dt.date, iro_id: int | None = None, weeks: int = UPCOMING_WEEKS
) -> list[Review]:
    """Reviews in the next `weeks` weeks the user may see (optionally one IRO's), by date."""
    from sqlalchemy.orm import selectinload

    from portal.staff.access import visible_reviews

    query = (
        visible_reviews(user)
        .where(Review.review_date >= today)
        .where(Review.review_date < today + dt.timedelta(weeks=weeks))
        .options(selectinload(Review.invitations), selectinload(Review.child))
        .order_by(Review.review_date, Review.start_time, Review.id)
    )
    if iro_id is not None:
        query = query.where(Review.iro_id == iro_id)
    return list(db.session.execute(query).scalars())


def consultation_reminders_due(review_date: dt.date) -> list[dt.date]:
    """The reminder dates for a review under the current configuration."""
    return reminder_dates(review_date, reminder_days())
