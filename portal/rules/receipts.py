"""Delivery receipts from GOV.UK Notify (ADR 0068): what became of each email and text.

A status only moves forward (created → sending/pending → sent → a final one), by a
conditional UPDATE, so a receipt arriving twice or after a later one changes nothing and two
receivers cannot race; a final status (delivered, permanent-, temporary-, technical-failure)
is never replaced. Receipts for ids we do not know (a message replaced by a reminder, another
service's key) are ignored and logged by id only: no address ever reaches a log.
"""

from __future__ import annotations

import datetime as dt
import logging
from enum import Enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, update

from portal.extensions import db
from portal.models import DELIVERY_FINAL, Invitation, utcnow

log = logging.getLogger(__name__)
RANK = {
    "created": 0,
    "sending": 1,
    "pending": 1,
    "sent": 2,  # Notify: an international text handed on, with no receipt to come
    **dict.fromkeys(DELIVERY_FINAL, 3),
}
FAILED = ("permanent-failure", "temporary-failure", "technical-failure")
LABELS = {  # staff-facing (the review page and the chase list)
    "created": _l("sending"),
    "sending": _l("sending"),
    "pending": _l("sending"),
    "sent": _l("sent"),
    "delivered": _l("delivered"),
    "permanent-failure": _l("failed: the address or number does not exist (permanent failure)"),
    "temporary-failure": _l("failed: the inbox or phone was not available (temporary failure)"),
    "technical-failure": _l("failed: a problem at Notify (technical failure)"),
}


class Recorded(Enum):
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # a duplicate, or older than what we have
    UNKNOWN = "unknown"  # no invitation has this id
    IGNORED = "ignored"  # a status we do not track


def record(notify_id: str, status: str, at: dt.datetime | None = None) -> Recorded:
    """Record Notify's status of one message, if it moves the invitation's status forward.

    The caller commits.
    """
    rank = RANK.get(status)
    if rank is None:
        log.info("notify receipt %s: status %r not tracked", notify_id, status[:30])
        return Recorded.IGNORED
    earlier = [name for name, value in RANK.items() if value < rank]
    changed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.notify_id == notify_id,
            or_(Invitation.delivery_status.is_(None), Invitation.delivery_status.in_(earlier)),
        )
        .values(delivery_status=status, delivery_status_at=at or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        return Recorded.UPDATED
    known = db.session.execute(
        db.select(Invitation.id).where(Invitation.notify_id == notify_id)
    ).first()
    if known is None:
        log.info("notify receipt for an unknown id %s ignored", notify_id)
        return Recorded.UNKNOWN
    return Recorded.UNCHANGED


def is_final(status: str | None) -> bool:
    return status in DELIVERY_FINAL


def failed(status: str | None) -> bool:
    return status in FAILED
