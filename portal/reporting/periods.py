"""Reporting periods: financial years, their quarters, months, ISO weeks and any date range.

An invitation belongs to the period its review date falls in; a response to the period its
submitted date falls in. Every period is a closed range of dates [start, end].
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from portal.rules.dates import EARLIEST, LATEST, date_problem

GRANULARITIES = ("week", "month", "quarter", "year")


class PeriodError(ValueError):
    """A period could not be understood; the message says how to write it."""


@dataclass(frozen=True)
class Period:
    """A closed range of dates with a label people recognise ("2016/17", "2016/17 Q4")."""

    start: dt.date
    end: dt.date
    label: str
    kind: str = "range"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("The end date must be on or after the start date")

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def year_before(self) -> Period:
        """The same period one year earlier (year-on-year comparison)."""
        if self.kind == "year":
            return financial_year(self.start.year - 1)
        if self.kind == "quarter":
            return fy_quarter(fy_start_year(self.start) - 1, fy_quarter_number(self.start))
        if self.kind == "month":
            return month(self.start.year - 1, self.start.month)
        if self.kind == "week":
            iso = self.start.isocalendar()
            return iso_week(iso.year - 1, min(iso.week, _weeks_in(iso.year - 1)))
        return date_range(_shift_year(self.start, -1), _shift_year(self.end, -1))


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _weeks_in(iso_year: int) -> int:
    return dt.date(iso_year, 12, 28).isocalendar().week


def fy_start_year(day: dt.date) -> int:
    """The calendar year in which `day`'s financial year (1 April - 31 March) starts."""
    return day.year if day.month >= 4 else day.year - 1


def fy_label(start_year: int) -> str:
    """'2016/17' for the year starting 1 April 2016."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def fy_quarter_number(day: dt.date) -> int:
    """1 for April-June … 4 for January-March."""
    return (day.month - 4) % 12 // 3 + 1


def financial_year(start_year: int) -> Period:
    """1 April `start_year` to 31 March the next year."""
    return Period(
        dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31), fy_label(start_year), "year"
    )


def fy_quarter(start_year: int, quarter: int) -> Period:
    """Quarter 1-4 of a financial year (Q1 = April-June)."""
    if quarter not in (1, 2, 3, 4):
        raise PeriodError("A quarter is Q1, Q2, Q3 or Q4")
    first_month = (quarter - 1) * 3 + 4
    year = start_year + (first_month > 12)
    first_month = (first_month - 1) % 12 + 1
    start = dt.date(year, first_month, 1)
    end = month(year, first_month + 2).end
    return Period(start, end, f"{fy_label(start_year)} Q{quarter}", "quarter")


def month(year: int, number: int) -> Period:
    """A calendar month."""
    start = dt.date(year, number, 1)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return Period(start, following - dt.timedelta(days=1), start.strftime("%Y-%m"), "month")


def iso_week(year: int, week: int) -> Period:
    """An ISO week (Monday to Sunday)."""
    try:
        start = dt.date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise PeriodError(f"There is no week {week} in {year}") from error
    return Period(start, start + dt.timedelta(days=6), f"{year}-W{week:02d}", "week")


def date_range(start: dt.date, end: dt.date) -> Period:
    """Any range of dates, both ends included."""
    return Period(start, end, f"{start.isoformat()} to {end.isoformat()}", "range")


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) in the years the portal works with."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise PeriodError(f"{text!r} is not a date like 2017-03-31") from error
    _check_date(day)
    return day


def _check_date(day: dt.date) -> None:
    # Also keeps year_before() and the 12-month charts clear of year 1 and year 9999.
    problem = date_problem(day)
    if problem:
        raise PeriodError(f"{day.isoformat()} {problem}")


_FY = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2})[ -]?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)


def parse_period(text: str) -> Period:
    """'2016/17', '2016/17 Q4', '2017-03', '2017-W05' or '2017-01-01..2017-03-31'."""
    try:
        period = _parse_period(text.strip())
    except PeriodError:
        raise
    except (ValueError, OverflowError) as error:  # a year the calendar cannot hold: 9999/00
        raise PeriodError(
            f"{text.strip()!r} is not a period the portal can report on "
            f"(dates from {EARLIEST.isoformat()} to {LATEST.isoformat()})"
        ) from error
    _check_date(period.start)
    _check_date(period.end)
    return period


def _parse_period(text: str) -> Period:
    if match := _FY.match(text):
        start = int(match[1])
        if (start + 1) % 100 != int(match[2]):
            raise PeriodError(f"{text!r} is not a financial year like 2016/17")
        return financial_year(start)
    if match := _QUARTER.match(text):
        return fy_quarter(parse_period(f"{match[1]}/{match[2]}").start.year, int(match[3]))
    if match := _MONTH.match(text):
        if not 1 <= int(match[2]) <= 12:
            raise PeriodError(f"{text!r} is not a month like 2017-03")
        return month(int(match[1]), int(match[2]))
    if match := _WEEK.match(text):
        return iso_week(int(match[1]), int(match[2]))
    if ".." in text:
        first, last = text.split("..", 1)
        return date_range(parse_date(first), parse_date(last))
    raise PeriodError(
        f"{text!r} is not a period: use 2016/17, 2016/17 Q4, 2017-03, 2017-W05 "
        "or 2017-01-01..2017-03-31"
    )


def period_of(day: dt.date, granularity: str) -> Period:
    """The week, month, FY quarter or financial year that `day` falls in."""
    if granularity == "week":
        iso = day.isocalendar()
        return iso_week(iso.year, iso.week)
    if granularity == "month":
        return month(day.year, day.month)
    if granularity == "quarter":
        return fy_quarter(fy_start_year(day), fy_quarter_number(day))
    if granularity == "year":
        return financial_year(fy_start_year(day))
    raise PeriodError(f"Choose one of {', '.join(GRANULARITIES)}")


def last_months(end: dt.date, count: int = 12) -> list[Period]:
    """The `count` calendar months up to and including the one `end` falls in, oldest first."""
    months = []
    year, number = end.year, end.month
    for _ in range(count):
        months.append(month(year, number))
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return months[::-1]


def chart_granularity(period: Period) -> str:
    """The step a chart over `period` draws: weeks up to ~2 months, months up to 3 years."""
    days = (period.end - period.start).days + 1
    if days <= 62:
        return "week"
    return "month" if days <= 3 * 366 else "quarter"


def periods_within(period: Period, granularity: str) -> list[Period]:
    """The weeks, months or quarters that `period` touches, oldest first."""
    found, day = [], period.start
    while day <= period.end:
        found.append(period_of(day, granularity))
        day = found[-1].end + dt.timedelta(days=1)
    return found
