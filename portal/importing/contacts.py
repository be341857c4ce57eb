"""`portal import contacts FILE.csv`: the people to invite for each child.

One row per person: a row replaces the contact with the same (case_ref, role, name), so a file
exported again from the case system updates addresses without adding anyone twice; contacts not
in the file stay. The child must already be in the portal (`portal import reviews` brings them).
Checking and saving are two steps, as in `portal import reviews` (docs/adr/0054, 0058): `plan_import`
says what would change without writing, `import_contacts` saves all of it or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update

from portal.extensions import db
from portal.importing.csvfile import (
    NOTHING_CHANGED,
    ImportCounts,
    Progress,
    checked_rows,
    choice,
    single_line_problems,
)
from portal.importing.writer import commit_import, insert_rows
from portal.models import ROLES, Child, Contact, utcnow
from portal.rules.mobile import uk_mobile
from portal.rules.retention import PURGED_CASE_REF_PREFIX
from portal.rules.text import postal_address

# Every column and what it holds: `portal import contacts --help` prints this, so it cannot drift.
COLUMNS = {
    "case_ref": "required: the child's case reference (the child must be in the portal)",
    "role": f"required: {', '.join(ROLES)}",
    "name": "required: the person's name as a letter is addressed (up to 120 characters)",
    "email": "may be empty: where emailed forms go (Prepare then proposes email)",
    "postal_address": "may be empty: one cell, lines as Excel keeps them (Prepare: post)",
    "language": "may be empty: their language code, e.g. en, cy, ar, fa_AF",
    "phone": "optional column: a phone number, for the team's chasing",
    "mobile": "optional column: a UK mobile (07...), for texts (Prepare then proposes a text)",
}
REQUIRED = ("case_ref", "role", "name", "email", "postal_address", "language")
OPTIONAL = ("phone", "mobile")
SINGLE_LINE = ("case_ref", "role", "name", "email", "language", "phone", "mobile")
PHONE_CHARACTERS = frozenset("0123456789 +()-")
FIELDS = ("name", "email", "postal_address", "language", "phone", "mobile")


@dataclass(frozen=True, slots=True)
class ContactRow:
    line: int
    child_id: int
    role: str
    name: str
    email: str | None
    postal_address: str | None
    language: str | None
    phone: str | None
    mobile: str | None  # E.164

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.child_id, self.role, self.name.casefold())

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class ContactImportSummary(ImportCounts):
    new: int = 0
    replaced: int = 0  # contacts whose details the file changes

    def line(self) -> str:
        text = f"{self.new} new contacts, {self.replaced} replaced, {self.unchanged} unchanged"
        return text + (NOTHING_CHANGED if self.read and self.changes_nothing else "")


@dataclass
class Plan:
    summary: ContactImportSummary
    new: list[ContactRow] = field(default_factory=list)
    replaced: dict[int, ContactRow] = field(default_factory=dict)  # contact id -> its new values


def email_address(text: str) -> tuple[str | None, str | None]:
    """The address in lower case, or why it is not one (blank is fine: no email)."""
    if not text:
        return None, None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None, f"email {text!r} is not an email address"
    return text.lower(), None


def _parse(
    line: int, values: dict[str, str], children: dict[str, int], languages: tuple[str, ...]
) -> tuple[ContactRow | None, list[str]]:
    problems = single_line_problems(values, SINGLE_LINE)
    case_ref, name = values["case_ref"], values["name"]
    child_id = children.get(case_ref)
    if not case_ref:
        problems.append("case_ref is blank")
    elif child_id is None:
        problems.append(
            f"case_ref {case_ref!r} is not a child in the portal (import reviews first)"
        )
    role = choice(values["role"], ROLES)
    if role is None:
        problems.append(f"role {values['role'] or 'blank'!r} is not one of {'|'.join(ROLES)}")
    if not name:
        problems.append("name is blank")
    elif len(name) > 120:
        problems.append("name is longer than 120 characters")
    email, problem = email_address(values["email"])
    address, address_problem = postal_address(values["postal_address"])
    problems += [text for text in (problem, address_problem) if text]
    language = values["language"]
    if language:
        language = choice(language.replace("-", "_"), languages) or ""
        if not language:
            problems.append(f"language {values['language']!r} is not a supported language")
    phone = values.get("phone", "")
    if phone and (len(phone) > 40 or not PHONE_CHARACTERS.issuperset(phone)):
        problems.append(f"phone {phone!r} is not a phone number (digits, spaces, + ( ) -)")
    mobile, mobile_problem = uk_mobile(values.get("mobile", ""))
    if mobile_problem:
        problems.append(f"mobile {values['mobile']!r} {mobile_problem}")
    if problems:
        return None, problems
    contact = ContactRow(
        line=line,
        child_id=child_id,  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
        name=name,
        email=email,
        postal_address=address,
        language=language or None,
        phone=phone or None,
        mobile=mobile,
    )
    return contact, []


def _check_rows(path: Path, progress: Progress | None) -> list[ContactRow]:
    languages = tuple(current_app.config["LANGUAGES"])
    children = {
        case_ref: child_id
        for case_ref, child_id in db.session.execute(select(Child.case_ref, Child.id))
        if not case_ref.startswith(PURGED_CASE_REF_PREFIX)
    }
    seen: dict[tuple[int, str, str], int] = {}

    def check(line: int, values: dict[str, str]) -> tuple[ContactRow | None, list[str]]:
        row, row_problems = _parse(line, values, children, languages)
        if row is not None:
            first = seen.setdefault(row.key, line)
            if first != line:
                row_problems = [f"repeats line {first} (same case_ref, role and name)"]
        return row, row_problems

    return checked_rows(check, path, REQUIRED, OPTIONAL, progress, excel=True)


def plan_import(path: Path, progress: Progress | None = None) -> Plan:
    """What importing `path` would do, or ImportError_ listing every bad row. Writes nothing."""
    rows = _check_rows(path, progress)
    plan = Plan(ContactImportSummary(read=len(rows)))
    child_ids = sorted({row.child_id for row in rows})
    known: dict[tuple[int, str, str], Contact] = {}
    for start in range(0, len(child_ids), 5_000):
        for contact in db.session.execute(
            select(Contact).where(Contact.child_id.in_(child_ids[start : start + 5_000]))
        ).scalars():
            known[(contact.child_id, contact.role, contact.name.casefold())] = contact
    for row in rows:
        contact = known.get(row.key)
        if contact is None:
            plan.new.append(row)
            plan.summary.new += 1
        elif any(getattr(contact, name) != value for name, value in row.values().items()):
            plan.replaced[contact.id] = row
            plan.summary.replaced += 1
        else:
            plan.summary.unchanged += 1
    return plan


def import_contacts(
    path: Path, progress: Progress | None = None, saving: Progress | None = None
) -> ContactImportSummary:
    """Check the whole file, then save every new and replaced contact in one transaction."""
    plan = plan_import(path, progress)
    if not plan.new and not plan.replaced:
        return plan.summary
    now = utcnow()
    insert_rows(
        Contact.__table__,
        [
            {"child_id": row.child_id, "role": row.role, **row.values(), "updated_at": now}
            for row in plan.new
        ],
        saving,
    )
    for contact_id, row in plan.replaced.items():
        db.session.execute(
            update(Contact).where(Contact.id == contact_id).values(**row.values(), updated_at=now),
            execution_options={"synchronize_session": False},
        )
    return commit_import("contacts_imported", plan.summary)
