"""`portal send-due`: email every due invitation and reminder exactly once, even when two copies
run at the same time.

Each row is claimed with one conditional UPDATE (`… WHERE sent_at IS NULL`, or `WHERE
reminders_sent = n`) committed before the message goes out, so a second copy finds nothing to
claim. A failed send undoes the claim and records the error; the next run tries again. One
message that cannot be built or sent never stops the others (ADR 0044). Items are claimed in
batches of CLAIM_BATCH, one commit each, and a batch's results recorded in one commit (ADR 0076).
A copy that dies after claiming a batch leaves the rows it had not recorded marked sent, perhaps
without a message: at most once, never twice (the review page shows them as sent; reissue if in
doubt).

Texts (channel "sms") go only through GOV.UK Notify (ADR 0068), and so does email when
NOTIFY_API_KEY is set. Notify's rate limit (429) or a fault on its side (5xx) undoes the claim
like any failure, with the reason; after a 429 the run stops sending through Notify, so the
rest wait for the next run rather than each being refused in turn.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Update, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from portal.delivery import mail, notify
from portal.delivery.texts import compose_text
from portal.extensions import db
from portal.languages.i18n import text_direction
from portal.models import Invitation, Review, utcnow
from portal.rules import dates, outcomes
from portal.rules.invitations import Dated, link_expiry, make_link, new_link_values
from portal.rules.reviews import reminder_days
from portal.rules.roles import is_young_person
from portal.rules.workdays import reminder_dates
from portal.staff import audit

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    sent: int = 0  # first invitations
    reminded: int = 0  # reminders of invitations not yet answered
    failed: int = 0  # not sent, or perhaps sent with no answer (the claim then stands)
    skipped: int = 0  # no longer claimable: another run took it, or it changed
    deferred: int = 0  # left for the next run: Notify said "too many requests"
    rate_limited: bool = False
    errors: list[str] = field(default_factory=list)


def _sendable() -> Any:
    """Invitations with somewhere to go: email with an address; a text with a mobile, when
    Notify is configured (texts have no other way out)."""
    condition = (Invitation.channel == "email") & Invitation.recipient_email.is_not(None)
    if notify.configured():
        condition = condition | (
            (Invitation.channel == "sms") & Invitation.recipient_mobile.is_not(None)
        )
    return condition


def _first_send_candidates(today: dt.date, review_id: int | None) -> list[Any]:
    """Rows of (id, stage, review_date): plain values, so no per-item load is needed to claim."""
    query = (
        select(Invitation.id, Invitation.stage, Invitation.review_date, Invitation.channel)
        .join(Review)
        .where(
            _sendable(),
            Invitation.sent_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.returned_at.is_(None),
            Invitation.due_at.is_not(None),
            Invitation.due_at <= today,
            Review.status != "stood_down",
        )
        .where(
            ((Invitation.stage == "consultation") & (Invitation.review_date >= today))
            | ((Invitation.stage == "feedback") & (Review.status == "held"))
        )
        .order_by(Invitation.due_at, Invitation.id)
    )
    if review_id is not None:
        query = query.where(Invitation.review_id == review_id)
    return list(db.session.execute(query).all())


def _reminder_candidates(today: dt.date, review_id: int | None) -> list[Invitation]:
    query = (
        select(Invitation)
        .join(Review)
        .where(
            _sendable(),
            Invitation.stage == "consultation",
            Invitation.sent_at.is_not(None),
            Invitation.revoked_at.is_(None),
            Invitation.returned_at.is_(None),
            Invitation.review_date > today,
            Review.status == "scheduled",
            # Notify said the address or number does not exist: a reminder would fail too.
            Invitation.delivery_status.is_distinct_from("permanent-failure"),
        )
        .order_by(Invitation.id)
    )
    if review_id is not None:
        query = query.where(Invitation.review_id == review_id)
    return list(db.session.execute(query).scalars())


def reminder_due(invitation: Invitation, today: dt.date, days: tuple[int, ...]) -> bool:
    """True when the invitation's next reminder date has come (at most one a day)."""
    reminders_on = reminder_dates(invitation.review_date, days)
    step = invitation.reminders_sent
    if step >= len(reminders_on) or today < reminders_on[step] or invitation.sent_at is None:
        return False
    if invitation.sent_at.date() >= reminders_on[step]:
        return False  # sent late, on or after this reminder date: no reminder yet
    last = invitation.last_reminded_at
    return last is None or last.date() < today


