"""Rules of the respondent journey, with no Flask routing: which link, which state, which form,
which age band, and saving the draft page by page. The routes call these and render.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.crypto.tokens import (
    hash_token,
    looks_like_token,
    normalise_short_code,
    short_code_hashes,
)
from portal.extensions import db
from portal.models import Invitation, Review, utcnow
from portal.questionnaires import FormDefinition, Router, age_band, catalogue, engine
from portal.rules.dates import has_expired
from portal.rules.roles import YOUNG_PERSON_ROLES as CHILD_ROLES
from portal.web.respond.snapshot import DraftSnapshot, LinkSnapshot, load_link, store_draft
from portal.web.respond.spoken_pages import YOUNGEST_BAND

SESSION_KEY = "respond"
HELPED_BY_KEY = "_helped_by"  # kept in the draft beside the answers; never a question key
QR_ACCESS = "qr"


class LinkState(StrEnum):
    """What a link or code leads to; each problem has its own page."""

    OK = "ok"
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ANSWERED = "answered"
    NO_FORM = "no_form"


def _load(*where: Any) -> Invitation | None:
    """One indexed query for the invitation with its review, child, IRO and draft."""
    query = (
        select(Invitation)
        .options(
            joinedload(Invitation.review).joinedload(Review.child),
            joinedload(Invitation.review).joinedload(Review.iro),
            joinedload(Invitation.draft),
            # link_state() checks the response on every request: load it here, not lazily.
            joinedload(Invitation.response),
        )
        .where(*where)
    )
    return db.session.execute(query).unique().scalar_one_or_none()


def link_state(invitation: LinkSnapshot | None, now: dt.datetime | None = None) -> LinkState:
    """Whether an invitation can be answered now, and if not, why not."""
    if invitation is None:
        return LinkState.UNKNOWN
    now = now or utcnow()
    if invitation.returned_at is not None or invitation.answered:
        return LinkState.ANSWERED
    if invitation.revoked_at is not None:
        return LinkState.REVOKED
    if has_expired(invitation.expires_at, now):
        return LinkState.EXPIRED
    if invitation.meeting_qr_id is not None and invitation.qr_closed(now):
        return LinkState.EXPIRED
    if catalogue().get(invitation.form_key) is None:
        return LinkState.NO_FORM
    return LinkState.OK


def _checked(invitation: Invitation | None) -> tuple[LinkState, Invitation | None]:
    if invitation is None:
        return LinkState.UNKNOWN, None
    return link_state(LinkSnapshot.from_invitation(invitation)), invitation


def find_by_token(raw: str) -> tuple[LinkState, Invitation | None]:
    """Resolve a link token (only its hash is looked up)."""
    if not looks_like_token(raw):
        return LinkState.MALFORMED, None
    return _checked(_load(Invitation.token_hash == hash_token(raw)))


def find_by_short_code(typed: str) -> tuple[LinkState, Invitation | None]:
    """Resolve a code typed from a letter (spaces, dashes and lower case are fine)."""
    code = normalise_short_code(typed)
    if code is None:
        return LinkState.MALFORMED, None
    # The keyed hash first; then the unkeyed one of a code issued before it, until that expires.
    for stored in short_code_hashes(code):
        invitation = _load(Invitation.short_code_hash == stored)
        if invitation is not None:
            return _checked(invitation)
    return LinkState.UNKNOWN, None


def remember(
    session: MutableMapping[str, Any],
    invitation: Invitation,
    access: str,
    typed_code: str | None = None,
) -> None:
    """Put the invitation in the session (so the token leaves the URL) and use its language.

    A code typed from a letter is kept (only in this browser's session, never in the database
    or a log) so "Save and come back later" can show it: the database holds only its hash.
    """
    held: dict[str, Any] = {"i": invitation.id, "h": access}
    if access == QR_ACCESS:
        held["q"] = invitation.meeting_qr_id  # submissions are rate limited per QR code
    if typed_code:
        held["c"] = typed_code
    session[SESSION_KEY] = held
    # A language the respondent switched to sticks for this link (saved on the draft).
    session["link_lang"] = (
        invitation.draft.language if invitation.draft else ""
    ) or invitation.language
    if access != QR_ACCESS:
        # The link's language wins over an earlier choice; the switcher still works after.
        session.pop("lang", None)
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()
        db.session.commit()


def access_for(invitation: Invitation, *, by_code: bool = False) -> str:
    """What the session keeps to prove how the invitation was reached."""
    if invitation.meeting_qr_id is not None:
        return QR_ACCESS
    return (invitation.short_code_hash if by_code else invitation.token_hash) or ""


def from_session(session: MutableMapping[str, Any]) -> tuple[LinkState, LinkSnapshot | None]:
    """The invitation this browser is answering, re-checked on every request.

    A reissued link changes the stored hash, so a session from the old link stops working.
    """
    held = session.get(SESSION_KEY)
    if not isinstance(held, dict) or not isinstance(held.get("i"), int):
        return LinkState.UNKNOWN, None
    link = load_link(held["i"])
    if link is None:
        return LinkState.UNKNOWN, None
    access = held.get("h")
    if access == QR_ACCESS:
        valid = link.meeting_qr_id is not None
    else:
        valid = bool(access) and access in (link.token_hash, link.short_code_hash)
    if not valid:
        return LinkState.REVOKED, None
    return link_state(link), link


def held_qr_id(session: MutableMapping[str, Any]) -> int | None:
    """The meeting QR code this browser's form came from (None: not through a QR code)."""
    held = session.get(SESSION_KEY)
    if not isinstance(held, dict) or held.get("h") != QR_ACCESS:
        return None
    qr_id = held.get("q")
    return qr_id if isinstance(qr_id, int) else None


