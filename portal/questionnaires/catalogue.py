"""The loaded forms, and which form a given invitation should get."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from portal.questionnaires.schema import FormDefinition


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def age_band(date_of_birth: dt.date, on: dt.date, *, care_leaver: bool = False) -> str:
    """The wording band for a child or young person on a date.

    Care leavers are always 16-25; children 18 and over who are still cared for get 12-17
    wording. The youngest band is 4-7: a child under 4 on the review date gets no form of their
    own (rules/invitations.gets_no_form; coded PN0). A form that reaches one anyway (a link
    made before that rule, a meeting QR code) reads the 4-7 wording rather than failing.
    """
    if care_leaver:
        return "16-25"
    age = age_on(date_of_birth, on)
    if age <= 7:
        return "4-7"
    if age <= 11:
        return "8-11"
    return "12-17"


@dataclass(frozen=True)
class FormCatalogue:
    """All form definitions, keyed by form key."""

    forms: dict[str, FormDefinition]

    def __iter__(self) -> Iterator[FormDefinition]:
        return iter(self.forms.values())

    def __contains__(self, key: object) -> bool:
        return key in self.forms

    def get(self, key: str) -> FormDefinition | None:
        return self.forms.get(key)

    def matching(self, stage: str, role: str, review_kind: str) -> list[FormDefinition]:
        """Forms for a stage, role and review kind: the most specific first, then by key.

        A form written for one role (parent_feedback) comes before a form for everyone
        (meeting_feedback), so adding a role to a general form never changes anyone's default.
        """
        return sorted(
            (
                form
                for form in self.forms.values()
                if form.stage == stage and role in form.roles and review_kind in form.review_kinds
            ),
            key=lambda form: (len(form.roles), form.key),
        )

    def choose(self, stage: str, role: str, review_kind: str) -> FormDefinition | None:
        """The default form for an invitation (the first of `matching`), or None."""
        found = self.matching(stage, role, review_kind)
        return found[0] if found else None