def compose(
    invitation: Invitation, *, reminder: bool, url: str, short_code: str, code_url: str
) -> mail.Mail:
    """The invitation or reminder email, in the recipient's language, text and HTML."""
    review = invitation.review
    context = {
        "invitation": invitation,
        "review": review,
        "child_name": review.child.first_name,
        "for_young_person": is_young_person(invitation.role),
        "has_message": outcomes.message_for(invitation) is not None,
        "url": url,
        "short_code": short_code,
        "code_url": code_url,
        "reminder": reminder,
    }
    with force_locale(invitation.language):
        if reminder and invitation.stage == "feedback":  # only ever from the chase list
            subject = _("Reminder: tell us how the review went")
        elif reminder:
            subject = _("Reminder: have your say before the review")
        else:
            subject = _("Have your say about a review")
        text = render_template("email/invitation.txt", **context)
        html = render_template(
            "email/invitation.html",
            **context,
            lang=invitation.language,
            lang_dir=text_direction(invitation.language),
        )
    return mail.Mail(
        to=[invitation.recipient_email or ""],
        subject=subject,
        text=text,
        html=html,
        kind="reminder" if reminder else "invitation",
    )


@dataclass
class Delivered:
    """The outcome of one send: Notify's id when it went through Notify, or why it failed."""

    error: str | None = None
    notify_id: str | None = None
    rate_limited: bool = False
    keep_claim: bool = False  # it may have gone: never send it again (at most once)


def _send_message(invitation: Invitation, token: str, code: str, *, reminder: bool) -> str | None:
    """Send the email or text; Notify's notification id, if Notify took it."""
    link = make_link(token, code)
    kind = "reminder" if reminder else "invitation"
    reference = f"invitation-{invitation.id}"  # Notify shows it; it names nobody
    if invitation.channel == "sms":
        text = compose_text(
            invitation, reminder=reminder, short_code=link.short_code_display,
            code_url=link.code_url,
        )  # fmt: skip
        return notify.send_sms(
            invitation.recipient_mobile or "", text, reference=reference, kind=kind
        )
    message = compose(
        invitation, reminder=reminder, url=link.url, short_code=link.short_code_display,
        code_url=link.code_url,
    )  # fmt: skip
    return mail.send(message, reference=reference)


def _deliver(invitation: Invitation, token: str, code: str, *, reminder: bool) -> Delivered:
    """Build and send one message; the reason it failed (naming no personal data), if it did.

    Only a database failure raises: it is not this item's fault, and the run cannot go on.
    """
    try:
        return Delivered(notify_id=_send_message(invitation, token, code, reminder=reminder))
    except SQLAlchemyError:
        raise
    except notify.NotifyError as error:
        return Delivered(str(error)[:300] or "not sent", rate_limited=error.status == 429,
                         keep_claim=error.uncertain)  # fmt: skip
    except mail.MailError as error:
        return Delivered(str(error)[:300] or "not sent")
    except Exception as error:  # e.g. a template that cannot render this row: skip it alone
        log.warning("invitation %s not built: %s", invitation.id, type(error).__name__)
        return Delivered(f"could not be built ({type(error).__name__})")


CLAIM_BATCH = 50  # items claimed in one commit, and their results recorded in one commit


@dataclass
class Claim:
    """One item to send: its conditional claim, the update that gives it back, its new link."""

    invitation_id: int
    channel: str
    claim: Update
    undo: Update  # after a failed send: the item goes again next run
    give_back: Update  # sent nothing (Notify's rate limit): as if never claimed
    token: str
    code: str
    reminder: bool
    detail: dict[str, Any]

    @property
    def kind(self) -> str:
        return "reminder" if self.reminder else "invitation"


class Candidate(Dated, Protocol):
    """A first invitation due to go: an invitation, or a row from the candidates query."""

    id: int
    channel: str


def first_send_claim(candidate: Candidate) -> Claim:
    """The claim of a first invitation: sent now, with a fresh link (hashes only are stored)."""
    now = utcnow()
    token, code, hashes = new_link_values()
    this = Invitation.id == candidate.id
    claim = (
        update(Invitation)
        .where(
            this,
            Invitation.sent_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.returned_at.is_(None),
        )
        .values(
            sent_at=now,
            send_attempts=Invitation.send_attempts + 1,
            expires_at=link_expiry(candidate, now),
            **hashes,
        )
    )
    undo = update(Invitation).where(this).values(sent_at=None)
    give_back = undo.values(send_attempts=Invitation.send_attempts - 1)
    return Claim(candidate.id, candidate.channel, claim, undo, give_back, token, code,
                 reminder=False, detail={"channel": candidate.channel})  # fmt: skip


def reminder_claim(invitation: Invitation) -> Claim:
    """The claim of the next reminder; its undo gives the earlier link back.

    The new link lasts as long as a first one sent now: a feedback form chased after its link
    ran out gets a link that works.
    """
    step = invitation.reminders_sent
    now = utcnow()
    old_values = {
        "token_hash": invitation.token_hash,
        "short_code_hash": invitation.short_code_hash,
        "expires_at": invitation.expires_at,
    }
    token, code, hashes = new_link_values()
    claim = (
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.reminders_sent == step,
            Invitation.returned_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(
            reminders_sent=step + 1,
            last_reminded_at=now,
            expires_at=link_expiry(invitation, now),
            **hashes,
        )
    )
    undo = (
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.token_hash == hashes["token_hash"])
        .values(reminders_sent=step, last_reminded_at=None, **old_values)
    )
    return Claim(invitation.id, invitation.channel, claim, undo, undo, token, code,
                 reminder=True, detail={"reminder_number": step + 1})  # fmt: skip


