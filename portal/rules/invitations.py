"""Invitations: what to propose for a review, links, revoking, reissuing, expiry, paper returns.

Links (ADR 0030): only token hashes are stored, so a link can be shown only when it is made. A
fresh token (and short code) is issued each time an invitation is emailed, reminded or printed;
the previous link for that invitation stops working then. Saved answers belong to the
invitation, not the link, so nothing a respondent saved is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import func, select, update

from portal.crypto.tokens import (
    format_short_code,
    hash_token,
    new_short_code,
    new_token,
    short_code_hashes,
)
from portal.extensions import db
from portal.models import ROLES, Contact, Invitation, Review, utcnow
from portal.questionnaires import age_band, catalogue
from portal.questionnaires.catalogue import age_on
from portal.rules import dates
from portal.rules.participation import is_under_four
from portal.rules.roles import is_young_person
from portal.rules.workdays import consultation_due, feedback_due
from portal.staff import audit

# Who is asked, by stage and review kind (IRO Handbook practice; councils' feedback forms).
PARTICIPANTS = {
    ("consultation", "cared_for"): ("child", "parent", "carer", "health", "education"),
    ("consultation", "pathway_plan"): ("care_leaver", "parent", "health", "education"),
    ("feedback", "cared_for"): ("child", "parent", "carer"),
    ("feedback", "pathway_plan"): ("care_leaver", "parent"),
}
EXTRA_ROLES = ("parent", "carer", "guardian", "health", "education")
FEEDBACK_LINK_DAYS = 28
EXTEND_DAYS = 14
TEXT_FROM_AGE = 13  # a young person this old with a mobile is texted


@dataclass
class Proposal:
    role: str
    form_key: str | None
    age_band: str | None
    language: str
    recipient_name: str = ""
    channel: str = "hand"  # nobody to write to: the IRO or social worker hands it over
    recipient_email: str | None = None
    recipient_mobile: str | None = None
    postal_address: str | None = None
    form_choices: list[tuple[str, str]] = field(default_factory=list)  # (key, title)


@dataclass(frozen=True)
class Link:
    """A link made just now: the only moment its raw token exists."""

    url: str
    short_code: str
    code_url: str

    @property
    def short_code_display(self) -> str:
        return format_short_code(self.short_code)


def stage_for(review: Review) -> str:
    """Consultation before the review; feedback once it has been held."""
    return "feedback" if review.status == "held" else "consultation"


def proposal_for(review: Review, stage: str, role: str, contact: Contact | None = None) -> Proposal:
    """One proposed invitation: the right form for the role, age band and language.

    With a contact (`portal import contacts`), it goes to them (their name and language) by
    `channel_for`: text, email, post, or by hand.
    """
    child = review.child
    young = is_young_person(role)
    band = (
        age_band(child.date_of_birth, review.review_date, care_leaver=role == "care_leaver")
        if young
        else None
    )
    forms = forms_for(stage, role, review.kind, band)
    form = forms[0] if forms else None
    language = child.preferred_language if young else "en"
    proposal = Proposal(
        role=role,
        form_key=form.key if form else None,
        age_band=band,
        language=language,
        recipient_name=child.first_name if young else "",
        form_choices=[(f.key, f.title) for f in forms],
    )
    if contact is not None:
        proposal.recipient_name = contact.name
        proposal.language = contact.language or language
        proposal.recipient_email = contact.email
        proposal.recipient_mobile = contact.mobile
        proposal.postal_address = contact.postal_address
        proposal.channel = channel_for(review, role, contact)
    return proposal


def channel_for(review: Review, role: str, contact: Contact) -> str:
    """How a contact is best reached. A text for a young person of 13 or over with a mobile
    (they read texts, not email) and for an adult with a mobile but no email; otherwise email,
    then post, then by hand."""
    if contact.mobile:
        if is_young_person(role):  # a younger child is not texted, email or no email
            if age_on(review.child.date_of_birth, review.review_date) >= TEXT_FROM_AGE:
                return "sms"
        elif not contact.email:
            return "sms"
    return "email" if contact.email else "post" if contact.postal_address else "hand"


def proposals_for(review: Review, stage: str, role: str) -> list[Proposal]:
    """One proposal per contact the child has in this role (two parents: two), else one by hand."""
    contacts = [contact for contact in review.child.contacts if contact.role == role]
    return [proposal_for(review, stage, role, contact) for contact in contacts] or [
        proposal_for(review, stage, role)
    ]


def forms_for(stage: str, role: str, review_kind: str, band: str | None) -> list[Any]:
    """The forms that fit an invitation, the catalogue's default first (age band respected)."""
    return [
        form
        for form in catalogue().matching(stage, role, review_kind)
        if not (band and form.age_bands and band not in form.age_bands)
    ]


