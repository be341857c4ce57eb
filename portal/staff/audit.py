"""Append-only audit events: every staff action is recorded here, without personal data."""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user

from portal.extensions import db
from portal.models import AuditEvent, StaffUser


def record(
    action: str,
    obj: Any = None,
    *,
    actor: StaffUser | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes).

    `obj` is a model instance (its table name and id are recorded) or None. `detail` must hold
    identifiers and field names only, never names, emails or answers.
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()  # type: ignore[attr-defined]
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=getattr(obj, "__tablename__", "") if obj is not None else "",
        object_id=str(getattr(obj, "id", "") or "") if obj is not None else "",
        detail=detail,
    )
    db.session.add(event)
    return event
