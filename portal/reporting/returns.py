"""Return rates: invitations sent and received, grouped in ONE SQL GROUP BY over `invitation`.

Sent = the invitation has a sent date (any channel), unless its link was withdrawn before it
came back, as standing a review down does (ADR 0048: those are counted apart, as `stood_down`). Received = sent and
returned (online or paper). Rate = received / sent x 100, rounded half up to one decimal; None when nothing was sent.
An invitation counts in the period its review date falls in (ADR 0002). Meeting QR scans have
no invitation a person was sent, so they never count here (they do count in feedback results).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, extract, func, not_, select

from portal.extensions import db
from portal.models import CHANNELS, REVIEW_KINDS, ROLES, Invitation, Review, StaffUser
from portal.reporting.periods import Period, PeriodError, month, period_of

GROUP_FIELDS = ("role", "review_kind", "iro", "channel", "language", "period")
DEFAULT_BY = ("role", "review_kind")
TARGET_PCT = 50.0

_INVITATION = Invitation.__table__
_REVIEW = Review.__table__


def rate_pct(received: int, sent: int) -> float | None:
    """received / sent x 100 rounded half up to one decimal (integer arithmetic, no float drift)."""
    if not sent:
        return None
    tenths = (received * 2000 + sent) // (2 * sent)
    return tenths / 10


@dataclass(frozen=True)
class Filters:
    """What to count. `iro_id` filters by the review's IRO; `own_iro_id` is the access limit."""

    stage: str | None = None
    iro_id: int | None = None
    channel: str | None = None
    language: str | None = None
    role: str | None = None
    review_kind: str | None = None
    own_iro_id: int | None = None

    @property
    def needs_review(self) -> bool:
        return self.iro_id is not None or self.own_iro_id is not None


@dataclass
class ReturnRow:
    """One group: its key values (in `by` order), sent and received."""

    keys: dict[str, Any]
    sent: int
    received: int
    stood_down: int = 0  # sent for a review now stood down, never returned: not in `sent`

    @property
    def rate_pct(self) -> float | None:
        return rate_pct(self.received, self.sent)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.keys,
            "sent": self.sent,
            "received": self.received,
            "rate_pct": self.rate_pct,
        }


@dataclass
class ReturnTable:
    """The rows of a return-rate report and their total."""

    period: Period
    by: tuple[str, ...]
    rows: list[ReturnRow] = field(default_factory=list)

    @property
    def total(self) -> ReturnRow:
        return ReturnRow(
            {},
            sum(row.sent for row in self.rows),
            sum(row.received for row in self.rows),
            sum(row.stood_down for row in self.rows),
        )

    def row(self, **keys: Any) -> ReturnRow:
        """The row with these key values, or an empty one (0 sent)."""
        for row in self.rows:
            if all(row.keys.get(name) == value for name, value in keys.items()):
                return row
        return ReturnRow(dict(keys), 0, 0)


