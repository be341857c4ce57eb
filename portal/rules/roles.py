"""Who takes part in a review, and the words the team's screens and reports use for them.

The stored values (`portal.models.ROLES`, `REVIEW_KINDS`) are the database's; this module says
which of them are the young person the review is about, and what each is called on screen.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# The review is about them: their forms are picture-led, age-banded and in their own language.
YOUNG_PERSON_ROLES = ("child", "care_leaver")

ROLE_LABELS = {
    "child": _l("Child or young person"),
    "care_leaver": _l("Care leaver"),
    "parent": _l("Parent"),
    "carer": _l("Carer"),
    "health": _l("Health"),
    "education": _l("Education"),
    "guardian": _l("Children's guardian (Cafcass)"),
}
YOUNG_PERSON_LABEL = _l("Cared-for child / care leaver")  # the two roles on one report line

# The IRO team's own roles (portal.models.STAFF_ROLES).
STAFF_ROLE_LABELS = {
    "admin": _l("Business support (admin)"),
    "iro": _l("IRO"),
    "manager": _l("Manager (read only)"),
}

REVIEW_KIND_LABELS = {
    "cared_for": _l("Cared-for review (C4C)"),
    "pathway_plan": _l("Pathway plan review"),
}


def is_young_person(role: str | None) -> bool:
    """Whether a role is the child or care leaver the review is about (not an adult around them)."""
    return role in YOUNG_PERSON_ROLES
