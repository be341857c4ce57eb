"""What a young person's answers ask the team to act on: safeguarding alerts and advocacy requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy import text as sa_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import Timestamp, utcnow

if TYPE_CHECKING:
    from portal.models.reviews import Review
    from portal.models.staff import StaffUser


# The keys of an alert a young person raised by pressing "Tell my IRO I need help" (no form has a
# question key starting with "_"). Its own reason, not an answer: the alert pages say so.
HELP_QUESTION_KEY = "_help"
HELP_OPTION_KEY = "asked_for_help"
_OPEN_HELP = sa_text(f"question_key = '{HELP_QUESTION_KEY}' AND acknowledged_at IS NULL")
# The option_key of an alert raised by words typed into a safety question's text box: option
# keys start with a letter, so this can never be a real option (and needs no new column).
ALERT_WORDS = "_words"
# Why an alert was raised (SafeguardingAlert.reason): an option marked `alert: true`, words on a
# safety question, or "Tell my IRO I need help". Derived from the keys above, so no column.
ALERT_REASONS = ("answer", "words", "help")


class SafeguardingAlert(db.Model):
    """Raised when a respondent picks an option marked `alert: true`, types words into a safety
    question's text box (`option_key` ALERT_WORDS), or asks for help; emailed at once, acted on."""

    __tablename__ = "safeguarding_alert"
    # Pressing "Tell my IRO I need help" twice (or on two phones) keeps one open alert.
    __table_args__ = (
        Index(
            "uq_safeguarding_alert_open_help",
            "invitation_id",
            unique=True,
            sqlite_where=_OPEN_HELP,
            postgresql_where=_OPEN_HELP,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"), index=True)
    form_key: Mapped[str] = mapped_column(String(64))
    question_key: Mapped[str] = mapped_column(String(64))
    option_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    emailed_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_error: Mapped[str | None] = mapped_column(String(300))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review | None] = relationship()
    acknowledged_by: Mapped[StaffUser | None] = relationship()

    @property
    def reason(self) -> str:
        """Why it was raised, one of ALERT_REASONS, read from the keys it is stored under."""
        if self.question_key == HELP_QUESTION_KEY:
            return "help"
        if self.option_key == ALERT_WORDS:
            return "words"
        return "answer"


class AdvocacyRequest(db.Model):
    """A young person said they want an advocate: a task for their IRO, not a safeguarding alert."""

    __tablename__ = "advocacy_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), index=True)
    form_key: Mapped[str] = mapped_column(String(64))
    question_key: Mapped[str] = mapped_column(String(64))
    option_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    referred_on: Mapped[dt.date | None] = mapped_column(Date)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    note: Mapped[str] = mapped_column(Text, default="")
