"""Held reviews made directly in the tables, for the participation report's tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.extensions import db
from portal.models import AdvocacyRequest, Child, Review, ReviewOutcome

_numbers = itertools.count(1)


def add_review(
    held_on: dt.date | None,
    code: str | None,
    *,
    kind: str = "cared_for",
    iro_id: int | None = None,
    chaired: bool | None = None,
    status: str = "held",
    born: dt.date = dt.date(2005, 1, 1),
) -> Review:
    """One review (and its child) held on `held_on` with participation `code`."""
    number = next(_numbers)
    child = Child(case_ref=f"P{number}", first_name="Sam", date_of_birth=born)
    review = Review(
        child=child,
        kind=kind,
        review_date=held_on or dt.date(2017, 1, 1),
        iro_id=iro_id,
        status=status,
        held_on=held_on,
        participation=code,
        chaired_by_young_person=chaired,
    )
    db.session.add(review)
    db.session.flush()
    return review


def add_reviews(held_on: dt.date, counts: dict[str | None, int], **fields: Any) -> None:
    """`counts[code]` reviews held on one day for each code (None = no code recorded)."""
    for code, count in counts.items():
        for _ in range(count):
            add_review(held_on, code, **fields)


def add_outcome(
    review: Review, sent_at: dt.datetime | None, opened_at: dt.datetime | None = None
) -> None:
    db.session.add(ReviewOutcome(review_id=review.id, sent_at=sent_at, opened_at=opened_at))
    db.session.flush()


def add_advocacy(review: Review | None, made: dt.datetime, referred_on: dt.date | None) -> None:
    db.session.add(
        AdvocacyRequest(
            review_id=review.id if review else None,
            form_key="child_consultation",
            question_key="advocate",
            option_key="yes",
            created_at=made,
            referred_on=referred_on,
        )
    )
    db.session.flush()
