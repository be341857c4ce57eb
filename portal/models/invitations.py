"""Invitations (one form for one person for one review), meeting QR codes, and chasing forms back."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import Timestamp, one_of, utcnow
from portal.models.reviews import ROLES

if TYPE_CHECKING:
    from portal.models.responses import Draft, Response
    from portal.models.reviews import Review


STAGES = ("consultation", "feedback")
CHANNELS = ("email", "sms", "post", "hand", "qr")
# The send_error of a message that may have gone (no answer in time): never sent again.
SEND_UNCERTAIN = "Notify did not answer in time: it may have been sent"
# Notify's final statuses (ADR 0068): a receipt never moves an invitation off one of these.
DELIVERY_FINAL = ("delivered", "permanent-failure", "temporary-failure", "technical-failure")
RETURN_CHANNELS = ("online", "paper")


class MeetingQR(db.Model):
    """A review-level QR code shown in the meeting: each scan starts an anonymous feedback form."""

    __tablename__ = "meeting_qr"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    max_responses: Mapped[int] = mapped_column(Integer, default=12)
    # Places taken by submitted responses; only a conditional UPDATE at submission raises it,
    # so the cap holds however many forms were open (portal.rules.meeting_qr.take_place).
    responses_taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)

    review: Mapped[Review] = relationship()


class Invitation(db.Model):
    """One form for one person for one review.

    `review_date` and `review_kind` are copied from the review so that return-rate reports are a
    single indexed GROUP BY over this table (ADR 0002); `portal.rules.reviews` keeps them in step when a
    review moves. Sent = has `sent_at`; received = has `returned_at`.
    """

    __tablename__ = "invitation"
    __table_args__ = (
        CheckConstraint(one_of("stage", STAGES), name="ck_invitation_stage"),
        CheckConstraint(one_of("role", ROLES), name="ck_invitation_role"),
        CheckConstraint(one_of("channel", CHANNELS), name="ck_invitation_channel"),
        CheckConstraint(
            "return_channel IS NULL OR " + one_of("return_channel", RETURN_CHANNELS),
            name="ck_invitation_return_channel",
        ),
        Index("ix_invitation_report", "review_date", "stage", "role", "review_kind"),
        Index("ix_invitation_stage_role", "stage", "role"),
        # Covers every column a return-rate report reads, so reports never touch the
        # table (halves the whole-range report on SQLite; see docs/adr/0010).
        Index(
            "ix_invitation_report_cover",
            "review_date",
            "stage",
            "role",
            "review_kind",
            "channel",
            "language",
            "sent_at",
            "returned_at",
            "meeting_qr_id",
            "revoked_at",  # a withdrawn link leaves the rates (ADR 0048)
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    review_date: Mapped[dt.date] = mapped_column(Date)
    review_kind: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    role: Mapped[str] = mapped_column(String(16))
    form_key: Mapped[str] = mapped_column(String(64))
    recipient_name: Mapped[str] = mapped_column(String(120), default="")
    recipient_email: Mapped[str | None] = mapped_column(String(254))
    # Copied from the contact when prepared (like recipient_email), so a letter prints where the
    # window envelope shows it even if the contact is replaced later; purge clears it.
    postal_address: Mapped[str | None] = mapped_column(Text)
    recipient_mobile: Mapped[str | None] = mapped_column(String(16))  # E.164, for channel sms
    language: Mapped[str] = mapped_column(String(10), default="en")
    channel: Mapped[str] = mapped_column(String(8), default="email")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    short_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    due_at: Mapped[dt.date | None] = mapped_column(Date, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    send_attempts: Mapped[int] = mapped_column(Integer, default=0)
    send_error: Mapped[str | None] = mapped_column(String(300))
    opened_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    returned_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    return_channel: Mapped[str | None] = mapped_column(String(8))
    expires_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    meeting_qr_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_qr.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    # The person said no (chase list, ADR 0059): off the chase list, still "not returned".
    declined_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # GOV.UK Notify (ADR 0068): the id of the last message sent, and what Notify last said of
    # it (delivered, permanent-failure...) with when; SMTP sends leave these empty.
    notify_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    delivery_status: Mapped[str | None] = mapped_column(String(24))
    delivery_status_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)

    review: Mapped[Review] = relationship(back_populates="invitations")
    response: Mapped[Response | None] = relationship(back_populates="invitation", uselist=False)
    draft: Mapped[Draft | None] = relationship(back_populates="invitation", uselist=False)

    # What the team can do with the invitation now: the routes refuse (409) what these say no to.
    @property
    def send_uncertain(self) -> bool:
        """The last send may have gone without our knowing (ADR 0068): not retried."""
        return self.send_error == SEND_UNCERTAIN

    @property
    def can_reissue(self) -> bool:
        """A new link (or recipient) until the form comes back."""
        return self.returned_at is None

    @property
    def can_revoke(self) -> bool:
        return self.returned_at is None and self.revoked_at is None

    can_print_letter = can_revoke  # a letter carries a fresh link: not once withdrawn or back

    @property
    def can_extend(self) -> bool:
        """Only a link that went out can be given longer; an unsent one has none yet."""
        return self.sent_at is not None and self.can_revoke

    @property
    def can_key_in_paper_answers(self) -> bool:
        return self.response is None


CHASE_KINDS = ("phone", "visit")


class ChaseNote(db.Model):
    """One phone call or visit made to chase a form back: "chased by phone on DATE, note"."""

    __tablename__ = "chase_note"
    __table_args__ = (CheckConstraint(one_of("kind", CHASE_KINDS), name="ck_chase_note_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    chased_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
