"""What every import knows about people: children matched by case_ref (and contradictions in
their name or birth date), and IROs matched by email (an unknown one becomes an inactive account).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

from sqlalchemy import select

from portal.extensions import db
from portal.models import Child, StaffUser
from portal.staff import audit

# A child created by an import with no date of birth: shown as unknown, never used for an age band
# without someone correcting it (see docs/adr/0010).
UNKNOWN_BIRTH_DATE = dt.date(1900, 1, 1)
# Care leavers have pathway plan reviews up to 25 (DOMAIN.md); nobody older has a review here.
OLDEST_AGE = 25


class ChildRow(Protocol):
    """The fields of an import row that describe its child."""

    @property
    def line(self) -> int: ...
    @property
    def case_ref(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def date_of_birth(self) -> dt.date | None: ...


def age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def birth_problems(born: dt.date | None, review_date: dt.date) -> list[str]:
    """A birth date after the review, or one making the young person too old for a review."""
    if born and born > review_date:
        return [f"date_of_birth {born} is after review_date {review_date}"]
    if born and age(born, review_date) > OLDEST_AGE:
        return [
            f"date_of_birth {born} makes the young person older than {OLDEST_AGE} at the review"
        ]
    return []


def email_problem(name: str, value: str) -> str | None:
    """`iro '…' is not an email address` for a value that cannot be one (blank is fine)."""
    email = value.lower()
    if email and ("@" not in email or len(email) > 254 or " " in email):
        return f"{name} {value!r} is not an email address"
    return None


class ChildrenSeen:
    """What the file and the database say about each case_ref's child, to catch contradictions.

    A blank first name or date of birth says nothing; names differing only in case agree.
    """

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, int]] = {}
        self.births: dict[str, tuple[dt.date, int]] = {}

    @cached_property
    def recorded(self) -> dict[str, tuple[str, dt.date]]:
        """Children already in the database (read once, when the first good row needs them)."""
        return {
            case_ref: (name.casefold(), born)
            for case_ref, name, born in db.session.execute(
                select(Child.case_ref, Child.first_name, Child.date_of_birth)
            )
        }

    def problems(self, row: ChildRow) -> list[str]:
        problems = []
        name, born = row.first_name.casefold(), row.date_of_birth
        recorded_name, recorded_born = self.recorded.get(row.case_ref, ("", UNKNOWN_BIRTH_DATE))
        if name and recorded_name and name != recorded_name:
            problems.append("first_name differs from the child already recorded with this case_ref")
        if born and recorded_born != UNKNOWN_BIRTH_DATE and born != recorded_born:
            problems.append(
                "date_of_birth differs from the child already recorded with this case_ref"
            )
        if name:
            first_name, line = self.names.setdefault(row.case_ref, (name, row.line))
            if first_name != name:
                problems.append(f"first_name differs from line {line} for the same case_ref")
        if born:
            first_born, line = self.births.setdefault(row.case_ref, (born, row.line))
            if first_born != born:
                problems.append(f"date_of_birth differs from line {line} for the same case_ref")
        return problems


def staff_ids(emails: Iterable[str]) -> dict[str, int]:
    """Every staff id by email, creating an inactive IRO (audited) for each email not yet known.

    An admin activates the account later; until then the IRO's reviews are theirs on paper.
    """
    known = dict(db.session.execute(select(StaffUser.email, StaffUser.id)).all())
    for email in sorted(set(emails) - set(known)):
        user = StaffUser(email=email, role="iro", active=False, password_hash=None)
        db.session.add(user)
        db.session.flush()
        audit.record("user_created", user, role="iro", via="import", active=False)
        known[email] = user.id
    return known
