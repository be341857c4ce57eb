"""The IRO's message "What happened at your review" to the young person.

One home for: the four guided headings and their limits, the reading-age hint, which invitation
carries the message (only the young person's own feedback link, never an adult's or a meeting QR
form), when the message counts as sent and opened, and whether it can still be changed.
No Flask request code: the team's screens, sending, letters and the respondent pages call it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Invitation, Review, ReviewOutcome, utcnow
from portal.questionnaires.catalogue import age_band, age_on
from portal.rules.roles import is_young_person

# The guided headings, in the order the young person reads them: (column, heading). The IRO's
# writing hints live with the staff screen (web/admin/outcomes.py): staff-only words.
HEADINGS: tuple[tuple[str, Any], ...] = (
    ("talked_about", _l("What we talked about")),
    ("decided", _l("What we decided")),
    ("next_steps", _l("What happens next")),
    ("who_to_talk_to", _l("Who you can talk to")),
)
PARTS = tuple(key for key, _heading in HEADINGS)
MAX_PART_LENGTH = 1200  # a short letter: about 200 words under each heading
# A picture beside each heading for the 4-7 band (the journey's own pictures).
PICTURES = {
    "talked_about": "img/talk.svg",
    "decided": "img/meeting.svg",
    "next_steps": "img/home.svg",
    "who_to_talk_to": "img/people/iro.svg",
}
PICTURE_BAND = "4-7"
FEEDBACK = "feedback"


def has_words(outcome: ReviewOutcome | None) -> bool:
    """Whether a message exists with anything written under a heading."""
    return outcome is not None and any((getattr(outcome, key) or "").strip() for key in PARTS)


def can_edit(outcome: ReviewOutcome | None) -> bool:
    """The IRO's words can change until the message has gone: the child never sees it shift."""
    return outcome is None or outcome.sent_at is None


def carries_message(role: str | None, stage: str | None, meeting_qr_id: int | None) -> bool:
    """Only the young person's own feedback invitation carries it (not adults, not a meeting QR)."""
    return is_young_person(role) and stage == FEEDBACK and meeting_qr_id is None


def young_persons_invitations(review: Review) -> list[Invitation]:
    """The review's feedback invitations that can carry the message (not withdrawn ones)."""
    return [
        invitation
        for invitation in review.invitations
        if carries_message(invitation.role, invitation.stage, invitation.meeting_qr_id)
        and invitation.revoked_at is None
    ]


def message_language(review: Review) -> str:
    """The young person's language: their feedback invitation's, else the child's preferred one."""
    for invitation in young_persons_invitations(review):
        return invitation.language
    return review.child.preferred_language or "en"


def band(review: Review) -> str:
    """The age band the young person's pages use on the review date (care leavers: 16-25)."""
    care_leaver = any(inv.role == "care_leaver" for inv in young_persons_invitations(review))
    return age_band(review.child.date_of_birth, review.review_date, care_leaver=care_leaver)


def message_for(invitation: Invitation) -> ReviewOutcome | None:
    """The message this invitation carries, or None (an adult's link, QR form, nothing written)."""
    if not carries_message(invitation.role, invitation.stage, invitation.meeting_qr_id):
        return None
    outcome = invitation.review.outcome
    return outcome if has_words(outcome) else None


def record_sent(review: Review, now: dt.datetime | None = None) -> bool:
    """Mark the message sent once it and a sent or printed young person's invitation both exist.

    Called when such an invitation is emailed or printed, and when the message is saved (their
    invitation may have gone first). True when this call set `sent_at`.
    """
    outcome = review.outcome
    if not has_words(outcome) or outcome.sent_at is not None:
        return False
    if not any(inv.sent_at is not None for inv in young_persons_invitations(review)):
        return False
    outcome.sent_at = now or utcnow()
    return True


def record_opened(review_id: int) -> None:
    """The first opening only: one conditional UPDATE, so two devices cannot both set it."""
    db.session.execute(
        update(ReviewOutcome)
        .where(ReviewOutcome.review_id == review_id, ReviewOutcome.opened_at.is_(None))
        .values(opened_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def find(review_id: int) -> ReviewOutcome | None:
    return db.session.execute(
        select(ReviewOutcome).where(ReviewOutcome.review_id == review_id)
    ).scalar_one_or_none()


def save_words(review: Review, words: dict[str, str], writer_id: int | None) -> ReviewOutcome:
    """Write or rewrite the message (the caller checked `can_edit`) and mark it sent if due."""
    outcome = review.outcome or ReviewOutcome(review=review)
    for key in PARTS:
        setattr(outcome, key, words.get(key, "").strip())
    outcome.written_by_id = writer_id
    db.session.add(outcome)
    record_sent(review)
    return outcome


def save_translation(
    outcome: ReviewOutcome, language: str, words: dict[str, str], staff_id: int | None
) -> None:
    """Keep a pasted translation beside the IRO's words (an empty paste removes it)."""
    cleaned = {key: words.get(key, "").strip() for key in PARTS}
    if not any(cleaned.values()):
        outcome.translation, outcome.translated_at, outcome.translated_by_id = None, None, None
        return
    outcome.translation = {"language": language, **cleaned}
    outcome.translated_at = utcnow()
    outcome.translated_by_id = staff_id


def translation_in(outcome: ReviewOutcome, language: str) -> dict[str, str] | None:
    """The pasted translation if it is in `language`, else None."""
    translation = outcome.translation or {}
    return translation if translation.get("language") == language else None


# --- Reading age: Flesch-Kincaid grade level, + 5 for a UK reading age ---

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+|\n\s*\n")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """A well-known estimate: vowel groups, less a silent final e; at least one."""
    word = word.lower().replace("'", "")
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


def reading_age(text: str) -> int | None:
    """The UK reading age of English text (Flesch-Kincaid grade + 5), or None if too short.

    A hint, not a verdict: the formula only counts sentence and word length.
    """
    words = _WORD.findall(text)
    if len(words) < 5:
        return None
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    syllable_count = sum(syllables(word) for word in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59
    return max(5, round(grade + 5))


@dataclass(frozen=True)
class ReadingHint:
    """What the writing screen says about the words' reading age against the child's age."""

    reading_age: int | None
    child_age: int
    fits: bool


def reading_hint(words: dict[str, str], date_of_birth: dt.date, on: dt.date) -> ReadingHint:
    """The reading age of the whole message beside the child's age (fits: not above it)."""
    text = "\n\n".join((words.get(key) or "").strip() for key in PARTS)
    child_age = age_on(date_of_birth, on)
    found = reading_age(text)
    return ReadingHint(found, child_age, found is None or found <= max(child_age, 7))
