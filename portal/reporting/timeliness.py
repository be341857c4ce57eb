"""Timeliness: forms sent at least 10 England working days before the review, returned before it.

Sent is counted as the return rates count it (ADR 0048: not a withdrawn link that never came back).

The database groups sent invitations by (review date, sent date); the working-day test runs once
per such pair (a few thousand at most), never once per invitation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, case, func, select

from portal.extensions import db
from portal.models import Invitation, Review
from portal.reporting.periods import Period
from portal.reporting.returns import Filters, counts_as_sent, filtered, rate_pct
from portal.reporting.sql import day_of
from portal.rules.workdays import consultation_due

_INVITATION = Invitation.__table__


# Cached: the report checks each distinct review date once, and dates repeat across thousands.
consultation_deadline = cache(consultation_due)


@dataclass
class Timeliness:
    """Forms sent for the period's reviews, and how many went and came back in time."""

    sent: int = 0
    sent_on_time: int = 0  # sent by the consultation deadline for its review date
    received: int = 0  # returned, whenever
    returned_before: int = 0  # returned before the review date

    @property
    def sent_on_time_pct(self) -> float | None:
        return rate_pct(self.sent_on_time, self.sent)

    @property
    def returned_before_pct(self) -> float | None:
        return rate_pct(self.returned_before, self.received)


def timeliness(period: Period, filters: Filters | None = None) -> Timeliness:
    """Of the forms sent for reviews in `period`: how many on time, how many returned before."""
    filters = filters or Filters()
    sent_day = day_of(_INVITATION.c.sent_at)
    returned = _INVITATION.c.returned_at.is_not(None)
    query = select(
        _INVITATION.c.review_date,
        sent_day.label("sent_day"),
        func.count().label("sent"),
        func.count(case((returned, 1))).label("received"),
        func.count(
            case((and_(returned, _INVITATION.c.returned_at < _INVITATION.c.review_date), 1))
        ).label("before"),
    ).where(counts_as_sent())
    if filters.needs_review:
        query = query.select_from(
            _INVITATION.join(Review.__table__, Review.__table__.c.id == _INVITATION.c.review_id)
        )
    query = filtered(query, period, filters).group_by(_INVITATION.c.review_date, sent_day)
    result = Timeliness()
    for review_date, day, sent, received, before in db.session.execute(query):
        result.sent += sent
        result.received += received
        result.returned_before += before
        if day <= consultation_deadline(review_date):
            result.sent_on_time += sent
    return result
