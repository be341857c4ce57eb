"""Answers: saved page by page as a draft, then submitted as a response, and read by staff."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import Timestamp, one_of, utcnow

if TYPE_CHECKING:
    from portal.models.invitations import Invitation


WITH_AN_ADULT = "with_an_adult"
HELPED_BY = ("on_my_own", WITH_AN_ADULT)
# How a response reached us: through its invitation (online or keyed in from paper), a meeting
# QR code (no invitation, not counted in return rates) or a historical import.
RESPONSE_SOURCES = ("online", "paper", "meeting_qr", "import")


class Draft(db.Model):
    """Answers saved page by page, so a respondent can close the phone and carry on later."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Language of each free-text answer, keyed by question key.
    text_languages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    page: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(10), default="en")
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)

    invitation: Mapped[Invitation] = relationship(back_populates="draft")


class Response(db.Model):
    """A submitted form. At most one per invitation: the database decides, not Python."""

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("invitation_id", name="uq_response_invitation"),
        CheckConstraint(one_of("source", RESPONSE_SOURCES), name="ck_response_source"),
        Index("ix_response_form_submitted", "form_key", "submitted_at"),
        Index("ix_response_submitted", "submitted_at"),  # the inbox: newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL for historical imports; meeting QR responses have their own anonymous invitation.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id"), index=True)
    form_key: Mapped[str] = mapped_column(String(64))
    form_version: Mapped[int] = mapped_column(Integer, default=1)
    role: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(10), default="en")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text_languages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Staff's pasted translations of free text, {question_key: text}: kept beside the original
    # (never replacing it) and removed by purge with it (ADR 0062).
    translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # Free text in another language still without a translation: the inbox filters on it, so it
    # is kept in step by the mapper event below rather than worked out from JSON in SQL.
    untranslated_text: Mapped[bool] = mapped_column(default=False, server_default=false())
    helped_by: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(12), default="online")
    iro_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    # ADR 0047: when purge removed free text; and an import's duplicate check key, kept by purge.
    purged_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    invitation: Mapped[Invitation | None] = relationship(back_populates="response")

    @property
    def with_an_adult(self) -> bool:
        return self.helped_by == WITH_AN_ADULT

    def untranslated_keys(self) -> list[str]:
        """Free-text answers written in a language other than English with no translation yet.

        `text_languages` holds the language each text answer was typed in (the page's language
        online, the invitation's on paper; imports leave it empty: unknown, not flagged).
        """
        answers, translations = self.answers or {}, self.translations or {}
        return sorted(
            key
            for key, language in (self.text_languages or {}).items()
            if language
            and language.split("_")[0] != "en"
            and isinstance(answers.get(key), str)
            and answers[key].strip()
            and not (translations.get(key) or "").strip()
        )


@event.listens_for(Response, "before_insert")
@event.listens_for(Response, "before_update")
def _flag_untranslated(_mapper: Any, _connection: Any, response: Response) -> None:
    response.untranslated_text = bool(response.untranslated_keys())


class ResponseRead(db.Model):
    """A staff member opened a response in the inbox: read status is per person (ADR 0062)."""

    __tablename__ = "response_read"
    __table_args__ = (Index("ix_response_read_user", "user_id"),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