def _claim_all(claims: list[Claim], report: SendReport) -> list[Claim]:
    """Claim each row with its conditional UPDATE; all committed before any message goes."""
    connection = db.session.connection()
    claimed = [claim for claim in claims if connection.execute(claim.claim).rowcount]
    db.session.commit()
    report.skipped += len(claims) - len(claimed)
    return claimed


def _load_all(ids: list[int]) -> dict[int, Invitation]:
    """The claimed rows with everything the messages and `record_sent` read: after this, sending
    the batch and recording its results need nothing more from the database."""
    review = joinedload(Invitation.review)
    rows = db.session.execute(
        select(Invitation)
        .options(
            review.joinedload(Review.child),
            review.joinedload(Review.outcome),
            review.selectinload(Review.invitations),  # for record_sent
        )
        .where(Invitation.id.in_(ids))
    ).scalars()
    return {invitation.id: invitation for invitation in rows}


def _record(
    claim: Claim, invitation: Invitation, outcome: Delivered, report: SendReport
) -> Update | None:
    """What happened to one claimed item, in the session; the UPDATE that undoes its claim if
    it failed (run with the batch's results)."""
    kind, error = claim.kind, outcome.error
    if error and outcome.keep_claim:
        invitation.send_error = error  # shown on the review page; the claim stands
        report.failed += 1
        report.errors.append(f"{kind} {claim.invitation_id}: {error}")
        audit.record(f"{kind}_send_uncertain", invitation, error=error)
    elif error:
        report.failed += 1
        report.rate_limited = report.rate_limited or outcome.rate_limited
        report.errors.append(f"{kind} {claim.invitation_id}: {error}")
        audit.record(f"{kind}_send_failed", invitation, error=error)
        return claim.undo.values(send_error=error)
    else:
        invitation.send_error = None
        if outcome.notify_id:  # receipts for this message now update the invitation
            invitation.notify_id = outcome.notify_id
            invitation.delivery_status = "created"
            invitation.delivery_status_at = utcnow()
        if claim.reminder:
            report.reminded += 1
        else:
            report.sent += 1
        audit.record(f"{kind}_sent", invitation, **claim.detail)
        outcomes.record_sent(invitation.review)  # the IRO's message went with it
    return None


def _send_batch(claims: list[Claim], report: SendReport) -> None:
    """Claim a batch (one commit), send each claimed item, record the results (one commit).

    Between the two commits the database is read once, straight after the claims, and never
    while messages go: a database that fails meanwhile cannot leave the batch's unsent items
    claimed, and the results wait in the session until the commit. After Notify's rate limit,
    items that would go through Notify wait for the next run: not claimed, or given back if the
    limit came while their batch was out.
    """
    claimed = _claim_all([claim for claim in claims if not _waits(claim.channel, report)], report)
    invitations = _load_all([claim.invitation_id for claim in claimed])
    undone: list[Update] = []
    for claim in claimed:
        invitation = invitations[claim.invitation_id]
        if _waits(claim.channel, report):
            undone.append(claim.give_back)
            continue
        outcome = _deliver(invitation, claim.token, claim.code, reminder=claim.reminder)
        undo = _record(claim, invitation, outcome, report)
        if undo is not None:
            undone.append(undo)
    connection = db.session.connection()
    for statement in undone:
        connection.execute(statement)
    db.session.commit()


def send_claims(claims: list[Claim], report: SendReport) -> None:
    """Send every item in batches of CLAIM_BATCH (ADR 0076)."""
    for start in range(0, len(claims), CLAIM_BATCH):
        _send_batch(claims[start : start + CLAIM_BATCH], report)


def send_one(invitation: Invitation, report: SendReport) -> None:
    """Claim and send one first invitation (a failed send is unclaimed for the next run)."""
    send_claims([first_send_claim(invitation)], report)


def remind_one(invitation: Invitation, report: SendReport) -> None:
    """Claim and send the next reminder; if it fails, the earlier link is given back."""
    send_claims([reminder_claim(invitation)], report)


def _waits(channel: str, report: SendReport) -> bool:
    """After Notify's rate limit, whatever would go through Notify waits for the next run."""
    through_notify = channel == "sms" or notify.sends_email()
    if report.rate_limited and through_notify:
        report.deferred += 1
        return True
    return False


def send_due(today: dt.date | None = None, review_id: int | None = None) -> SendReport:
    """Send every due email invitation and reminder (optionally for one review only)."""
    today = today or dates.today()
    report = SendReport()
    # One SMTP connection for the whole run.
    with mail.kept_connection():
        candidates = _first_send_candidates(today, review_id)
        send_claims([first_send_claim(row) for row in candidates], report)
        days = reminder_days()
        due = [
            invitation
            for invitation in _reminder_candidates(today, review_id)
            if reminder_due(invitation, today, days)
        ]
        send_claims([reminder_claim(invitation) for invitation in due], report)
    db.session.expire_all()
    return report
