"""The audit log, filterable, for managers and business support."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from sqlalchemy import select

from portal.extensions import db
from portal.models import AUDIT_ROLES, AuditEvent, StaffUser
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.query import query_date, query_int

PAGE_SIZE = 100


@bp.get("/audit")
@staff_required(*AUDIT_ROLES)
def audit_log() -> str:
    """Audit events, newest first, filtered by action, person, record and dates."""
    args = request.args
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = (args.get("action") or "").strip()[:64]
    if action:
        query = query.where(AuditEvent.action == action)
    actor = query_int("actor")
    if actor is not None:
        query = query.where(AuditEvent.actor_id == actor)
    object_type = (args.get("object_type") or "").strip()[:32]
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    object_id = (args.get("object_id") or "").strip()[:64]
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    date_from, date_to = query_date("from"), query_date("to")
    if date_from:
        query = query.where(AuditEvent.at >= dt.datetime.combine(date_from, dt.time(0), dt.UTC))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(0), dt.UTC)
        query = query.where(AuditEvent.at < end)
    page = max(1, min(int(args["page"]) if args.get("page", "").isdigit() else 1, 10_000))
    events = list(
        db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).scalars()
    )
    actions = db.session.execute(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).scalars()
    staff = db.session.execute(select(StaffUser).order_by(StaffUser.name)).scalars()
    filters = {
        k: args.get(k, "") for k in ("action", "actor", "object_type", "object_id", "from", "to")
    }
    return render_template(
        "admin/audit.html", events=events[:PAGE_SIZE], more=len(events) > PAGE_SIZE, page=page,
        actions=list(actions), staff=list(staff), filters=filters,
    )  # fmt: skip
