"""How children took part in their reviews, with the advocacy and message figures.

Counts reviews HELD in a range, by `review.held_on`: one row per DfE participation code PN0-PN7
(always all eight), reviews with no code yet (`not_recorded`), and the two participation rates:

- `participation_rate_pct` = PN1-PN6 / (total - PN0): reviews with no code stay in the
  denominator, which is how councils' published rates come out;
- `participation_rate_recorded_pct` = PN1-PN6 / (total - PN0 - not_recorded).

Percentages are rounded half up to one decimal with integer arithmetic (`returns.rate_pct`); a
zero denominator gives None. Each figure set is one SQL GROUP BY (ADR 0010); periods coarser than
a month are folded from months here. See ADR 0055.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import case, extract, func, or_, select

from portal.extensions import db
from portal.models import PARTICIPATION_CODES, AdvocacyRequest, Review, ReviewOutcome
from portal.reporting.periods import Period, PeriodError, period_of
from portal.reporting.returns import iro_emails, rate_pct
from portal.reporting.sql import day_of
from portal.rules.participation import CODE_LABELS, TOOK_PART, UNDER_FOUR
from portal.rules.workdays import add_working_days

BY_FIELDS = ("period", "iro")
# The report's own names for period lengths (as councils say them) -> periods.period_of's names.
PERIOD_LENGTHS = {"fy": "year", "quarter": "quarter", "month": "month"}
NOT_RECORDED = "not_recorded"
MESSAGE_WORKING_DAYS = 20  # "What happened at your review" is due within 20 working days

_REVIEW = Review.__table__
_OUTCOME = ReviewOutcome.__table__
_ADVOCACY = AdvocacyRequest.__table__


@dataclass(frozen=True)
class ParticipationFilters:
    """What to count. `iro_id` filters by the review's IRO; `own_iro_id` is the access limit."""

    kind: str | None = None
    iro_id: int | None = None
    own_iro_id: int | None = None


@dataclass
class Figures:
    """Held reviews per code, with no code, and chaired by the young person."""

    codes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTICIPATION_CODES, 0))
    not_recorded: int = 0
    chaired: int = 0

    def add(self, other: Figures) -> None:
        for code, count in other.codes.items():
            self.codes[code] += count
        self.not_recorded += other.not_recorded
        self.chaired += other.chaired

    @property
    def total(self) -> int:
        return sum(self.codes.values()) + self.not_recorded

    @property
    def took_part(self) -> int:
        return sum(self.codes[code] for code in TOOK_PART)

    @property
    def eligible(self) -> int:
        """Every review but a child under 4's (the participation rate's denominator)."""
        return self.total - self.codes[UNDER_FOUR]

    @property
    def recorded(self) -> int:
        """Reviews of a child 4 or over that have a code."""
        return self.eligible - self.not_recorded

    @property
    def rate_pct(self) -> float | None:
        return rate_pct(self.took_part, self.eligible)

    @property
    def recorded_rate_pct(self) -> float | None:
        return rate_pct(self.took_part, self.recorded)


@dataclass
class Advocacy:
    """Advocacy requests young people made in the range, and how many were referred on."""

    requests: int = 0
    referred: int = 0


@dataclass
class Messages:
    """Held reviews of a child 4 or over, how many had their message sent in time, and opened."""

    reviews: int = 0
    sent_in_time: int = 0
    opened: int = 0

    @property
    def sent_in_time_pct(self) -> float | None:
        return rate_pct(self.sent_in_time, self.reviews)

    @property
    def opened_pct(self) -> float | None:
        return rate_pct(self.opened, self.reviews)


@dataclass
class ParticipationReport:
    """The figures for one range: the total, optional groups (label -> figures), the extras."""

    period: Period
    filters: ParticipationFilters
    total: Figures
    by: str | None = None
    groups: dict[str, Figures] = field(default_factory=dict)
    advocacy: Advocacy = field(default_factory=Advocacy)
    messages: Messages = field(default_factory=Messages)


def parse_by(by: str | None, length: str | None) -> tuple[str | None, str]:
    """Check --by and --period; returns (by, a periods.period_of granularity)."""
    if by not in (None, "", *BY_FIELDS):
        raise PeriodError(f"Group by one of {', '.join(BY_FIELDS)}")
    if (length or "fy") not in PERIOD_LENGTHS:
        raise PeriodError(f"A period is one of {', '.join(PERIOD_LENGTHS)}")
    return by or None, PERIOD_LENGTHS[length or "fy"]


def _filtered_by(filters: ParticipationFilters) -> list[Any]:
    """The kind, IRO and access limits, on a query that has `review` in its FROM."""
    conditions = [_REVIEW.c.kind == filters.kind] if filters.kind else []
    for iro in (filters.iro_id, filters.own_iro_id):
        if iro is not None:
            conditions.append(_REVIEW.c.iro_id == iro)
    return conditions


def held_in(period: Period, filters: ParticipationFilters) -> list[Any]:
    """The WHERE of every participation figure: held, held_on in the range, the filters."""
    return [
        _REVIEW.c.status == "held",
        _REVIEW.c.held_on.between(period.start, period.end),
        *_filtered_by(filters),
    ]


