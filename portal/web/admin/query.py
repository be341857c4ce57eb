"""The team's screens read their query-string filters here, and only here.

Every value is checked before it reaches SQL or date arithmetic: integers within the database's
INTEGER range (PostgreSQL raises on larger ones, SQLite's driver overflows), dates within the years
the portal works with, and no control characters anywhere (PostgreSQL refuses NUL in text
parameters). A value the page cannot use answers 400 with a message saying which filter and why.
"""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from portal.rules.dates import date_problem
from portal.rules.text import single_line_problem
from portal.web.admin import bp
from portal.web.admin.forms import parse_date
from portal.web.errors import ERROR_TEXT, render_error

DB_INT_MAX = 2**31 - 1  # ids are INTEGER columns


class QueryError(BadRequest):
    """A query-string value a staff page cannot use; `description` says which and why."""


@bp.errorhandler(QueryError)
def query_error(error: QueryError) -> tuple[str, int]:
    """The shared error page, with the reason instead of the generic 400 text."""
    return render_error(400, str(ERROR_TEXT[400][0]), str(error.description))


@bp.before_request
def refuse_control_characters() -> None:
    """No staff filter is multi-line: refuse control characters in any name or value."""
    for name, value in request.args.items(multi=True):
        if single_line_problem(name):
            raise QueryError(_("A filter's name holds a control character."))
        if single_line_problem(value):
            raise QueryError(_("The %(name)s filter holds a control character.", name=name))


def query_int(name: str, low: int = 1, high: int = DB_INT_MAX) -> int | None:
    """The whole number in `name`, None when blank; anything else outside [low, high] is a 400."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    raise QueryError(
        _("The %(name)s filter must be a whole number from %(low)s to %(high)s.",
          name=name, low=low, high=high)
    )  # fmt: skip


def query_date(name: str) -> dt.date | None:
    """The date in `name` (YYYY-MM-DD or DD/MM/YYYY), None when blank; within 2000-2100."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    day = parse_date(text)
    if day is None:
        raise QueryError(_("The %(name)s filter must be a date like 2017-03-31.", name=name))
    problem = date_problem(day)
    if problem:
        raise QueryError(
            _("The %(name)s filter %(problem)s.", name=name, problem=f"{day.isoformat()} {problem}")
        )
    return day
