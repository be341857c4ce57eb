"""What each kind of safeguarding alert is called (`SafeguardingAlert.reason`), said once for the
team's pages and the alert email so that none of them can call it something else.

The email is in English like all the team's mail, and says what kind of alert it is, never what
was written or chosen (ADR 0066).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ReasonLabels:
    tag: LazyString | None  # the tag beside the alert on the team's pages; an answer needs none
    tag_class: str
    email_opening: str
    email_subject_note: str = ""


# Keyed by every one of portal.models.ALERT_REASONS.
REASON_LABELS: dict[str, ReasonLabels] = {
    "help": ReasonLabels(
        tag=_l("asked for help"),
        tag_class="tag tag--red",
        email_opening='A young person pressed "Tell my IRO I need help" on their review form.',
        email_subject_note=" (asked for help)",
    ),
    "words": ReasonLabels(
        tag=_l("Words to read"),
        tag_class="tag",
        email_opening="Someone wrote something on a safety question of a review form: a person "
        "needs to read their words.",
    ),
    "answer": ReasonLabels(
        tag=None,
        tag_class="",
        email_opening="A safeguarding alert has been raised from a review form.",
    ),
}