def _figure_columns() -> list[Any]:
    code = _REVIEW.c.participation
    return [
        *(func.count(case((code == value, 1))).label(value) for value in PARTICIPATION_CODES),
        func.count(case((code.is_(None), 1))).label(NOT_RECORDED),
        func.count(case((_REVIEW.c.chaired_by_young_person.is_(True), 1))).label("chaired"),
    ]


def _figures(result: Any) -> Figures:
    return Figures(
        {code: result[code] for code in PARTICIPATION_CODES},
        result[NOT_RECORDED],
        result["chaired"],
    )


def _group_columns(by: str | None) -> list[Any]:
    if by == "iro":
        return [_REVIEW.c.iro_id.label("iro")]
    if by == "period":
        return [
            extract("year", _REVIEW.c.held_on).label("period_year"),
            extract("month", _REVIEW.c.held_on).label("period_month"),
        ]
    return []


def participation_figures(
    period: Period,
    filters: ParticipationFilters | None = None,
    by: str | None = None,
    granularity: str = "year",
) -> tuple[Figures, dict[str, Figures]]:
    """The total and (grouped by period or IRO) the groups, in one GROUP BY."""
    filters = filters or ParticipationFilters()
    columns = _group_columns(by)
    query = select(*columns, *_figure_columns()).where(*held_in(period, filters))
    if columns:
        query = query.group_by(*columns)
    results = db.session.execute(query).mappings().all()
    emails = iro_emails({r["iro"] for r in results if by == "iro" and r["iro"] is not None})
    total, groups = Figures(), {}
    for result in results:
        figures = _figures(result)
        total.add(figures)
        if by is None:
            continue
        if by == "iro":
            label = emails.get(result["iro"], "") if result["iro"] is not None else ""
        else:
            day = dt.date(int(result["period_year"]), int(result["period_month"]), 1)
            label = period_of(day, granularity).label
        groups.setdefault(label, Figures()).add(figures)
    return total, dict(sorted(groups.items()))


def advocacy_figures(period: Period, filters: ParticipationFilters | None = None) -> Advocacy:
    """Requests made in the range (by the day they were made) and how many have been referred."""
    filters = filters or ParticipationFilters()
    query = (
        select(func.count(), func.count(_ADVOCACY.c.referred_on))
        .select_from(_ADVOCACY.outerjoin(_REVIEW, _REVIEW.c.id == _ADVOCACY.c.review_id))
        .where(day_of(_ADVOCACY.c.created_at).between(period.start, period.end))
    )
    requests, referred = db.session.execute(query.where(*_filtered_by(filters))).one()
    return Advocacy(requests, referred)


# Cached: the report checks each distinct held date once, and dates repeat across thousands.
@cache
def message_deadline(held_on: dt.date) -> dt.date:
    """The last day the young person's "What happened at your review" counts as sent in time."""
    return add_working_days(held_on, MESSAGE_WORKING_DAYS)


def message_figures(period: Period, filters: ParticipationFilters | None = None) -> Messages:
    """Of held reviews of a child 4 or over: messages sent within 20 working days, and opened.

    The database groups by (held date, sent date); the working-day test runs once per pair.
    """
    filters = filters or ParticipationFilters()
    sent_day = day_of(_OUTCOME.c.sent_at)
    query = (
        select(
            _REVIEW.c.held_on,
            sent_day.label("sent_day"),
            func.count().label("reviews"),
            func.count(_OUTCOME.c.opened_at).label("opened"),
        )
        .select_from(_REVIEW.outerjoin(_OUTCOME, _OUTCOME.c.review_id == _REVIEW.c.id))
        .where(*held_in(period, filters), _not_under_four())
        .group_by(_REVIEW.c.held_on, sent_day)
    )
    result = Messages()
    for held_on, day, reviews, opened in db.session.execute(query):
        result.reviews += reviews
        result.opened += opened
        if day is not None and day <= message_deadline(held_on):
            result.sent_in_time += reviews
    return result


def _not_under_four() -> Any:
    # A child under 4 has no feedback invitation to carry the message.
    code = _REVIEW.c.participation
    return or_(code.is_(None), code != UNDER_FOUR)


def participation_report(
    period: Period,
    filters: ParticipationFilters | None = None,
    by: str | None = None,
    granularity: str = "year",
) -> ParticipationReport:
    """Every figure of the participation report for one range."""
    filters = filters or ParticipationFilters()
    total, groups = participation_figures(period, filters, by, granularity)
    return ParticipationReport(
        period,
        filters,
        total,
        by,
        groups,
        advocacy_figures(period, filters),
        message_figures(period, filters),
    )


def code_rows(figures: Figures) -> Iterable[tuple[str, str, int]]:
    """(code, plain label, reviews) for all eight codes, in order."""
    for code in PARTICIPATION_CODES:
        yield code, str(CODE_LABELS[code]), figures.codes[code]
