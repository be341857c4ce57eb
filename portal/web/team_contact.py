"""The IRO team's contact for respondent pages: a template global that never fails the page.

Problem pages (a dead link, too many tries) are where a family most needs a way to reach the
team, and they can be drawn while the database is struggling: then the block is left out rather
than turning a 404 or 429 into a 500. Error pages for a 500 do not ask at all (errors.py).
"""

from __future__ import annotations

import logging
from contextlib import suppress

from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.rules.settings import TeamContact, team_contact

log = logging.getLogger(__name__)


def _forget_failed_transaction() -> None:
    with suppress(SQLAlchemyError):  # the connection is already gone: nothing to roll back
        db.session.rollback()


def shown_team_contact() -> TeamContact | None:
    """The team's contact when it has a phone or an email, else None (nothing half-filled)."""
    try:
        contact = team_contact()
    except SQLAlchemyError as error:
        _forget_failed_transaction()
        log.warning("team contact left out: the database did not answer (%s)", type(error).__name__)
        return None
    return contact if contact.reachable else None
