"""The "please reply by" date printed on a letter and its paper form (ADR 0061).

Consultation: a few working days before the review, so a posted form arrives, is keyed in and
the IRO reads it before the meeting. Feedback: three weeks from printing, well inside the
28-day link, long enough for post both ways.
"""

from __future__ import annotations

import datetime as dt

from portal.models import Invitation
from portal.rules.workdays import add_working_days, working_days_before

# Second-class post takes up to 3 working days each way; one more to key the form in.
CONSULTATION_REPLY_DAYS_BEFORE = 3
# The least time a family gets to reply to a late letter (post there and back).
LEAST_WORKING_DAYS_TO_REPLY = 5
FEEDBACK_REPLY_WORKING_DAYS = 15


def reply_by(invitation: Invitation, printed_on: dt.date) -> dt.date | None:
    """The date a family is asked to reply by, or None when no date can be promised.

    A consultation letter printed late never asks for a reply before it could arrive: the date
    moves towards the review day, and when even the day before the review is too soon, no date
    is printed (the IRO can still take the form at the meeting).
    """
    if invitation.stage == "consultation":
        wanted = working_days_before(invitation.review_date, CONSULTATION_REPLY_DAYS_BEFORE)
        earliest = add_working_days(printed_on, LEAST_WORKING_DAYS_TO_REPLY)
        if wanted >= earliest:
            return wanted
        last = working_days_before(invitation.review_date, 1)
        return last if last >= earliest else None
    return add_working_days(printed_on, FEEDBACK_REPLY_WORKING_DAYS)
