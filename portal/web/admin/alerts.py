"""Reading answers: the per-review digest and the safeguarding alerts list."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.models import SafeguardingAlert
from portal.rules.advocacy import review_requests
from portal.rules.alert_follow_up import (
    ACKNOWLEDGE_ROLES,
    acknowledge,
    get_alert_or_404,
    may_acknowledge,
    on_behalf_of,
    visible_alerts,
)
from portal.rules.digest import build_digest
from portal.staff import audit
from portal.staff.access import get_review_or_404, staff_required
from portal.web.admin import bp
from portal.web.admin.forms import AcknowledgeForm
from portal.web.admin.helpers import keep_if

ALERT_FILTERS = ("open", "acknowledged", "all")


@bp.get("/reviews/<int:review_id>/digest")
@staff_required()
def review_digest(review_id: int) -> str:
    """Everything returned for a review, to read (or print) before the meeting."""
    review = get_review_or_404(review_id, current_user)
    digest = build_digest(review)
    audit.record("answers_viewed", review, responses=len(digest.returned))
    db.session.commit()
    return render_template(
        "admin/digest.html",
        digest=digest,
        review=review,
        advocacy_requests=review_requests(review, current_user),
    )


@bp.get("/alerts")
@staff_required()
def alerts() -> str:
    """Safeguarding alerts: open first; acknowledged ones say by whom and when."""
    status = request.args.get("status", "open")
    status = status if status in ALERT_FILTERS else "open"
    found = visible_alerts(current_user, status=status)
    return render_template("admin/alerts.html", alerts=found, status=status, filters=ALERT_FILTERS)


@bp.get("/alerts/<int:alert_id>")
@staff_required()
def alert(alert_id: int) -> str:
    """One alert, with the way to acknowledge it."""
    found = get_alert_or_404(alert_id, current_user)
    audit.record("alert_viewed", found)
    db.session.commit()
    return _alert_page(found, AcknowledgeForm())


def _alert_page(found: SafeguardingAlert, form: AcknowledgeForm) -> str:
    """The alert, with the acknowledge form for those who may use it (saying whom they cover)."""
    covering = found.review.iro if on_behalf_of(found, current_user) and found.review else None
    return render_template("admin/alert.html", alert=found, form=form, covering_iro=covering,
                           may_acknowledge=may_acknowledge(current_user))  # fmt: skip


@bp.post("/alerts/<int:alert_id>/acknowledge")
@staff_required(*ACKNOWLEDGE_ROLES)
def alert_acknowledge(alert_id: int) -> str | Response | tuple[str, int]:
    """Record that someone has acted on the alert."""
    found = get_alert_or_404(alert_id, current_user)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _alert_page(found, form), 400
    keep_if(
        acknowledge(found, current_user, form.note.data or ""),
        saved_message=_("Alert acknowledged."),
        unchanged_message=_("Someone had already acknowledged this alert."),
    )
    return redirect(url_for("admin.alert", alert_id=found.id))
