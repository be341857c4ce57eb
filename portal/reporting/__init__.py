"""Return rates and feedback results: every figure is a SQL GROUP BY, computed when asked for.

Plain modules with no Flask request code, shared by the admin screens, the CLI and the tests.
"""

from __future__ import annotations

from portal.reporting.periods import Period, PeriodError, parse_period
from portal.reporting.returns import GROUP_FIELDS, Filters, ReturnTable, rate_pct, return_rates

__all__ = [
    "GROUP_FIELDS",
    "Filters",
    "Period",
    "PeriodError",
    "ReturnTable",
    "parse_period",
    "rate_pct",
    "return_rates",
]