def parse_by(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """'role,review_kind' -> ('role', 'review_kind'), refusing unknown or repeated fields."""
    if text is None or text == "":
        return DEFAULT_BY
    names = [name.strip() for name in text.split(",")] if isinstance(text, str) else list(text)
    unknown = [name for name in names if name not in GROUP_FIELDS]
    if unknown or not names:
        raise PeriodError(
            f"Unknown field {', '.join(unknown) or '(none)'}: choose from {', '.join(GROUP_FIELDS)}"
        )
    if len(set(names)) != len(names):
        raise PeriodError("Each --by field may appear once")
    return tuple(names)


def filtered(query: Any, period: Period, filters: Filters) -> Any:
    """Apply the period and filters to a query over invitation (joining review only if needed)."""
    query = query.where(
        _INVITATION.c.review_date.between(period.start, period.end),
        _INVITATION.c.meeting_qr_id.is_(None),
    )
    for name in ("stage", "channel", "language", "role", "review_kind"):
        value = getattr(filters, name)
        if value:
            query = query.where(_INVITATION.c[name] == value)
    if filters.iro_id is not None:
        query = query.where(_REVIEW.c.iro_id == filters.iro_id)
    if filters.own_iro_id is not None:
        query = query.where(_REVIEW.c.iro_id == filters.own_iro_id)
    return query


def stood_down_unreturned() -> Any:
    """A sent invitation whose link was withdrawn (its review stood down) and never came back."""
    return and_(_INVITATION.c.revoked_at.is_not(None), _INVITATION.c.returned_at.is_(None))


def counts_as_sent() -> Any:
    """Sent, and not left out of the denominator by ADR 0048."""
    return and_(_INVITATION.c.sent_at.is_not(None), not_(stood_down_unreturned()))


def counted_columns() -> list[Any]:
    """sent, received and stood_down as SQL aggregates."""
    sent = func.count(case((counts_as_sent(), 1))).label("sent")
    received = func.count(
        case((and_(_INVITATION.c.sent_at.is_not(None), _INVITATION.c.returned_at.is_not(None)), 1))
    ).label("received")
    stood_down = func.count(
        case((and_(_INVITATION.c.sent_at.is_not(None), stood_down_unreturned()), 1))
    ).label("stood_down")
    return [sent, received, stood_down]


def _group_columns(by: Iterable[str], granularity: str) -> list[Any]:
    columns: list[Any] = []
    for name in by:
        if name == "iro":
            columns.append(_REVIEW.c.iro_id.label("iro"))
        elif name == "period" and granularity == "week":
            columns.append(_INVITATION.c.review_date.label("period_day"))
        elif name == "period":
            columns.append(extract("year", _INVITATION.c.review_date).label("period_year"))
            columns.append(extract("month", _INVITATION.c.review_date).label("period_month"))
        else:
            columns.append(_INVITATION.c[name].label(name))
    return columns


def _period_label(values: dict[str, Any], granularity: str) -> str:
    if granularity == "week":
        day = values["period_day"]
    else:
        day = dt.date(int(values["period_year"]), int(values["period_month"]), 1)
    return period_of(day, granularity).label


def iro_emails(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    found = db.session.execute(
        select(StaffUser.id, StaffUser.email).where(StaffUser.id.in_(ids))
    ).all()
    return dict(found)


_ORDER = {
    "role": {value: index for index, value in enumerate(ROLES)},
    "review_kind": {value: index for index, value in enumerate(REVIEW_KINDS)},
    "channel": {value: index for index, value in enumerate(CHANNELS)},
}


def _sort_key(row: ReturnRow) -> tuple[Any, ...]:
    key: list[Any] = []
    for name, value in row.keys.items():
        order = _ORDER.get(name)
        key.append((0, order.get(value, 99), "") if order else (value is None, 0, str(value)))
    return tuple(key)


def return_rates(
    period: Period,
    by: Sequence[str] = DEFAULT_BY,
    filters: Filters | None = None,
    granularity: str = "month",
) -> ReturnTable:
    """Sent, received and rate per group for invitations whose review date is in `period`."""
    filters = filters or Filters()
    by = tuple(by)
    columns = _group_columns(by, granularity)
    query = select(*columns, *counted_columns()).select_from(_INVITATION)
    if "iro" in by or filters.needs_review:
        query = query.select_from(
            _INVITATION.join(_REVIEW, _REVIEW.c.id == _INVITATION.c.review_id)
        )
    query = filtered(query, period, filters)
    if columns:
        query = query.group_by(*columns)
    results = db.session.execute(query).mappings().all()
    emails = iro_emails({r["iro"] for r in results if "iro" in by and r["iro"] is not None})
    # Periods coarser than the SQL grouping (weeks from days, quarters and years from months)
    # are folded together here: at most a few thousand already-aggregated groups.
    folded: dict[tuple[Any, ...], ReturnRow] = {}
    for result in results:
        keys: dict[str, Any] = {}
        for name in by:
            if name == "period":
                keys[name] = _period_label(dict(result), granularity)
            elif name == "iro":
                keys[name] = emails.get(result["iro"]) if result["iro"] is not None else None
            else:
                keys[name] = result[name]
        identity = tuple(keys.values())
        row = folded.setdefault(identity, ReturnRow(keys, 0, 0))
        row.sent += result["sent"]
        row.received += result["received"]
        row.stood_down += result["stood_down"]
    table = ReturnTable(period, by, sorted(folded.values(), key=_sort_key))
    return table


def monthly_rates(period: Period, filters: Filters | None = None) -> dict[str, ReturnRow]:
    """Totals per calendar month of `period`, every month present (empty months have 0 sent)."""
    table = return_rates(period, ("period",), filters, "month")
    by_label = {row.keys["period"]: row for row in table.rows}
    months = []
    day = period.start.replace(day=1)
    while day <= period.end:
        months.append(month(day.year, day.month).label)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return {label: by_label.get(label, ReturnRow({"period": label}, 0, 0)) for label in months}
