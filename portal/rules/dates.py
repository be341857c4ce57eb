"""Which dates the portal accepts from people and files (imports, report periods, staff filters).

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
