"""How a child took part in their review: the DfE SSDA903 participation codes, which codes a
child's age allows, and the code to suggest. The one home for the under-4 rule: a
child under 4 on the review date gets no form of their own and is coded PN0.

No Flask request code: the mark-held screen, `portal import reviews` and the participation
report all read it.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from portal.models import PARTICIPATION_CODES, STAND_DOWN_REASONS
from portal.questionnaires.catalogue import age_on

UNDER_FOUR = "PN0"
# The codes where the child's views reached the review (the participation rate's numerator).
TOOK_PART = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")
FACILITATIVE_MEDIUM = "PN6"  # did not attend, views conveyed another way (e.g. a returned form)
STAND_DOWN_NOTE_MAX = 200  # the column's length (Review.stood_down_note)

CODE_LABELS = {
    "PN0": _l("PN0: child aged under 4 at the time of the review"),
    "PN1": _l("PN1: child physically attends and speaks for themselves"),
    "PN2": _l("PN2: child physically attends and an advocate speaks on their behalf"),
    "PN3": _l("PN3: child attends and conveys their view symbolically (non-verbally)"),
    "PN4": _l(
        "PN4: child physically attends but does not speak for themselves, does not convey their "
        "view symbolically and does not ask an advocate to speak for them"
    ),
    "PN5": _l("PN5: child does not attend physically but briefs an advocate to speak for them"),
    "PN6": _l(
        "PN6: child does not attend but conveys their feelings by a facilitative medium "
        "(for example a form returned through this portal)"
    ),
    "PN7": _l("PN7: child does not attend, nor are their views conveyed"),
}
assert tuple(CODE_LABELS) == PARTICIPATION_CODES

STAND_DOWN_REASON_LABELS = {
    "child_unwell": _l("The child or young person was unwell"),
    "family_unavailable": _l("Family or carers could not attend"),
    "iro_unavailable": _l("The IRO was not available"),
    "placement_move": _l("Placement move or change of plan"),
    "social_worker_unavailable": _l("The social worker was not available"),
    "other": _l("Other"),
}
assert tuple(STAND_DOWN_REASON_LABELS) == STAND_DOWN_REASONS


def is_under_four(date_of_birth: dt.date, on: dt.date) -> bool:
    """Whether a child is under 4 on a date (the review date): no form, coded PN0."""
    return age_on(date_of_birth, on) < 4


def allowed_codes(date_of_birth: dt.date, review_date: dt.date) -> tuple[str, ...]:
    """PN0 and nothing else for a child under 4 on the review date; PN1-PN7 otherwise."""
    if is_under_four(date_of_birth, review_date):
        return (UNDER_FOUR,)
    return tuple(code for code in PARTICIPATION_CODES if code != UNDER_FOUR)


def code_problem(code: str, date_of_birth: dt.date, review_date: dt.date) -> str | None:
    """Why a code cannot be recorded for this child and review date, or None when it can."""
    if code not in PARTICIPATION_CODES:
        return str(_l("Participation must be one of PN0 to PN7"))
    if code in allowed_codes(date_of_birth, review_date):
        return None
    if code == UNDER_FOUR:
        return str(_l("PN0 is only for a child under 4 on the review date"))
    return str(_l("A child under 4 on the review date is coded PN0"))


def suggested_code(
    date_of_birth: dt.date, review_date: dt.date, *, attended: bool, form_returned: bool
) -> str | None:
    """The code to preselect: PN0 under 4; PN6 when the child stayed away but their form came back."""
    if is_under_four(date_of_birth, review_date):
        return UNDER_FOUR
    if not attended and form_returned:
        return FACILITATIVE_MEDIUM
    return None


def held_on_problem(held_on: dt.date, review_date: dt.date, today: dt.date) -> str | None:
    """Why a held date cannot be recorded: before the review date or in the future."""
    if held_on > today:
        return str(_l("The date the review was held must be today or in the past"))
    if held_on < review_date:
        return str(_l("The date the review was held must be on or after the review date"))
    return None


def saw_child_problem(saw_on: dt.date, held_on: dt.date, today: dt.date) -> str | None:
    """Why the date the IRO saw the child cannot be recorded (future, or after the review)."""
    if saw_on > today:
        return str(_l("The date the IRO saw the child must be today or in the past"))
    if saw_on > held_on:
        return str(_l("The date the IRO saw the child must be on or before the date it was held"))
    return None


def stand_down_problem(reason: str | None, note: str) -> str | None:
    """Why a stand-down reason cannot be recorded: unknown, or "other" without a short note."""
    if reason not in STAND_DOWN_REASONS:
        return str(_l("Choose why the review was stood down"))
    if reason == "other" and not note.strip():
        return str(_l("Say why the review was stood down"))
    if len(note) > STAND_DOWN_NOTE_MAX:
        return str(_l("The reason must be 200 characters or fewer"))
    return None
