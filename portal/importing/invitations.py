"""`portal import invitations FILE.csv`: forms sent and returned, from a spreadsheet or old system.

Creates children, reviews and (inactive) IRO accounts as needed. Rows are matched on case_ref,
review_kind, review_date, stage, role and recipient, so re-importing a file changes nothing; a
later file may add a return date to a row that had none (never removes one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from portal.extensions import db
from portal.importing.csvfile import (
    DateCache,
    ImportSummary,
    Progress,
    at_noon,
    checked_rows,
    date_range_problems,
    single_line_problems,
)
from portal.importing.people import (
    UNKNOWN_BIRTH_DATE,
    ChildrenSeen,
    birth_problems,
    email_problem,
    staff_ids,
)
from portal.importing.writer import commit_import, insert_rows
from portal.models import (
    CHANNELS,
    RETURN_CHANNELS,
    REVIEW_KINDS,
    ROLES,
    STAGES,
    Child,
    Invitation,
    Review,
    utcnow,
)
from portal.questionnaires import catalogue
from portal.rules.dates import today
from portal.rules.invitations import PARTICIPANTS
from portal.rules.roles import YOUNG_PERSON_ROLES, is_young_person

REQUIRED = (
    "case_ref",
    "review_kind",
    "review_date",
    "stage",
    "role",
    "sent_on",
    "returned_on",
    "channel",
    "language",
    "iro",
)
OPTIONAL = ("recipient", "return_channel", "first_name", "date_of_birth")
HEADER_FIELDS = [*REQUIRED, "recipient", "return_channel"]
# Cells that reach email headers, letters, log lines and CSV exports: one line each.
SINGLE_LINE = ("case_ref", "iro", "recipient", "first_name")
_CHOICES = {
    "review_kind": REVIEW_KINDS,
    "stage": STAGES,
    "role": ROLES,
    "channel": CHANNELS,
}


@dataclass(frozen=True, slots=True)
class InvitationRow:
    line: int
    case_ref: str
    review_kind: str
    review_date: dt.date
    stage: str
    role: str
    sent_on: dt.date
    returned_on: dt.date | None
    channel: str
    language: str
    iro: str
    recipient: str
    return_channel: str
    first_name: str
    date_of_birth: dt.date | None

    @property
    def review_key(self) -> tuple[str, str, dt.date]:
        return (self.case_ref, self.review_kind, self.review_date)

    @property
    def key(self) -> tuple[Any, ...]:
        return (*self.review_key, self.stage, self.role, self.recipient)


def _parse(
    line: int, values: dict[str, str], dates: DateCache, languages: set[str]
) -> tuple[InvitationRow | None, list[str]]:
    problems = single_line_problems(values, SINGLE_LINE)
    for name, allowed in _CHOICES.items():
        if values[name] not in allowed:
            shown = values[name] or "blank"
            problems.append(f"{name} {shown!r} is not one of {'|'.join(allowed)}")
    parsed = dates.parse_columns(
        values,
        ("review_date", "sent_on", "returned_on", "date_of_birth"),
        problems,
        optional=("returned_on", "date_of_birth"),
    )
    case_ref = values["case_ref"]
    if not case_ref:
        problems.append("case_ref is blank")
    elif len(case_ref) > 40:
        problems.append("case_ref is longer than 40 characters")
    if values["language"] not in languages:
        problems.append(f"language {values['language'] or 'blank'!r} is not a supported language")
    iro = values["iro"].lower()
    iro_problem = email_problem("iro", values["iro"])
    if iro_problem:
        problems.append(iro_problem)
    return_channel = values.get("return_channel") or "paper"
    if return_channel not in RETURN_CHANNELS:
        problems.append(f"return_channel {return_channel!r} is not one of online|paper")
    if len(values.get("recipient", "")) > 120:
        problems.append("recipient is longer than 120 characters")
    sent, returned = parsed.get("sent_on"), parsed.get("returned_on")
    if sent and returned and returned < sent:
        problems.append("returned_on is before sent_on")
    if problems:
        return None, problems
    row = InvitationRow(
        line,
        case_ref,
        values["review_kind"],
        parsed["review_date"],
        values["stage"],  # type: ignore[arg-type]
        values["role"],
        sent,
        returned,
        values["channel"],
        values["language"],
        iro,  # type: ignore[arg-type]
        values.get("recipient", ""),
        return_channel,
        values.get("first_name", "")[:80],
        parsed.get("date_of_birth"),
    )
    problems = _impossible(row)
    return (None, problems) if problems else (row, [])


def _impossible(row: InvitationRow) -> list[str]:
    """Well-formed values that cannot all be true together."""
    problems = date_range_problems(
        {"review_date": row.review_date, "sent_on": row.sent_on, "returned_on": row.returned_on}
    )
    if row.stage == "consultation" and row.sent_on > row.review_date:
        problems.append(
            f"sent_on {row.sent_on} is after review_date {row.review_date} "
            "(a consultation is sent before the review)"
        )
    if row.stage == "feedback" and row.sent_on < row.review_date:
        problems.append(
            f"sent_on {row.sent_on} is before review_date {row.review_date} "
            "(a feedback form is sent after the review)"
        )
    allowed = PARTICIPANTS[(row.stage, row.review_kind)]
    if row.role in YOUNG_PERSON_ROLES and row.role not in allowed:
        own = next(role for role in allowed if role in YOUNG_PERSON_ROLES)
        problems.append(
            f"role {row.role} is not invited to a {row.review_kind} review "
            f"(the young person's role there is {own})"
        )
    problems.extend(birth_problems(row.date_of_birth, row.review_date))
    return problems


def check_file(path: Path, progress: Progress | None = None) -> list[InvitationRow]:
    """Every row parsed, or ImportError_ listing every bad row."""
    languages = set(current_app.config["LANGUAGES"])
    dates = DateCache()
    seen: dict[tuple[Any, ...], int] = {}
    review_iro: dict[tuple[str, str, dt.date], tuple[str, int]] = {}
    children = ChildrenSeen()

    def check(line: int, values: dict[str, str]) -> tuple[InvitationRow | None, list[str]]:
        row, row_problems = _parse(line, values, dates, languages)
        if row is not None:
            row_problems = children.problems(row)
        if row is None or row_problems:
            return row, row_problems
        first = seen.setdefault(row.key, line)
        if first != line:
            return row, [
                f"repeats line {first} (same case_ref, review_kind, review_date, stage, role "
                "and recipient)"
            ]
        iro_seen = review_iro.setdefault(row.review_key, (row.iro, line))
        if iro_seen[0] != row.iro:
            return row, [f"iro differs from line {iro_seen[1]} for the same review"]
        return row, []

    return checked_rows(check, path, REQUIRED, OPTIONAL, progress)


def _child_ids(rows: list[InvitationRow]) -> dict[str, int]:
    wanted: dict[str, InvitationRow] = {}
    for row in rows:
        wanted.setdefault(row.case_ref, row)
    known = dict(db.session.execute(select(Child.case_ref, Child.id)).all())
    now = utcnow()
    new = [
        {
            "case_ref": case_ref,
            "first_name": row.first_name,
            "date_of_birth": row.date_of_birth or UNKNOWN_BIRTH_DATE,
            "preferred_language": row.language if is_young_person(row.role) else "en",
            "created_at": now,
            "updated_at": now,
            "version_id": 1,
        }
        for case_ref, row in wanted.items()
        if case_ref not in known
    ]
    if new:
        insert_rows(Child.__table__, new)
        known = dict(db.session.execute(select(Child.case_ref, Child.id)).all())
    return known


def _review_ids(
    rows: list[InvitationRow], children: dict[str, int], staff: dict[str, int]
) -> dict[tuple[str, str, dt.date], int]:
    first = min(row.review_date for row in rows)
    last = max(row.review_date for row in rows)
    by_id = {child_id: case_ref for case_ref, child_id in children.items()}

    def load() -> dict[tuple[str, str, dt.date], int]:
        found = db.session.execute(
            select(Review.id, Review.child_id, Review.kind, Review.review_date).where(
                Review.review_date.between(first, last)
            )
        ).all()
        return {(by_id.get(c), kind, day): rid for rid, c, kind, day in found}  # type: ignore[misc]

    known = load()
    now = utcnow()
    new: dict[tuple[str, str, dt.date], dict[str, Any]] = {}
    for row in rows:
        if row.review_key in known or row.review_key in new:
            continue
        new[row.review_key] = {
            "child_id": children[row.case_ref],
            "kind": row.review_kind,
            "review_date": row.review_date,
            "venue": "",
            "iro_id": staff.get(row.iro) if row.iro else None,
            "status": "held" if row.review_date < today() else "scheduled",
            "created_at": now,
            "updated_at": now,
            "version_id": 1,
        }
    if new:
        insert_rows(Review.__table__, list(new.values()))
        known = load()
    return known


def import_invitations(
    path: Path, progress: Progress | None = None, saving: Progress | None = None
) -> ImportSummary:
    """Check the whole file, then create or update everything in one transaction."""
    rows = check_file(path, progress)
    summary = ImportSummary(read=len(rows))
    if not rows:
        return summary
    forms = catalogue()
    staff = staff_ids(row.iro for row in rows if row.iro)
    children = _child_ids(rows)
    reviews = _review_ids(rows, children, staff)
    first = min(row.review_date for row in rows)
    last = max(row.review_date for row in rows)
    existing = {
        (review_id, stage, role, recipient): (invitation_id, returned_at)
        for invitation_id, review_id, stage, role, recipient, returned_at in db.session.execute(
            select(
                Invitation.id,
                Invitation.review_id,
                Invitation.stage,
                Invitation.role,
                Invitation.recipient_name,
                Invitation.returned_at,
            ).where(Invitation.review_date.between(first, last))
        )
    }
    form_keys: dict[tuple[str, str, str], str] = {}
    now = utcnow()
    new: list[dict[str, Any]] = []
    returns: list[dict[str, Any]] = []
    for row in rows:
        review_id = reviews[row.review_key]
        found = existing.get((review_id, row.stage, row.role, row.recipient))
        if found is not None:
            invitation_id, returned_at = found
            if row.returned_on and returned_at is None:
                returns.append(
                    {
                        "ident": invitation_id,
                        "returned_at": at_noon(row.returned_on),
                        "return_channel": row.return_channel,
                    }
                )
                summary.updated += 1
            else:
                summary.unchanged += 1
            continue
        form_key = form_keys.get((row.stage, row.role, row.review_kind))
        if form_key is None:
            form = forms.choose(row.stage, row.role, row.review_kind)
            form_key = form_keys[(row.stage, row.role, row.review_kind)] = (
                form.key if form else f"{row.role}_{row.stage}"
            )
        new.append(
            {
                "review_id": review_id,
                "review_date": row.review_date,
                "review_kind": row.review_kind,
                "stage": row.stage,
                "role": row.role,
                "form_key": form_key,
                "recipient_name": row.recipient,
                "language": row.language,
                "channel": row.channel,
                "sent_at": at_noon(row.sent_on),
                "returned_at": at_noon(row.returned_on) if row.returned_on else None,
                "return_channel": row.return_channel if row.returned_on else None,
                "reminders_sent": 0,
                "send_attempts": 0,
                "created_at": now,
            }
        )
    insert_rows(Invitation.__table__, new, saving)
    if returns:
        table = Invitation.__table__
        from sqlalchemy import bindparam

        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("ident"))
            .values(
                returned_at=bindparam("returned_at"), return_channel=bindparam("return_channel")
            ),
            returns,
        )
    summary.created = len(new)
    return commit_import("invitations_imported", summary)
