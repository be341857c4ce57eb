"""The weekly list for managers: on screen and as CSV."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.reporting.exports import csv_bytes
from portal.rules.dates import today
from portal.rules.participation import CODE_LABELS, STAND_DOWN_REASON_LABELS
from portal.rules.weekly import export_tables, weekly_list
from portal.staff import audit
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.query import QueryError, query_date


@bp.get("/weekly")
@staff_required()
def weekly() -> str | Response:
    """Last week's held and stood-down reviews and next week's, around `on` (default today)."""
    found = weekly_list(current_user, query_date("on") or today())
    fmt = request.args.get("format", "")
    if fmt not in ("", "csv"):
        raise QueryError(_("The format filter must be csv or left out."))
    if fmt == "csv":
        audit.record("weekly_list_exported", None, week=found.last_week.label)
        db.session.commit()
        return Response(
            csv_bytes(export_tables(found)),
            mimetype="text/csv",
            headers={"Content-Disposition":
                     f'attachment; filename="weekly-{found.last_week.start.isoformat()}.csv"'},
        )  # fmt: skip
    return render_template(
        "admin/weekly.html", weekly=found, on=request.args.get("on", ""),
        participation_labels=CODE_LABELS, stand_down_labels=STAND_DOWN_REASON_LABELS,
    )  # fmt: skip
