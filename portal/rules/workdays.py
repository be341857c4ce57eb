"""England working-day arithmetic: Monday to Friday less England's bank holidays (offline).

Consultation forms go out at least 10 working days before a review (IRO Handbook); feedback forms
the working day after the review is held; reminders a set number of working days before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

import holidays

CONSULTATION_LEAD_DAYS = 10
DEFAULT_REMINDER_DAYS = (5, 2)
MAX_REMINDERS = 2


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    """True for Monday to Friday that is not an England bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (before it when `count` is negative)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The date `count` working days before `day`."""
    return add_working_days(day, -count)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day after `day`."""
    return add_working_days(day, 1)


def consultation_due(review_date: dt.date) -> dt.date:
    """When consultation invitations must go out: 10 working days before the review."""
    return working_days_before(review_date, CONSULTATION_LEAD_DAYS)


def feedback_due(held_on: dt.date) -> dt.date:
    """When feedback invitations go out: the working day after the review was held."""
    return next_working_day(held_on)


def reminder_dates(
    review_date: dt.date, days_before: Iterable[int] = DEFAULT_REMINDER_DAYS
) -> list[dt.date]:
    """Reminder dates for a consultation, earliest first, at most MAX_REMINDERS of them."""
    days = sorted({int(d) for d in days_before if int(d) > 0}, reverse=True)[:MAX_REMINDERS]
    return [working_days_before(review_date, d) for d in days]


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=offset))
    )