def typed_code(session: MutableMapping[str, Any]) -> str | None:
    """The letter code this browser typed to reach its form (None: it came another way)."""
    held = session.get(SESSION_KEY)
    code = held.get("c") if isinstance(held, dict) else None
    return code if isinstance(code, str) else None


def forget(session: MutableMapping[str, Any]) -> None:
    """Drop the invitation from the session (after submitting)."""
    session.pop(SESSION_KEY, None)


def is_young_person(role: str) -> bool:
    """Whether a role's journey is a young person's (they are offered "I need help now")."""
    return role in CHILD_ROLES


@dataclass(frozen=True)
class Journey:
    """Everything a respondent page needs about who is answering which form."""

    invitation: LinkSnapshot
    form: FormDefinition
    band: str | None

    @property
    def is_child(self) -> bool:
        return is_young_person(self.invitation.role)

    @property
    def is_care_leaver(self) -> bool:
        """A young person of 16-25: no adult helps them, their worker is a personal adviser."""
        return self.invitation.role == "care_leaver"

    @property
    def youngest(self) -> bool:
        """A child of 4-7: pictures and "Read this to me" on every page, not only questions."""
        return self.is_child and self.band == YOUNGEST_BAND

    @property
    def through_meeting_qr(self) -> bool:
        return self.invitation.meeting_qr_id is not None

    @property
    def names_the_child(self) -> bool:
        """Whether pages may show the child's name and review date.

        Never through a meeting QR code: its forms are anonymous and the code is shown to a
        room, so whoever scans it learns nothing about the child, whatever role they choose.
        """
        return not self.through_meeting_qr

    @property
    def asks_helped_by(self) -> bool:
        """Children are asked whether an adult is helping; care leavers (16-25) are not."""
        return self.is_child and not self.is_care_leaver

    @property
    def answers(self) -> dict[str, Any]:
        draft = self.invitation.draft
        saved = dict(draft.answers) if draft else {}
        saved.pop(HELPED_BY_KEY, None)
        return saved

    @property
    def helped_by(self) -> str | None:
        draft = self.invitation.draft
        return draft.answers.get(HELPED_BY_KEY) if draft else None

    @property
    def saved_page(self) -> int | None:
        draft = self.invitation.draft
        return draft.page if draft else None

    @cached_property
    def router(self) -> Router:
        """Where this respondent can go, given the answers saved so far."""
        return engine().router(self.form, self.answers, self.band)


def _snapshot(invitation: Invitation | LinkSnapshot) -> LinkSnapshot:
    if isinstance(invitation, LinkSnapshot):
        return invitation
    return LinkSnapshot.from_invitation(invitation)


def band_for(invitation: Invitation | LinkSnapshot) -> str | None:
    """The age band for a child's or care leaver's form on the review date; None for adults."""
    if invitation.role not in CHILD_ROLES:
        return None
    link = _snapshot(invitation)
    return age_band(
        link.child_date_of_birth, link.review_date, care_leaver=link.role == "care_leaver"
    )


def journey_for(invitation: Invitation | LinkSnapshot) -> Journey:
    """The journey for an invitation whose state is OK."""
    link = _snapshot(invitation)
    form = catalogue().get(link.form_key)
    assert form is not None  # link_state checked it
    return Journey(link, form, band_for(link))


def invitation_row(journey: Journey) -> Invitation:
    """The ORM invitation, for the rare steps that need it (sending the answers)."""
    invitation = db.session.get(Invitation, journey.invitation.id)
    assert invitation is not None  # the snapshot was read in this request
    return invitation


def save_draft(
    journey: Journey,
    answers: dict[str, Any],
    page: int,
    language: str,
    helped_by: str | None = None,
) -> None:
    """Save the answers so far and where to carry on (server-side, any device).

    The journey's snapshot stays as it was read: a request saves once, then redirects.
    """
    previous = journey.invitation.draft or DraftSnapshot()
    stored = dict(answers)
    kept_helper = helped_by if helped_by is not None else journey.helped_by
    if kept_helper:
        stored[HELPED_BY_KEY] = kept_helper
    before = previous.answers
    text_languages = dict(previous.text_languages)
    for question in journey.form.questions:
        if question.type != "text" or question.key not in answers:
            text_languages.pop(question.key, None)
        elif (
            before.get(question.key) != answers[question.key] or question.key not in text_languages
        ):
            # The language the text was typed in, so the IRO knows whether to translate it.
            text_languages[question.key] = language
    store_draft(journey.invitation, DraftSnapshot(stored, text_languages, page, language))
