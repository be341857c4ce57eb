"""The portal's dates: what "today" is, when something has expired, and which dates it accepts
from people and files (imports, report periods, staff filters).

Reviews, forms and responses all fall in the years the service can run: a date outside them is a
typing slip (0017 for 2017), and the very large ones (9999-12-31) overflow date arithmetic.
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def date_problem(day: dt.date) -> str | None:
    """Why `day` is not a date the portal works with, or None when it is."""
    if EARLIEST <= day <= LATEST:
        return None
    return f"is not between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def today() -> dt.date:
    """Today's date: the one 'today' of every rule, screen and command (the server's clock)."""
    return dt.date.today()


def has_expired(expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether something that stops working at `expires_at` has stopped (None: no expiry yet)."""
    return expires_at is not None and expires_at <= now
