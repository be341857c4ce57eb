"""The managers' weekly list: last week's held and stood-down reviews and next
week's reviews, for the reviews the signed-in person may see.

Weeks are ISO weeks, Monday to Sunday (`reporting.periods.iso_week`). A held review belongs to
the week it was held (`held_on`); a stood-down review to the week it was due (`review_date`: the
portal does not record the day it was stood down); a coming review to the week of its date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Review, StaffUser
from portal.reporting.exports import ExportTable
from portal.reporting.periods import Period, iso_week
from portal.rules.participation import STAND_DOWN_REASON_LABELS
from portal.rules.roles import REVIEW_KIND_LABELS
from portal.staff.access import visible_reviews


@dataclass(frozen=True)
class WeeklyList:
    last_week: Period
    next_week: Period
    held: list[Review]
    stood_down: list[Review]
    coming: list[Review]


def week_of(day: dt.date) -> Period:
    iso = day.isocalendar()
    return iso_week(iso.year, iso.week)


def weekly_list(user: StaffUser, today: dt.date) -> WeeklyList:
    """The weeks either side of the one `today` is in (one query per list, children and IROs
    loaded with them)."""
    this_week = week_of(today)
    last_week = week_of(this_week.start - dt.timedelta(days=7))
    next_week = week_of(this_week.end + dt.timedelta(days=1))

    def reviews(*conditions: object, order: object) -> list[Review]:
        query = visible_reviews(user, select(Review)).options(
            joinedload(Review.child), joinedload(Review.iro)
        )
        return list(db.session.execute(query.where(*conditions).order_by(order, Review.id))
                    .scalars())  # fmt: skip

    return WeeklyList(
        last_week=last_week,
        next_week=next_week,
        held=reviews(
            Review.status == "held",
            Review.held_on.between(last_week.start, last_week.end),
            order=Review.held_on,
        ),
        stood_down=reviews(
            Review.status == "stood_down",
            Review.review_date.between(last_week.start, last_week.end),
            order=Review.review_date,
        ),
        coming=reviews(
            Review.status == "scheduled",
            Review.review_date.between(next_week.start, next_week.end),
            order=Review.review_date,
        ),
    )


def _row(review: Review, day: dt.date | None, extra: str = "") -> list[object]:
    return [
        day.isoformat() if day else "",
        review.child.case_ref,
        review.child.first_name,
        str(REVIEW_KIND_LABELS[review.kind]),
        review.iro.display_name if review.iro else "",
        extra,
    ]


def export_tables(found: WeeklyList) -> list[ExportTable]:
    """The three lists as tables for `reporting.exports.csv_bytes` (formula-injection safe)."""
    headers = ["Date", "Case reference", "First name", "Kind", "IRO"]
    return [
        ExportTable(f"Held in {found.last_week.label}", [*headers, "Participation"],
                    [_row(r, r.held_on, r.participation or "") for r in found.held]),
        ExportTable(f"Stood down in {found.last_week.label}", [*headers, "Reason"],
                    [_row(r, r.review_date, _reason(r)) for r in found.stood_down]),
        ExportTable(f"Coming in {found.next_week.label}", [*headers, "Start time"],
                    [_row(r, r.review_date, r.start_time.strftime("%H:%M") if r.start_time
                          else "") for r in found.coming]),
    ]  # fmt: skip


def _reason(review: Review) -> str:
    label = STAND_DOWN_REASON_LABELS.get(review.stood_down_reason or "", "")
    return f"{label}: {review.stood_down_note}" if review.stood_down_note else str(label)