def gets_no_form(review: Review, role: str) -> bool:
    """A child under 4 on the review date gets no form of their own: they count as PN0, not as a
    form sent. The adults around them are still asked."""
    return is_young_person(role) and is_under_four(review.child.date_of_birth, review.review_date)


def propose(review: Review, stage: str, extra_roles: list[str] | None = None) -> list[Proposal]:
    """One invitation per participant not yet invited at this stage, plus any extra people.

    The one home of who is proposed: the Prepare screen and bulk prepare both call it.
    """
    invited = {
        inv.role for inv in review.invitations if inv.stage == stage and inv.revoked_at is None
    }
    roles = [role for role in PARTICIPANTS[(stage, review.kind)] if role not in invited]
    if review.kind == "pathway_plan":
        roles = [r for r in roles if r != "child"]
    roles = [r for r in roles if not gets_no_form(review, r)]
    # Contacts are proposed for the usual participants; "add another" is someone new, by hand.
    extra = [role for role in extra_roles or [] if role in EXTRA_ROLES]
    return [found for role in roles for found in proposals_for(review, stage, role)] + [
        proposal_for(review, stage, role) for role in extra
    ]


def invited_roles(review: Review) -> list[str]:
    """The roles asked to this review (for "who attended?"), in the usual order; the expected
    participants when no one has been invited through the portal yet."""
    roles = {inv.role for inv in review.invitations if inv.meeting_qr_id is None}
    if not roles:
        roles = set(PARTICIPANTS[("consultation", review.kind)])
    return [role for role in ROLES if role in roles]


def young_persons_form_returned(review: Review) -> bool:
    """Whether the child's or care leaver's consultation form came back (suggests PN6)."""
    return any(
        inv.stage == "consultation" and is_young_person(inv.role) and inv.returned_at is not None
        for inv in review.invitations
    )


def due_date(review: Review, stage: str) -> dt.date | None:
    """When an invitation for this review and stage should go out."""
    if stage == "consultation":
        return consultation_due(review.review_date)
    day = review.held_on
    return feedback_due(day) if day else None


def lacks_address(channel: str | None, recipient_email: str | None) -> bool:
    """An emailed invitation needs somewhere to go; other channels need no address."""
    return channel == "email" and not (recipient_email or "").strip()


def lacks_mobile(channel: str | None, recipient_mobile: str | None) -> bool:
    """A text needs a mobile number."""
    return channel == "sms" and not (recipient_mobile or "").strip()


