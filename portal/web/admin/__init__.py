"""The IRO team's screens. Each module registers its routes on this blueprint."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user

from portal.rules.reviews import invitation_status, send_by_passed, upcoming_reviews
from portal.staff.access import staff_required

bp = Blueprint("admin", __name__)
WRITE_ROLES = ("admin", "iro")


@bp.context_processor
def admin_helpers() -> dict[str, object]:
    """Status rules every admin template uses."""
    return {"invitation_status": invitation_status, "send_by_passed": send_by_passed}


@bp.get("/")
@staff_required()
def dashboard() -> str:
    """The team's home page: my reviews in the next four weeks."""
    today = dt.date.today()
    mine = current_user.role == "iro" or request.args.get("mine") == "1"
    found = upcoming_reviews(current_user, today=today, iro_id=current_user.id if mine else None)
    return render_template("admin/dashboard.html", reviews=found, today=today, mine=mine)


from portal.web.admin import (  # noqa: E402,F401  (each module adds its routes to bp)
    alerts,
    audit_log,
    children,
    invitations,
    letters,
    paper,
    query,
    reports,
    reviews,
    users,
)
