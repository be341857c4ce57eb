"""Children, the people to invite for them, their reviews and the IRO's message after one."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import Timestamp, one_of, utcnow

if TYPE_CHECKING:
    from portal.models.invitations import Invitation
    from portal.models.staff import StaffUser


REVIEW_KINDS = ("cared_for", "pathway_plan")
REVIEW_STATUSES = ("scheduled", "held", "stood_down")
# The DfE SSDA903 participation codes (labels and the age rule live in rules/participation.py).
PARTICIPATION_CODES = ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
STAND_DOWN_REASONS = (
    "child_unwell",
    "family_unavailable",
    "iro_unavailable",
    "placement_move",
    "social_worker_unavailable",
    "other",
)
ROLES = ("child", "care_leaver", "parent", "carer", "health", "education", "guardian")


class Child(db.Model):
    """A child or care leaver whose reviews we consult on."""

    __tablename__ = "child"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_ref: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    iro_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # Optimistic locking: a concurrent edit fails loudly instead of silently overwriting.
    version_id: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version_id}

    iro: Mapped[StaffUser | None] = relationship()
    reviews: Mapped[list[Review]] = relationship(
        back_populates="child", order_by="Review.review_date"
    )
    contacts: Mapped[list[Contact]] = relationship(back_populates="child", order_by="Contact.id")


class Contact(db.Model):
    """Someone to invite for a child (a parent, carer, school...), from `portal import contacts`.

    One per (child, role, name): importing a row with the same three replaces it. Prepare makes
    one proposal per contact of each role (rules/invitations.proposals_for).
    """

    __tablename__ = "contact"
    __table_args__ = (
        UniqueConstraint("child_id", "role", "name", name="uq_contact_child_role_name"),
        CheckConstraint(one_of("role", ROLES), name="ck_contact_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    postal_address: Mapped[str | None] = mapped_column(Text)  # lines separated by "\n"
    language: Mapped[str | None] = mapped_column(String(10))  # None: the proposal's default
    phone: Mapped[str | None] = mapped_column(String(40))
    # A UK mobile in E.164 (+447...), checked on import: Prepare may propose a text (ADR 0068).
    mobile: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)

    child: Mapped[Child] = relationship(back_populates="contacts")


class Review(db.Model):
    """One statutory review (a cared-for review or a pathway plan review)."""

    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint(one_of("kind", REVIEW_KINDS), name="ck_review_kind"),
        CheckConstraint(one_of("status", REVIEW_STATUSES), name="ck_review_status"),
        CheckConstraint(
            one_of("participation", PARTICIPATION_CODES), name="ck_review_participation"
        ),
        CheckConstraint(
            one_of("stood_down_reason", STAND_DOWN_REASONS), name="ck_review_stood_down_reason"
        ),
        # Covers the participation report's filters and counts, so a year of held reviews is
        # read from the index alone (ADR 0055; measured in docs/speed.md).
        Index(
            "ix_review_held_figures",
            "held_on",
            "status",
            "kind",
            "iro_id",
            "participation",
            "chaired_by_young_person",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    review_date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(200), default="")
    iro_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    # The case system's own id for the review (`portal import reviews`): when known, a new date
    # or IRO for the same id moves this review instead of adding another.
    review_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Recorded when the review is held: the participation report counts by held_on.
    held_on: Mapped[dt.date | None] = mapped_column(Date)  # indexed by ix_review_held_figures
    participation: Mapped[str | None] = mapped_column(String(3))
    chaired_by_young_person: Mapped[bool | None] = mapped_column()
    attended_roles: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    iro_saw_child_on: Mapped[dt.date | None] = mapped_column(Date)
    stood_down_reason: Mapped[str | None] = mapped_column(String(32))
    stood_down_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version_id}

    child: Mapped[Child] = relationship(back_populates="reviews")
    iro: Mapped[StaffUser | None] = relationship()
    invitations: Mapped[list[Invitation]] = relationship(back_populates="review")
    outcome: Mapped[ReviewOutcome | None] = relationship(back_populates="review")

    # What can happen to the review next: the routes refuse (409) what these say no to.
    @property
    def can_mark_held(self) -> bool:
        return self.status == "scheduled"

    @property
    def can_stand_down(self) -> bool:
        return self.status == "scheduled"

    @property
    def can_invite(self) -> bool:
        """Invitations can be prepared, sent and printed (not while it is stood down)."""
        return self.status != "stood_down"

    @property
    def can_show_meeting_qr(self) -> bool:
        return self.status == "held"


class ReviewOutcome(db.Model):
    """The IRO's message "What happened at your review" to the child, shown through their
    feedback invitation before the feedback form. A parent's or carer's link never
    shows it. The IRO's words are kept as written; a pasted translation sits beside them.
    """

    __tablename__ = "review_outcome"
    # The message figures of the participation report read sent and opened from the index alone.
    __table_args__ = (Index("ix_review_outcome_figures", "review_id", "sent_at", "opened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), unique=True)
    talked_about: Mapped[str] = mapped_column(Text, default="")
    decided: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    who_to_talk_to: Mapped[str] = mapped_column(Text, default="")
    # A translation pasted by staff: {"language": "ps", "talked_about": "...", ...} or None.
    translation: Mapped[dict[str, str] | None] = mapped_column(JSON)
    translated_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    translated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # When it reached the young person: their feedback invitation was sent or printed with the
    # message in it. And when they first opened it.
    sent_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    opened_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)

    review: Mapped[Review] = relationship(back_populates="outcome")
