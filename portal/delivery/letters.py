"""Printable letters: one A4 page per invitation, in the recipient's language plus English, with
a QR code and short code. Printing issues each letter a fresh link (ADR 0030).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.delivery.paper_forms import paper_form_html
from portal.delivery.qr import qr_svg
from portal.extensions import db
from portal.languages.i18n import html_lang, text_direction
from portal.models import Invitation, Review, StaffUser, utcnow
from portal.rules import outcomes, settings
from portal.rules.invitations import Link, issue_link
from portal.rules.reply_by import reply_by
from portal.rules.roles import is_young_person
from portal.rules.settings import TeamContact
from portal.staff import audit
from portal.staff.access import visible_reviews

PRINTABLE_CHANNELS = ("post", "hand", "qr")


@dataclass(frozen=True)
class Letter:
    invitation: Invitation
    link: Link
    qr: Markup
    texts: list[dict[str, Any]]  # [{lang, dir, html}] recipient's language first, then English
    message: Markup | None = None  # the IRO's message, a page of its own (young person only)
    paper_form: Markup | None = None  # the form to fill in by hand, after the letter
    team: TeamContact = field(default_factory=TeamContact)  # the letterhead, return address


def outcome_html(
    review: Review, language: str | None = None, *, title_level: int = 2
) -> Markup | None:
    """The IRO's message laid out in the young person's band, in their language or `language`
    (None: no message). The young person's page and the printed copies share this partial.
    """
    outcome = review.outcome
    if outcome is None or not outcomes.has_words(outcome):
        return None
    theirs = outcomes.message_language(review)
    language = language or theirs
    translation = outcomes.translation_in(outcome, language)
    with force_locale(language):
        html = render_template(
            "letters/_outcome.html",
            outcome=outcome,
            translation=translation,
            # Only in their own language is a translated copy promised.
            pending=language == theirs and language != "en" and translation is None,
            original_lang="en" if language != "en" else None,
            band=outcomes.band(review),
            first_name=review.child.first_name,
            iro_name=review.iro.display_name if review.iro else "",
            headings=outcomes.HEADINGS,
            pictures=outcomes.PICTURES,
            picture_band=outcomes.PICTURE_BAND,
            title_level=title_level,
        )
    return Markup(  # noqa: S704  (rendered by autoescaping Jinja)
        f'<div class="outcome" lang="{html_lang(language)}" dir="{text_direction(language)}">'
        f"{html}</div>"
    )


def _text(
    invitation: Invitation,
    link: Link,
    language: str,
    team: TeamContact,
    reply_on: dt.date | None,
    has_message: bool,
) -> dict[str, Any]:
    with force_locale(language):
        html = render_template(
            "letters/_text.html",
            invitation=invitation,
            review=invitation.review,
            child_name=invitation.review.child.first_name,
            for_young_person=is_young_person(invitation.role),
            has_message=has_message,
            link=link,
            team=team,
            reply_by=reply_on,
        )
    return {"lang": html_lang(language), "dir": text_direction(language), "html": Markup(html)}  # noqa: S704


def build(invitations: list[Invitation], *, paper_forms: bool = False) -> list[Letter]:
    """Issue a fresh link for each invitation and lay out its letter; marks them sent.

    With `paper_forms`, each letter is followed by the form to fill in by hand, carrying the
    same code (one link per printout: the letter and its form never disagree).
    """
    now = utcnow()
    team = settings.team_contact()
    printed_on = now.date()
    letters = []
    for invitation in invitations:
        link = issue_link(invitation, now)
        if invitation.sent_at is None:
            invitation.sent_at = now
        languages = [invitation.language] + (["en"] if invitation.language != "en" else [])
        qr = qr_svg(link.url, "QR code that opens the form")
        reply_on = reply_by(invitation, printed_on)
        has_message = outcomes.message_for(invitation) is not None  # once, not per language
        letters.append(
            Letter(
                invitation=invitation,
                link=link,
                qr=qr,
                texts=[
                    _text(invitation, link, language, team, reply_on, has_message)
                    for language in languages
                ],
                message=outcome_html(invitation.review) if has_message else None,
                paper_form=(
                    paper_form_html(invitation, link=link, qr=qr, team=team)
                    if paper_forms
                    else None
                ),
                team=team,
            )
        )
        outcomes.record_sent(invitation.review, now)
    if invitations:
        ids = [inv.id for inv in invitations]
        audit.record("letters_printed", None, invitations=ids, count=len(letters))
        if paper_forms:
            audit.record("paper_forms_printed", None, invitations=ids, count=len(letters))
    return letters


def _printable(user: StaffUser) -> Any:
    return (
        visible_reviews(user, select(Invitation).join(Review))
        # The IRO's message too: each letter asks whether it carries one (not a query a letter).
        .options(
            joinedload(Invitation.review).options(
                joinedload(Review.child), joinedload(Review.outcome)
            )
        )
        .where(
            Invitation.returned_at.is_(None),
            Invitation.revoked_at.is_(None),
            Review.status != "stood_down",
        )
        .order_by(Invitation.due_at, Invitation.review_date, Invitation.id)
    )


# Posted letters, and children's letters an IRO takes on a visit.
DUE_CHANNELS = ("post", "hand")


def due_this_week(user: StaffUser, today: dt.date) -> list[Invitation]:
    """Postal and by-hand invitations not yet printed that are due by the end of this week."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    query = _printable(user).where(
        Invitation.channel.in_(DUE_CHANNELS),
        Invitation.sent_at.is_(None),
        Invitation.due_at.is_not(None),
        Invitation.due_at <= week_end,
    )
    return list(db.session.execute(query).unique().scalars())


def for_review(user: StaffUser, review_id: int, ids: list[int] | None = None) -> list[Invitation]:
    """A review's printable invitations (post, by hand, QR), or the chosen ones among them."""
    query = _printable(user).where(
        Invitation.review_id == review_id, Invitation.channel.in_(PRINTABLE_CHANNELS)
    )
    if ids:
        query = query.where(Invitation.id.in_(ids))
    return list(db.session.execute(query).unique().scalars())
