"""The data model: typed SQLAlchemy 2 models.

Personal data is kept to the least the work needs: a child has a case reference, a first name
(or known-as) and a date of birth for the age band, and no address or surname. The people to
invite for a child (`Contact`, imported from the case system) carry the email and postal address
a form is sent to; purge deletes them when the child is anonymised. Link tokens and
short codes are stored only as SHA-256 hashes (see portal.crypto.tokens).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
    func,
)
from sqlalchemy import text as sa_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.crypto import secret_box
from portal.extensions import db

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
STAGES = ("consultation", "feedback")
ROLES = ("child", "care_leaver", "parent", "carer", "health", "education", "guardian")
CHANNELS = ("email", "sms", "post", "hand", "qr")
# Notify's final statuses (ADR 0068): a receipt never moves an invitation off one of these.
# The send_error of a message that may have gone (no answer in time): never sent again.
SEND_UNCERTAIN = "Notify did not answer in time: it may have been sent"
DELIVERY_FINAL = ("delivered", "permanent-failure", "temporary-failure", "technical-failure")
RETURN_CHANNELS = ("online", "paper")
STAFF_ROLES = ("admin", "iro", "manager")
# What each staff role may do. The admin routes' `staff_required` and the templates (through
# StaffUser's `can_*` properties) both read these, so a button and its route cannot disagree.
WRITE_ROLES = ("admin", "iro")  # act on reviews: invitations, links, letters, QR codes, alerts
ADMIN_ROLES = ("admin",)  # business support: children, review details, users, paper forms
AUDIT_ROLES = ("admin", "manager")  # read the audit log
WHOLE_TEAM_ROLES = ("admin", "manager")  # see every review; an IRO sees the reviews they chair
WITH_AN_ADULT = "with_an_adult"
HELPED_BY = ("on_my_own", WITH_AN_ADULT)
# How a response reached us: through its invitation (online or keyed in from paper), a meeting
# QR code (no invitation, not counted in return rates) or a historical import.
RESPONSE_SOURCES = ("online", "paper", "meeting_qr", "import")


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; every stored timestamp is UTC."""
    return dt.datetime.now(dt.UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC, returns aware UTC datetimes on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


Timestamp = UTCDateTime()


class StaffUser(db.Model):
    """A member of the IRO team: business support (admin), an IRO, or a manager."""

    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(_in("role", STAFF_ROLES), name="ck_staff_user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # A Fernet token (portal.crypto.secret_box), never the secret itself; see `totp_secret`.
    totp_secret_encrypted: Mapped[str | None] = mapped_column("totp_secret", String(255))
    # The last TOTP time step accepted: each step's code signs in once.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Set by an admin's reset (lost phone): the next sign-in must set up an authenticator.
    totp_setup_required: Mapped[bool] = mapped_column(default=False, server_default=false())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # Bumped on password change or deactivation so every existing session ends at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def has_authenticator(self) -> bool:
        return self.totp_secret_encrypted is not None

    @property
    def totp_secret(self) -> str | None:
        """The authenticator's secret, decrypted (None if unset or unreadable with our key)."""
        stored = self.totp_secret_encrypted
        return None if stored is None else secret_box.decrypt(stored)

    @totp_secret.setter
    def totp_secret(self, secret: str | None) -> None:
        self.totp_secret_encrypted = None if secret is None else secret_box.encrypt(secret)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def can_write(self) -> bool:
        """May act on the reviews they see (admins and IROs; managers only read)."""
        return self.role in WRITE_ROLES

    @property
    def can_administer(self) -> bool:
        """Business support's work: children, review details, users, paper forms, drill-down."""
        return self.role in ADMIN_ROLES

    @property
    def can_read_audit(self) -> bool:
        return self.role in AUDIT_ROLES

    @property
    def sees_everything(self) -> bool:
        """Sees every review and every figure (an IRO: only the reviews they chair)."""
        return self.role in WHOLE_TEAM_ROLES


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
        CheckConstraint(_in("role", ROLES), name="ck_contact_role"),
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
        CheckConstraint(_in("kind", REVIEW_KINDS), name="ck_review_kind"),
        CheckConstraint(_in("status", REVIEW_STATUSES), name="ck_review_status"),
        CheckConstraint(_in("participation", PARTICIPATION_CODES), name="ck_review_participation"),
        CheckConstraint(
            _in("stood_down_reason", STAND_DOWN_REASONS), name="ck_review_stood_down_reason"
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
        CheckConstraint(_in("stage", STAGES), name="ck_invitation_stage"),
        CheckConstraint(_in("role", ROLES), name="ck_invitation_role"),
        CheckConstraint(_in("channel", CHANNELS), name="ck_invitation_channel"),
        CheckConstraint(
            "return_channel IS NULL OR " + _in("return_channel", RETURN_CHANNELS),
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
    __table_args__ = (CheckConstraint(_in("kind", CHASE_KINDS), name="ck_chase_note_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    chased_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)


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
        CheckConstraint(_in("source", RESPONSE_SOURCES), name="ck_response_source"),
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


# The keys of an alert a young person raised by pressing "Tell my IRO I need help" (no form has a
# question key starting with "_"). Its own reason, not an answer: the alert pages say so.
HELP_QUESTION_KEY = "_help"
HELP_OPTION_KEY = "asked_for_help"
_OPEN_HELP = sa_text(f"question_key = '{HELP_QUESTION_KEY}' AND acknowledged_at IS NULL")
# The option_key of an alert raised by words typed into a safety question's text box: option
# keys start with a letter, so this can never be a real option (and needs no new column).
ALERT_WORDS = "_words"


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
    def asked_for_help(self) -> bool:
        """Raised by the young person asking for help, not by an answer on the form."""
        return self.question_key == HELP_QUESTION_KEY

    @property
    def is_words(self) -> bool:
        """Raised by words typed on a safety question: a person must read what was written."""
        return self.option_key == ALERT_WORDS


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


class PasswordReset(db.Model):
    """A single-use, expiring password reset link (only its hash is stored)."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    used_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)

    user: Mapped[StaffUser] = relationship()


class StaffSession(db.Model):
    """One signed-in browser: its cookie is worthless once this row is gone.

    The cookie carries a random id; only its SHA-256 is kept here. Signing out deletes the row,
    and a row not seen for STAFF_SESSION_MINUTES no longer signs anyone in (docs/adr/0043).
    """

    __tablename__ = "staff_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow)


class Setting(db.Model):
    """Team-wide settings an admin can change (e.g. require a second factor for everyone)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEvent(db.Model):
    """Who did what to which record, when. Append only; `detail` never holds personal data."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(Timestamp, default=utcnow, server_default=func.now())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str] = mapped_column(String(32), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[StaffUser | None] = relationship()
