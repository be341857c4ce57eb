"""`portal notify-status`: poll Notify for messages without a final status (ADR 0068).

Notify keeps a message's status for 7 days, so older ones are not asked about; a 404 (already
gone) is counted, not an error. A rate limit stops the run: the rest are asked next time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portal.delivery import notify
from portal.extensions import db
from portal.models import DELIVERY_FINAL, Invitation, utcnow
from portal.rules import receipts

NOTIFY_KEEPS_DAYS = 7


@dataclass
class PollReport:
    """What one poll of Notify did, message by message."""

    asked: int = 0  # messages whose status was asked for
    updated: int = 0  # the invitation's delivery status moved on
    unchanged: int = 0  # Notify said what the portal already knew
    not_found: int = 0  # Notify no longer holds the message (it keeps them NOTIFY_KEEPS_DAYS)
    failed: int = 0  # Notify could not be asked; a "too many requests" ends the poll


def poll(limit: int = 5000) -> PollReport:
    since = utcnow() - dt.timedelta(days=NOTIFY_KEEPS_DAYS)
    ids = db.session.execute(
        select(Invitation.notify_id)
        .where(
            Invitation.notify_id.is_not(None),
            (Invitation.delivery_status.is_(None))
            | Invitation.delivery_status.not_in(DELIVERY_FINAL),
            Invitation.delivery_status_at >= since,
        )
        .order_by(Invitation.delivery_status_at)
        .limit(limit)
    ).scalars()
    report = PollReport()
    for notify_id in list(ids):
        report.asked += 1
        try:
            found = notify.status_of(notify_id)
        except notify.NotifyError as error:
            if error.status == 404:
                report.not_found += 1
                continue
            report.failed += 1
            if error.status == 429:
                break
            continue
        outcome = receipts.record(notify_id, found.status, found.completed_at)
        db.session.commit()
        if outcome is receipts.Recorded.UPDATED:
            report.updated += 1
        else:
            report.unchanged += 1
    return report