def hold_reviews(review_ids: list[int]) -> None:
    """Hold these reviews until this transaction ends: anyone preparing them at the same moment
    waits here, then sees what this one committed (ADR 0075).

    PostgreSQL: row locks, taken in id order so two runs over overlapping sets cannot deadlock.
    SQLite has a single writer and no row locks: a write that changes nothing takes the write
    lock, and every read after it sees what the other run committed.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        hold = update(Review).where(Review.id.in_(review_ids)).values(status=Review.status)
        db.session.execute(hold.execution_options(synchronize_session=False))
    else:
        locked = select(Review.id).where(Review.id.in_(review_ids)).order_by(Review.id)
        db.session.execute(locked.with_for_update())


def invitations_mark(review_id: int, stage: str) -> int:
    """The newest invitation's id for this review and stage, 0 if none (read afresh).

    The Prepare screen carries it: a page submitted twice, or after someone else prepared the
    same review, no longer matches, and adds nothing (ADR 0078).
    """
    newest = select(func.max(Invitation.id)).where(
        Invitation.review_id == review_id, Invitation.stage == stage
    )
    return db.session.execute(newest).scalar() or 0


def create(review: Review, **details: Any) -> Invitation:
    """Add an invitation, copying the review's date and kind (ADR 0002) and the address.

    `details` are `invitation_values`' keywords (stage, role, form_key, recipient and channel).
    Refuses (ValueError) a form for a child under 4 on the review date, whoever asks.
    """
    invitation = Invitation(review=review, **invitation_values(review, **details))
    db.session.add(invitation)
    return invitation


def invitation_values(
    review: Review,
    *,
    stage: str,
    role: str,
    form_key: str,
    recipient_name: str = "",
    recipient_email: str | None = None,
    recipient_mobile: str | None = None,
    postal_address: str | None = None,
    language: str = "en",
    channel: str = "email",
) -> dict[str, Any]:
    """The columns of a new invitation (one place for `create` and bulk prepare's insert).

    Refuses (ValueError) a form for a child under 4 on the review date, whoever asks.
    """
    if gets_no_form(review, role):
        raise ValueError("a child under 4 on the review date gets no form of their own")
    return {
        "review_date": review.review_date,
        "review_kind": review.kind,
        "stage": stage,
        "role": role,
        "form_key": form_key,
        "recipient_name": recipient_name.strip(),
        "recipient_email": (recipient_email or "").strip().lower() or None,
        "recipient_mobile": recipient_mobile or None,  # already checked: E.164
        "postal_address": postal_address or None,
        "language": language,
        "channel": channel,
        "due_at": due_date(review, stage),
    }


class Dated(Protocol):
    """What a link's expiry depends on: an invitation, or a row of its stage and review date."""

    stage: str
    review_date: dt.date


def link_expiry(invitation: Dated, now: dt.datetime) -> dt.datetime:
    """Consultation links work until the end of the review day; feedback links for 28 days."""
    if invitation.stage == "consultation":
        end = dt.datetime.combine(
            invitation.review_date + dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC
        )
        return max(end, now + dt.timedelta(days=1))
    return now + dt.timedelta(days=FEEDBACK_LINK_DAYS)


def make_link(token: str, short_code: str) -> Link:
    """The URLs printed or emailed for a raw token and short code."""
    base = current_app.config["PORTAL_BASE_URL"]
    return Link(url=f"{base}/r/{token}", short_code=short_code, code_url=f"{base}/q")


def new_link_values() -> tuple[str, str, dict[str, str]]:
    """A fresh token and short code, and the hashed column values to store."""
    token, code = new_token(), new_short_code()
    keyed, _legacy = short_code_hashes(code)
    return token, code, {"token_hash": hash_token(token), "short_code_hash": keyed}


def issue_link(invitation: Invitation, now: dt.datetime | None = None) -> Link:
    """Give an invitation a fresh link (the old one stops working) and return it once."""
    now = now or utcnow()
    token, code, hashes = new_link_values()
    invitation.token_hash = hashes["token_hash"]
    invitation.short_code_hash = hashes["short_code_hash"]
    invitation.expires_at = max(invitation.expires_at or now, link_expiry(invitation, now))
    return make_link(token, code)


def revoke(invitation: Invitation) -> None:
    """Stop the invitation's link working at once."""
    invitation.revoked_at = utcnow()
    invitation.token_hash = None
    invitation.short_code_hash = None
    audit.record("invitation_revoked", invitation)


def reissue(
    invitation: Invitation,
    *,
    recipient_name: str,
    recipient_email: str | None,
    channel: str,
    language: str,
    recipient_mobile: str | None = None,
) -> list[str]:
    """Kill the old link and queue the invitation to go out again (e.g. to a corrected address)."""
    wanted = {
        "recipient_name": recipient_name.strip(),
        "recipient_email": (recipient_email or "").strip().lower() or None,
        "recipient_mobile": recipient_mobile or None,
        "channel": channel,
        "language": language,
    }
    changed = [name for name, value in wanted.items() if getattr(invitation, name) != value]
    for name in changed:
        setattr(invitation, name, wanted[name])
    invitation.revoked_at = None
    invitation.token_hash = None
    invitation.short_code_hash = None
    invitation.sent_at = None
    invitation.send_error = None
    invitation.reminders_sent = 0
    invitation.expires_at = None
    today = dates.today()
    invitation.due_at = min(invitation.due_at or today, today)
    audit.record("invitation_reissued", invitation, fields=changed)
    return changed


def extend(invitation: Invitation, days: int = EXTEND_DAYS) -> dt.datetime:
    """Let a link work for `days` more days from now (or from its expiry, if later)."""
    now = utcnow()
    invitation.expires_at = max(invitation.expires_at or now, now) + dt.timedelta(days=days)
    audit.record("invitation_extended", invitation, days=days)
    return invitation.expires_at


def record_paper_return(invitation: Invitation, returned_on: dt.date) -> bool:
    """Mark a form returned on paper; False if it had already come back (online or paper)."""
    when = dt.datetime.combine(returned_on, dt.time(12, 0), tzinfo=dt.UTC)
    done = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.returned_at.is_(None))
        .values(returned_at=when, return_channel="paper")
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if done:
        audit.record("paper_return_recorded", invitation)
    return bool(done)
