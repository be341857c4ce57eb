"""The IRO team's screens. Each module registers its routes on this blueprint."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from portal.rules import mobile, receipts
from portal.rules.advocacy import open_requests
from portal.rules.alert_follow_up import open_alert_count
from portal.rules.alert_reasons import REASON_LABELS
from portal.rules.dates import today
from portal.rules.reviews import invitation_status, send_by_passed, upcoming_reviews
from portal.rules.roles import REVIEW_KIND_LABELS, ROLE_LABELS, STAFF_ROLE_LABELS
from portal.staff.access import staff_required
from portal.web.admin.forms import CHANNEL_LABELS

bp = Blueprint("admin", __name__)
# What roles and review kinds are called, on every team screen (macros included).
bp.add_app_template_global(ROLE_LABELS, "role_labels")
bp.add_app_template_global(REVIEW_KIND_LABELS, "review_kind_labels")
bp.add_app_template_global(STAFF_ROLE_LABELS, "staff_role_labels")
bp.add_app_template_global(receipts.LABELS, "delivery_labels")
bp.add_app_template_global(CHANNEL_LABELS, "channel_labels")
bp.add_app_template_global(REASON_LABELS, "alert_reason_labels")
bp.add_app_template_filter(mobile.display, "mobile")


@bp.context_processor
def admin_helpers() -> dict[str, object]:
    """Status rules every admin template uses, and the one 'today' they are judged against."""
    return {"invitation_status": invitation_status, "send_by_passed": send_by_passed,
            "today": today()}  # fmt: skip


@bp.get("/")
@staff_required()
def dashboard() -> str:
    """The team's home page: my reviews in the next four weeks."""
    mine = not current_user.sees_everything or request.args.get("mine") == "1"
    iro_id = current_user.id if mine else None
    found = upcoming_reviews(current_user, today=today(), iro_id=iro_id)
    requests = open_requests(current_user, iro_id=iro_id)
    return render_template(
        "admin/dashboard.html",
        reviews=found,
        mine=mine,
        advocacy_requests=requests,
        open_alerts=open_alert_count(current_user),
        **chase_counts(current_user, iro_id),
    )


def chase_counts(user: object, iro_id: int | None) -> dict[str, object]:
    """The chase list's figures for the dashboard's own partial (admin/_chase_counts.html)."""
    from portal.rules.chasing import counts

    return {"chase": counts(user, today(), iro_id), "chase_iro_id": iro_id}


from portal.web.admin import (  # noqa: E402,F401  (each module adds its routes to bp)
    advocacy,
    alerts,
    audit_log,
    chase,
    children,
    imports,
    invitations,
    letters,
    outcomes,
    paper,
    prepare_all,
    query,
    reports,
    responses,
    reviews,
    settings,
    users,
    weekly,
)
