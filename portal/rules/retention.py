"""Data retention: `portal purge` forgets what the council no longer needs to keep.

- Drafts (answers saved page by page but never submitted) go after DRAFT_RETENTION_DAYS.
- For reviews older than RETENTION_DAYS (default two years): free-text answers (and staff's
  pasted translations of them), drafts,
  safeguarding notes, recipients' names and emails, link and short-code hashes, the review's
  venue, and (once a child has no review inside the window) the child's first name, case reference
  and day and month of birth are removed.
- What reports count is kept (ADR 0047): every invitation row keeps its stage, role, review
  date and kind, channel and sent/returned times, so historical rates come out the same; every
  response keeps its option keys and scale scores (a free-text answer becomes `true`: "answered,
  text removed"), so feedback results come out the same; imported responses keep their import
  fingerprint, so importing the same file again adds nothing.
- Responses with no review (historical imports) are judged by the date they were given
  (`submitted_at`, about the review date), never by when they were imported.
- Outbox .eml files (written when MAIL_URL is empty) go after OUTBOX_RETENTION_DAYS (default 14):
  they hold live links and names, so they are kept only as long as someone may need to pick
  them up (ADR 0044).
- Staff sessions that can never be used again (idle past STAFF_SESSION_MINUTES or older than
  STAFF_SESSION_MAX_HOURS) are deleted, so the table holds only live sign-ins.

Every statement is a set-based UPDATE/DELETE whose WHERE clause skips rows already purged (for
responses, `purged_at` is set), so a second run reports zeros.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from portal.delivery.mail import OUTBOX_TEMPORARY_SUFFIX
from portal.extensions import db
from portal.importing.responses import fingerprint
from portal.models import (
    Child,
    Contact,
    Draft,
    Invitation,
    MeetingQR,
    Response,
    Review,
    SafeguardingAlert,
    StaffSession,
)
from portal.questionnaires import catalogue
from portal.rules import dates
from portal.staff import audit, sessions

PURGED_CASE_REF_PREFIX = "purged-"


@dataclass
class PurgeCounts:
    """How many rows each step changed (counts only: never what they held)."""

    stale_drafts: int = 0  # drafts nobody touched for the draft retention period
    drafts: int = 0  # drafts of old reviews' invitations, deleted
    responses: int = 0  # free text removed
    alert_notes: int = 0  # safeguarding notes blanked
    invitations: int = 0  # names, addresses and link hashes cleared
    meeting_qrs: int = 0  # old reviews' meeting QR codes, revoked
    reviews: int = 0  # old reviews' venues cleared
    children: int = 0  # anonymised: no recent review left
    contacts: int = 0  # anonymised children's contacts, deleted
    outbox_files: int = 0  # .eml and crash-left files in the outbox past retention, removed
    staff_sessions: int = 0  # ended or expired sign-ins, deleted

    @property
    def total(self) -> int:
        return sum(asdict(self).values())


def purge(
    *,
    today: dt.date | None = None,
    retention_days: int,
    draft_retention_days: int,
    now: dt.datetime | None = None,
    outbox: OutboxPurge | None = None,
) -> PurgeCounts:
    """Purge in the current session (the caller commits); returns what changed.

    Outbox files are not in the transaction: they are removed at once unless `outbox.dry_run`.
    """
    today = today or dates.today()
    now = now or dt.datetime.now(dt.UTC)
    cutoff = today - dt.timedelta(days=retention_days)
    counts = PurgeCounts()

    counts.stale_drafts = _rowcount(
        sa.delete(Draft).where(Draft.updated_at < now - dt.timedelta(days=draft_retention_days))
    )

    old_reviews = sa.select(Review.id).where(Review.review_date < cutoff).scalar_subquery()
    old_invitations = (
        sa.select(Invitation.id).where(Invitation.review_id.in_(old_reviews)).scalar_subquery()
    )
    counts.drafts = _rowcount(sa.delete(Draft).where(Draft.invitation_id.in_(old_invitations)))
    counts.responses = _strip_responses(
        sa.or_(
            Response.review_id.in_(old_reviews),
            Response.invitation_id.in_(old_invitations),
            # Historical imports with no review: judged by when they were given.
            sa.and_(
                Response.review_id.is_(None),
                Response.invitation_id.is_(None),
                Response.submitted_at < _start_of(cutoff),
            ),
        ),
        now,
    )
    counts.alert_notes = _rowcount(
        sa.update(SafeguardingAlert)
        .where(
            sa.or_(
                SafeguardingAlert.review_id.in_(old_reviews),
                SafeguardingAlert.invitation_id.in_(old_invitations),
            ),
            SafeguardingAlert.note != "",
        )
        .values(note="")
    )
    counts.invitations = _rowcount(
        sa.update(Invitation)
        .where(
            Invitation.review_id.in_(old_reviews),
            sa.or_(
                Invitation.recipient_name != "",
                Invitation.recipient_email.is_not(None),
                Invitation.recipient_mobile.is_not(None),
                Invitation.postal_address.is_not(None),
                Invitation.token_hash.is_not(None),
                Invitation.short_code_hash.is_not(None),
                Invitation.send_error.is_not(None),
            ),
        )
        .values(
            recipient_name="",
            recipient_email=None,
            recipient_mobile=None,
            postal_address=None,
            token_hash=None,
            short_code_hash=None,
            send_error=None,
        )
    )
    counts.meeting_qrs = _rowcount(
        sa.update(MeetingQR)
        .where(MeetingQR.review_id.in_(old_reviews), MeetingQR.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    counts.reviews = _rowcount(
        sa.update(Review)
        .where(Review.review_date < cutoff, Review.venue != "")
        .values(venue="", version_id=Review.version_id + 1)
    )
    counts.children = _anonymise_children(cutoff)
    # An anonymised child's contacts go with their name (now or on any earlier run).
    anonymised = sa.select(Child.id).where(Child.case_ref.startswith(PURGED_CASE_REF_PREFIX))
    counts.contacts = _rowcount(sa.delete(Contact).where(Contact.child_id.in_(anonymised)))
    if outbox is not None:
        counts.outbox_files = outbox.run(now)
    counts.staff_sessions = _rowcount(sa.delete(StaffSession).where(sessions.dead(now)))
    audit.record("data_purged", None, **asdict(counts))
    return counts


def kept_answers(form_key: str, answers: dict[str, Any]) -> dict[str, Any]:
    """What purge keeps of a response's answers: option keys and scores; text as `true`.

    A key the form no longer has is dropped: it might have held text.
    """
    form = catalogue().get(form_key)
    kept: dict[str, Any] = {}
    for key, value in answers.items():
        question = form.question(key) if form else None
        if question is None:
            continue
        if question.type != "text":
            kept[key] = value
        elif isinstance(value, str) and value.strip():
            kept[key] = True  # still counts as answered in feedback results
    return kept


def _strip_responses(in_scope: sa.ColumnElement[bool], now: dt.datetime) -> int:
    """Remove free text from responses in scope not yet purged; returns how many."""
    rows = db.session.execute(
        sa.select(
            Response.id,
            Response.form_key,
            Response.source,
            Response.submitted_at,
            Response.language,
            Response.answers,
            Response.fingerprint,
        ).where(in_scope, Response.purged_at.is_(None))
    ).all()
    for row in rows:
        stored = row.fingerprint
        if row.source == "import" and stored is None:
            # Imported before fingerprints: take it now, while the row still says what the file did.
            stored = fingerprint(row.form_key, row.submitted_at.date(), row.language, row.answers)
        db.session.execute(
            sa.update(Response)
            .where(Response.id == row.id)
            .values(
                answers=kept_answers(row.form_key, row.answers or {}),
                text_languages={},
                translations=None,  # a translation is the free text in other words (ADR 0062)
                untranslated_text=False,
                fingerprint=stored,
                purged_at=now,
            ),
            execution_options={"synchronize_session": False},
        )
    return len(rows)


@dataclass(frozen=True)
class OutboxPurge:
    """Which outbox files are past retention: our .eml files and temporary files a crash left."""

    directory: Path
    retention_days: int
    dry_run: bool = False

    def run(self, now: dt.datetime) -> int:
        """Remove (or, in a dry run, count) the files older than the retention."""
        cutoff = (now - dt.timedelta(days=self.retention_days)).timestamp()
        stale = [path for path in self._ours() if path.stat().st_mtime < cutoff]
        if not self.dry_run:
            for path in stale:
                path.unlink(missing_ok=True)
        return len(stale)

    def _ours(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return [
            Path(entry.path)
            for entry in os.scandir(self.directory)
            if entry.is_file(follow_symlinks=False)
            and entry.name.endswith((".eml", f".eml{OUTBOX_TEMPORARY_SUFFIX}"))
        ]


def _anonymise_children(cutoff: dt.date) -> int:
    """Anonymise children whose every review is older than the cutoff (none recent, at least one)."""
    recent = sa.select(Review.child_id).where(Review.review_date >= cutoff)
    any_review = sa.select(Review.child_id)
    rows = db.session.execute(
        sa.select(Child.id, Child.date_of_birth).where(
            Child.id.in_(any_review),
            Child.id.not_in(recent),
            ~Child.case_ref.startswith(PURGED_CASE_REF_PREFIX),
        )
    ).all()
    for child_id, born in rows:
        # The year of birth is kept so counts by age band still come out roughly right.
        db.session.execute(
            sa.update(Child)
            .where(Child.id == child_id)
            .values(
                first_name="",
                case_ref=f"{PURGED_CASE_REF_PREFIX}{child_id}",
                date_of_birth=dt.date(born.year, 1, 1),
                version_id=Child.version_id + 1,
            )
        )
    return len(rows)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _rowcount(statement: sa.Executable) -> int:
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Report what would be purged, change nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete stale drafts and outbox files, anonymise everything older than the retention."""
    config = current_app.config
    outbox = OutboxPurge(
        Path(config["OUTBOX_DIR"]), int(config["OUTBOX_RETENTION_DAYS"]), dry_run=dry_run
    )
    counts = purge(
        retention_days=int(config["RETENTION_DAYS"]),
        draft_retention_days=int(config["DRAFT_RETENTION_DAYS"]),
        outbox=outbox,
    )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "Would purge" if dry_run else "Purged"
    click.echo(f"{verb}: " + ", ".join(f"{name} {value}" for name, value in asdict(counts).items()))
