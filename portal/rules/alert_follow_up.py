"""Safeguarding alerts as the team sees them: open or acknowledged, by whom and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from portal.extensions import db
from portal.models import WRITE_ROLES, Review, SafeguardingAlert, StaffUser, utcnow
from portal.staff import audit
from portal.staff.access import visible_reviews

# Who may acknowledge an alert: those who act on reviews, and a manager covering for an absent
# IRO, the one thing a read-only manager may do (ADR 0059): a child's alert must not wait.
ACKNOWLEDGE_ROLES = (*WRITE_ROLES, "manager")


def may_acknowledge(user: StaffUser) -> bool:
    return user.role in ACKNOWLEDGE_ROLES


def on_behalf_of(alert: SafeguardingAlert, user: StaffUser) -> int | None:
    """The review's IRO when someone else acknowledges their alert (None if it is their own)."""
    iro_id = alert.review.iro_id if alert.review is not None else None
    return iro_id if iro_id is not None and iro_id != user.id else None


def _alerts_of_visible_reviews(user: StaffUser) -> Any:
    """Alerts whose review the user may see, by the one rule for reviews."""
    return visible_reviews(user, select(SafeguardingAlert).outerjoin(Review))


def visible_alerts(user: StaffUser, *, status: str = "open") -> list[SafeguardingAlert]:
    """Alerts the user may see (an IRO: their reviews'), open or acknowledged or all."""
    query = _alerts_of_visible_reviews(user)
    if status == "open":
        query = query.where(SafeguardingAlert.acknowledged_at.is_(None))
    elif status == "acknowledged":
        query = query.where(SafeguardingAlert.acknowledged_at.is_not(None))
    return list(db.session.execute(query.order_by(SafeguardingAlert.created_at.desc())).scalars())


def open_alert_count(user: StaffUser) -> int:
    """How many alerts the user may see are still waiting for someone to act (the home page)."""
    query = _alerts_of_visible_reviews(user).where(SafeguardingAlert.acknowledged_at.is_(None))
    return db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def get_alert_or_404(alert_id: int, user: StaffUser) -> SafeguardingAlert:
    """An alert the user may see, or 404."""
    return db.one_or_404(_alerts_of_visible_reviews(user).where(SafeguardingAlert.id == alert_id))


def acknowledge(alert: SafeguardingAlert, user: StaffUser, note: str) -> bool:
    """Record who acted on an alert; only the first acknowledgement counts (atomic)."""
    done = db.session.execute(
        update(SafeguardingAlert)
        .where(SafeguardingAlert.id == alert.id, SafeguardingAlert.acknowledged_at.is_(None))
        .values(acknowledged_at=utcnow(), acknowledged_by_id=user.id, note=note.strip())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if done:
        covering = on_behalf_of(alert, user)
        if covering is None:
            audit.record("alert_acknowledged", alert, actor=user)
        else:
            audit.record("alert_acknowledged", alert, actor=user, on_behalf_of=covering,
                         actor_role=user.role)  # fmt: skip
    return bool(done)
