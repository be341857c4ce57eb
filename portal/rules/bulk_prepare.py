"""Prepare in bulk: consultation invitations for every scheduled review in a
date window that has none yet, exactly as the Prepare screen proposes them (ADR 0060).

One home of who is asked: `invitations.propose`. A proposal with no contact details is made by
hand, never refused; the summary says how many need a contact. The reviews, children, contacts
and invitations are loaded in a handful of queries and the invitations inserted in one batch, so
1,000 reviews take about as many round trips as one. A second run over the same window finds no
review without invitations and prepares nothing.

Two runs at the same moment (two admins, or the command and an admin) cannot both prepare a
review: each run holds the reviews it found until it commits, then looks again, so the second one
waits for the first and finds them prepared (ADR 0075).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, exists, insert, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import ROLES, Child, Invitation, Review, StaffUser
from portal.rules import dates, invitations
from portal.staff import audit
from portal.staff.access import visible_reviews

STAGE = "consultation"  # a scheduled review has not been held: its invitations consult
MAX_WEEKS = 8  # the dashboard's "next N weeks"


@dataclass
class BulkSummary:
    """What a bulk run made: reviews prepared, invitations by role, and who needs a contact."""

    reviews: int = 0
    invitations: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    need_contact: int = 0
    # The reviews with an invitation by hand for want of an address (the summary links them).
    needing_contact: list[Review] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "invitations": self.invitations,
            "by_role": self.by_role,
            "need_contact": self.need_contact,
        }


def window_problem(start: dt.date, end: dt.date) -> str | None:
    """Why a window cannot be prepared, or None."""
    if end < start:
        return "the end date is before the start date"
    if (end - start).days > 366:
        return "the window is longer than a year; prepare a shorter one"
    return None


def reviews_to_prepare(start: dt.date, end: dt.date, user: StaffUser | None = None) -> Select[Any]:
    """Scheduled reviews dated in [start, end] with no consultation invitation at all.

    Any invitation (even a revoked one) means someone has worked on the review on its own
    screen: bulk leaves it to them. `user` limits it to what they may see (an IRO: their own).
    A review already past is left out: nobody can be consulted before it any more.
    """
    start = max(start, dates.today())
    query = visible_reviews(user) if user is not None else select(Review)
    has_any = exists().where(Invitation.review_id == Review.id, Invitation.stage == STAGE)
    return (
        query.where(
            Review.status == "scheduled",
            Review.review_date >= start,
            Review.review_date <= end,
            ~has_any,
        )
        # propose() reads the child, their contacts and the review's invitations: load them now,
        # in one query each, not one per review.
        .options(
            selectinload(Review.child).selectinload(Child.contacts),
            selectinload(Review.invitations),
        )
        .order_by(Review.review_date, Review.id)
    )


def _unprepared(start: dt.date, end: dt.date, user: StaffUser | None) -> list[Review]:
    """The window's reviews with no invitation, looked at again once they are held."""
    query = reviews_to_prepare(start, end, user)
    found = list(db.session.execute(query.with_only_columns(Review.id)).scalars())
    if not found:
        return []
    invitations.hold_reviews(found)
    return list(db.session.execute(query.where(Review.id.in_(found))).scalars())


def _needs_contact(proposal: invitations.Proposal) -> bool:
    return proposal.channel == "hand" and not (proposal.recipient_email or proposal.postal_address)


def prepare_window(
    start: dt.date, end: dt.date, *, user: StaffUser | None = None, via: str = "cli"
) -> BulkSummary:
    """Prepare every review in the window (what `user` may see) and audit the counts.

    The caller commits. Proposals with no form in the catalogue are left out, as the Prepare
    screen leaves them unticked.
    """
    problem = window_problem(start, end)
    if problem:
        raise ValueError(problem)
    summary = BulkSummary()
    rows: list[dict[str, Any]] = []
    roles: Counter[str] = Counter()
    for review in _unprepared(start, end, user):
        made = [p for p in invitations.propose(review, STAGE) if p.form_key is not None]
        if not made:
            continue
        summary.reviews += 1
        for proposal in made:
            values = invitations.invitation_values(
                review, stage=STAGE, role=proposal.role, form_key=proposal.form_key or "",
                recipient_name=proposal.recipient_name, recipient_email=proposal.recipient_email,
                recipient_mobile=proposal.recipient_mobile, postal_address=proposal.postal_address, language=proposal.language,
                channel=proposal.channel,
            )  # fmt: skip
            rows.append({"review_id": review.id, **values})
            roles[proposal.role] += 1
        if any(_needs_contact(p) for p in made):
            summary.needing_contact.append(review)
        summary.need_contact += sum(_needs_contact(p) for p in made)
    if rows:
        # One batched INSERT through the ORM's bulk path (no per-row flush, no objects kept);
        # render_nulls keeps every row's columns alike, else each change of which address is
        # empty starts a new batch.
        db.session.execute(insert(Invitation).execution_options(render_nulls=True), rows)
    summary.invitations = len(rows)
    summary.by_role = {role: roles[role] for role in ROLES if roles[role]}
    audit.record(
        "invitations_prepared_in_bulk",
        window_from=start.isoformat(),
        window_to=end.isoformat(),
        via=via,
        **summary.as_dict(),
    )
    return summary
