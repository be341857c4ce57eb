"""`portal import reviews FILE.csv`: the review schedule (and held reviews) from the case system.

One row per review. A row with `review_ref` (the case system's own id) updates the review seen
before with that id: a new date or kind moves it with its invitations (rules/reviews.move_review),
a new IRO reassigns it. Without `review_ref` a review is (case_ref, review_kind, review_date), as
in `portal import invitations`. A row with `held_on` records the review as held, with its
participation code. Importing the same file twice changes nothing, and the summary says so.

Checking and saving are two steps: `plan_import` reads the file and the database and says what
would change (the admin upload screen's preview) without writing; `import_reviews` saves it all
in one transaction, or nothing when any row is wrong (docs/adr/0054).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from portal.extensions import db
from portal.importing.csvfile import (
    NOTHING_CHANGED,
    DateCache,
    ImportCounts,
    ImportError_,
    Progress,
    checked_rows,
    choice,
    date_range_problems,
    single_line_problems,
)
from portal.importing.people import ChildrenSeen, birth_problems, email_problem, staff_ids
from portal.importing.writer import commit_import, insert_rows
from portal.models import PARTICIPATION_CODES, REVIEW_KINDS, Child, Review, StaffUser, utcnow
from portal.rules.dates import today
from portal.rules.participation import UNDER_FOUR, code_problem, is_under_four
from portal.rules.reviews import mark_held, move_review
from portal.staff import audit

# Every column and what it holds: `portal import reviews --help` prints this, so it cannot drift.
COLUMNS = {
    "case_ref": "required: the child's case reference (up to 40 characters)",
    "first_name": "required: the child's first name or known-as name",
    "date_of_birth": "required: 2017-03-31 or 31/03/2017",
    "review_kind": f"required: {' or '.join(REVIEW_KINDS)}",
    "review_date": "required: the date of the review",
    "review_ref": "optional: the case system's id for the review; a new date or IRO moves it",
    "iro": "optional: the IRO's email (an unknown one becomes an inactive IRO account)",
    "language": "optional: the young person's language code, e.g. en, cy, ar, fa_AF",
    "held_on": "optional: the date it was held (on or after review_date, not in the future)",
    "participation": "optional: PN0 to PN7 (needs held_on; PN0 only, and only, under 4)",
    "chaired_by_young_person": "optional: yes or no (needs held_on)",
}
REQUIRED = tuple(name for name, text in COLUMNS.items() if text.startswith("required"))
OPTIONAL = tuple(name for name in COLUMNS if name not in REQUIRED)
# Cells that reach letters, log lines and CSV exports: one line each.
SINGLE_LINE = ("case_ref", "first_name", "review_ref", "iro")
YES_NO = {"yes": True, "no": False}
CHUNK = 5_000  # ids or refs per IN (...) list, well under SQLite's bound-parameter limit


@dataclass(frozen=True, slots=True)
class ReviewRow:
    line: int
    case_ref: str
    first_name: str
    date_of_birth: dt.date
    review_kind: str
    review_date: dt.date
    review_ref: str | None
    iro: str
    language: str
    held_on: dt.date | None
    participation: str | None
    chaired: bool | None

    @property
    def key(self) -> tuple[str, str, dt.date]:
        return (self.case_ref, self.review_kind, self.review_date)


@dataclass
class ReviewImportSummary(ImportCounts):
    """What an import did (or, in a preview, would do). A review new and held counts in both."""

    new: int = 0
    moved: int = 0  # to a new date
    held: int = 0  # marked held by the file's held_on
    updated: int = 0  # other details changed
    new_iros: int = 0  # IRO accounts made (inactive) for addresses the portal did not know

    def line(self) -> str:
        text = (
            f"{self.new} new reviews, {self.moved} moved, {self.held} held, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        return text + (NOTHING_CHANGED if self.read and self.changes_nothing else "")


@dataclass(frozen=True, slots=True)
class Known:
    """A review already in the portal, as the import compares it with a row."""

    id: int
    case_ref: str
    kind: str
    review_date: dt.date
    iro_id: int | None
    status: str
    review_ref: str | None
    held_on: dt.date | None
    participation: str | None
    chaired: bool | None


@dataclass(slots=True)
class Change:
    """What one row changes on an existing review."""

    row: ReviewRow
    review_id: int
    move: bool = False
    fields: dict[str, Any] = field(default_factory=dict)  # set as they are (iro_id, review_ref)
    hold: bool = False  # mark held (status scheduled -> held)
    participation: dict[str, Any] = field(default_factory=dict)  # held_on, participation, chaired


@dataclass
class Plan:
    """Everything a good file would do; nothing has been written."""

    summary: ReviewImportSummary
    new: list[ReviewRow] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)  # case_ref -> language to set
    iros: set[str] = field(default_factory=set)


def _parse(
    line: int, values: dict[str, str], dates: DateCache, languages: tuple[str, ...]
) -> tuple[ReviewRow | None, list[str]]:
    problems = single_line_problems(values, SINGLE_LINE)
    for name, limit in (("case_ref", 40), ("first_name", 80), ("review_ref", 64)):
        text = values.get(name, "")
        if not text and name in REQUIRED:
            problems.append(f"{name} is blank")
        elif len(text) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    kind = choice(values["review_kind"], REVIEW_KINDS)
    if kind is None:
        shown = values["review_kind"] or "blank"
        problems.append(f"review_kind {shown!r} is not one of {'|'.join(REVIEW_KINDS)}")
    parsed = dates.parse_columns(
        values, ("date_of_birth", "review_date", "held_on"), problems, optional=("held_on",)
    )
    language = values.get("language", "")
    if language:
        language = choice(language.replace("-", "_"), languages) or ""
        if not language:
            problems.append(f"language {values['language']!r} is not a supported language")
    iro_problem = email_problem("iro", values.get("iro", ""))
    if iro_problem:
        problems.append(iro_problem)
    code = values.get("participation", "")
    if code and choice(code, PARTICIPATION_CODES) is None:
        problems.append(f"participation {code!r} is not one of PN0 to PN7")
    chaired_text = values.get("chaired_by_young_person", "").casefold()
    if chaired_text and chaired_text not in YES_NO:
        problems.append(
            f"chaired_by_young_person {values['chaired_by_young_person']!r} is not yes or no"
        )
    if problems:
        return None, problems
    row = ReviewRow(
        line=line,
        case_ref=values["case_ref"],
        first_name=values["first_name"],
        date_of_birth=parsed["date_of_birth"],  # type: ignore[arg-type]
        review_kind=kind,  # type: ignore[arg-type]
        review_date=parsed["review_date"],  # type: ignore[arg-type]
        review_ref=values.get("review_ref") or None,
        iro=values.get("iro", "").lower(),
        language=language,
        held_on=parsed["held_on"],
        participation=choice(code, PARTICIPATION_CODES) if code else None,
        chaired=YES_NO[chaired_text] if chaired_text else None,
    )
    return row, _impossible(row)


def _impossible(row: ReviewRow) -> list[str]:
    """Well-formed values that cannot all be true together."""
    problems = date_range_problems({"review_date": row.review_date, "held_on": row.held_on})
    problems.extend(birth_problems(row.date_of_birth, row.review_date))
    if row.held_on is None:
        for name, value in (("participation", row.participation), ("chaired", row.chaired)):
            if value is not None:
                column = "chaired_by_young_person" if name == "chaired" else name
                problems.append(f"{column} is given but held_on is blank")
        return problems
    if row.held_on < row.review_date:
        problems.append(f"held_on {row.held_on} is before review_date {row.review_date}")
    elif row.held_on > today():
        problems.append(f"held_on {row.held_on} is in the future")
    if row.participation:
        problem = code_problem(row.participation, row.date_of_birth, row.review_date)
        if problem:
            problems.append(f"participation {row.participation}: {problem}")
    return problems


def _participation(row: ReviewRow) -> dict[str, Any]:
    """The held fields a row records; a child under 4 is PN0 whether or not the file says so."""
    code = row.participation
    if code is None and is_under_four(row.date_of_birth, row.review_date):
        code = UNDER_FOUR
    return {"held_on": row.held_on, "participation": code, "chaired_by_young_person": row.chaired}


def _check_rows(path: Path, progress: Progress | None) -> list[ReviewRow]:
    """Every row parsed and consistent with the others and with the children already recorded."""
    languages = tuple(current_app.config["LANGUAGES"])
    dates = DateCache(day_first=True)
    children = ChildrenSeen()
    seen_keys: dict[tuple[str, str, dt.date], int] = {}
    seen_refs: dict[str, int] = {}
    seen_languages: dict[str, tuple[str, int]] = {}

    def check(line: int, values: dict[str, str]) -> tuple[ReviewRow | None, list[str]]:
        row, row_problems = _parse(line, values, dates, languages)
        if row is not None and not row_problems:
            row_problems = children.problems(row)
        if row is not None and not row_problems:
            row_problems = _repeats(row, seen_keys, seen_refs, seen_languages)
        return row, row_problems

    return checked_rows(check, path, REQUIRED, OPTIONAL, progress, excel=True)


def _repeats(
    row: ReviewRow,
    keys: dict[tuple[str, str, dt.date], int],
    refs: dict[str, int],
    languages: dict[str, tuple[str, int]],
) -> list[str]:
    """A row saying again, or differently, what an earlier row of the file said."""
    first = keys.setdefault(row.key, row.line)
    if first != row.line:
        return [f"repeats line {first} (same case_ref, review_kind and review_date)"]
    if row.review_ref:
        first = refs.setdefault(row.review_ref, row.line)
        if first != row.line:
            return [f"review_ref repeats line {first}"]
    if row.language:
        language, first = languages.setdefault(row.case_ref, (row.language, row.line))
        if language != row.language:
            return [f"language differs from line {first} for the same case_ref"]
    return []


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def _known_reviews(rows: list[ReviewRow]) -> tuple[dict[str, Known], dict[tuple, Known]]:
    """Existing reviews the rows may mean: by review_ref, and by (case_ref, kind, date)."""
    columns = (
        Review.id,
        Child.case_ref,
        Review.kind,
        Review.review_date,
        Review.iro_id,
        Review.status,
        Review.review_ref,
        Review.held_on,
        Review.participation,
        Review.chaired_by_young_person,
    )
    base = select(*columns).join(Child, Child.id == Review.child_id)
    first = min(row.review_date for row in rows)
    last = max(row.review_date for row in rows)
    found = [Known(*values) for values in db.session.execute(
        base.where(Review.review_date.between(first, last))
    )]  # fmt: skip
    refs = sorted({row.review_ref for row in rows if row.review_ref})
    for chunk in _chunks(refs):
        found.extend(
            Known(*values)
            for values in db.session.execute(base.where(Review.review_ref.in_(chunk)))
        )
    by_ref = {known.review_ref: known for known in found if known.review_ref}
    by_key = {(known.case_ref, known.kind, known.review_date): known for known in found}
    return by_ref, by_key


def _match(
    row: ReviewRow, by_ref: dict[str, Known], by_key: dict[tuple, Known]
) -> tuple[Known | None, str | None]:
    """The existing review a row means (None: a new one), or why the row cannot be placed."""
    same_day = by_key.get(row.key)
    if not row.review_ref:
        return same_day, None
    known = by_ref.get(row.review_ref)
    if known is None:
        if same_day is not None and same_day.review_ref:
            return None, (
                f"the portal already has this child's {row.review_kind} review on "
                f"{row.review_date} as review_ref {same_day.review_ref!r}"
            )
        return same_day, None  # a review imported without its ref gains it
    if known.case_ref != row.case_ref:
        return None, f"review_ref {row.review_ref!r} is another child's review"
    if same_day is not None and same_day.id != known.id:
        return None, (
            f"review_ref {row.review_ref!r} cannot move to {row.review_date}: the child already "
            f"has a {row.review_kind} review that day"
        )
    return known, None


def _change(row: ReviewRow, known: Known, iro_ids: dict[str, int]) -> tuple[Change, str | None]:
    """What the row changes on `known` (nothing, when it matches)."""
    change = Change(row, known.id)
    change.move = (row.review_kind, row.review_date) != (known.kind, known.review_date)
    if change.move and known.status == "held":
        return change, f"the review was held on {known.held_on}; a held review cannot move"
    if row.iro and (row.iro not in iro_ids or iro_ids[row.iro] != known.iro_id):
        change.fields["iro_id"] = row.iro
    if row.review_ref and known.review_ref is None:
        change.fields["review_ref"] = row.review_ref
    if row.held_on is not None:
        if known.status == "stood_down" and not change.move:
            return change, "the review is stood down in the portal; re-arrange it before held_on"
        wanted = _participation(row)
        # A blank cell says nothing: keep what the IRO recorded on the mark-held screen.
        if wanted["participation"] is None:
            wanted["participation"] = known.participation
        if row.chaired is None:
            wanted["chaired_by_young_person"] = known.chaired
        now = {
            "held_on": known.held_on,
            "participation": known.participation,
            "chaired_by_young_person": known.chaired,
        }
        change.hold = known.status != "held"
        if change.hold or wanted != now:
            change.participation = wanted
    return change, None


def plan_import(path: Path, progress: Progress | None = None) -> Plan:
    """What importing `path` would do, or ImportError_ listing every bad row. Writes nothing."""
    rows = _check_rows(path, progress)
    plan = Plan(ReviewImportSummary(read=len(rows)))
    if not rows:
        return plan
    iro_ids = dict(db.session.execute(select(StaffUser.email, StaffUser.id)).all())
    plan.iros = {row.iro for row in rows if row.iro}
    plan.summary.new_iros = len(plan.iros - set(iro_ids))
    by_ref, by_key = _known_reviews(rows)
    child_languages = dict(
        db.session.execute(select(Child.case_ref, Child.preferred_language)).all()
    )
    problems = []
    lines: dict[int, int] = {}  # existing review id -> the line that updates it
    for row in rows:
        known, problem = _match(row, by_ref, by_key)
        change = None
        if known is not None and problem is None:
            first = lines.setdefault(known.id, row.line)
            if first != row.line:
                problem = f"is the same review as line {first} (moved there by its review_ref)"
            else:
                change, problem = _change(row, known, iro_ids)
        if problem:
            problems.append(f"line {row.line}: {problem}")
            continue
        language_changes = row.language and child_languages.get(row.case_ref) not in (
            None,
            row.language,
        )
        if language_changes:
            plan.languages[row.case_ref] = row.language
        if change is None:
            plan.new.append(row)
            plan.summary.new += 1
            plan.summary.held += row.held_on is not None
            continue
        plan.summary.moved += change.move
        plan.summary.held += change.hold
        if change.move or change.hold or change.fields or change.participation:
            plan.changes.append(change)
            plan.summary.updated += not (change.move or change.hold)
        elif language_changes:
            plan.summary.updated += 1
        else:
            plan.summary.unchanged += 1
    if problems:
        raise ImportError_(problems)
    return plan


def _child_ids(plan: Plan) -> dict[str, int]:
    known = dict(db.session.execute(select(Child.case_ref, Child.id)).all())
    now = utcnow()
    new: dict[str, dict[str, Any]] = {}
    for row in plan.new:
        if row.case_ref not in known and row.case_ref not in new:
            new[row.case_ref] = {
                "case_ref": row.case_ref,
                "first_name": row.first_name,
                "date_of_birth": row.date_of_birth,
                "preferred_language": row.language or "en",
                "created_at": now,
                "updated_at": now,
                "version_id": 1,
            }
    if new:
        insert_rows(Child.__table__, list(new.values()))
        known = dict(db.session.execute(select(Child.case_ref, Child.id)).all())
    for case_ref, language in plan.languages.items():
        db.session.execute(
            update(Child)
            .where(Child.case_ref == case_ref)
            .values(preferred_language=language, updated_at=now, version_id=Child.version_id + 1)
        )
    return known


def _new_reviews(plan: Plan, children: dict[str, int], staff: dict[str, int]) -> list[dict]:
    now = utcnow()
    return [
        {
            "child_id": children[row.case_ref],
            "kind": row.review_kind,
            "review_date": row.review_date,
            "venue": "",
            "iro_id": staff[row.iro] if row.iro else None,
            "status": "held" if row.held_on else "scheduled",
            "review_ref": row.review_ref,
            **(
                _participation(row)
                if row.held_on
                else {"held_on": None, "participation": None, "chaired_by_young_person": None}
            ),
            "attended_roles": [],
            "stood_down_note": "",
            "created_at": now,
            "updated_at": now,
            "version_id": 1,
        }
        for row in plan.new
    ]


def _apply(change: Change, review: Review, staff: dict[str, int]) -> None:
    """One existing review brought in line with its row, through the rules the screens use."""
    row = change.row
    if change.move:
        move_review(review, row.review_date, kind=row.review_kind)
    if change.fields:
        if "iro_id" in change.fields:
            review.iro_id = staff[row.iro]
        if "review_ref" in change.fields:
            review.review_ref = row.review_ref
        audit.record("review_updated", review, fields=sorted(change.fields), via="import")
    if change.hold:
        mark_held(review, row.held_on)  # type: ignore[arg-type]
    if change.participation:
        review.held_on = change.participation["held_on"]
        review.participation = change.participation["participation"]
        review.chaired_by_young_person = change.participation["chaired_by_young_person"]
        if not change.hold:
            audit.record("review_participation_updated", review, via="import")


def import_reviews(
    path: Path, progress: Progress | None = None, saving: Progress | None = None
) -> ReviewImportSummary:
    """Check the whole file, then save every new and changed review in one transaction."""
    plan = plan_import(path, progress)
    if plan.summary.read == 0 or plan.summary.changes_nothing:
        return plan.summary
    staff = staff_ids(plan.iros)
    children = _child_ids(plan)
    insert_rows(Review.__table__, _new_reviews(plan, children, staff), saving)
    ids = [change.review_id for change in plan.changes]
    reviews: dict[int, Review] = {}
    for chunk in _chunks(ids):
        reviews.update(
            (review.id, review)
            for review in db.session.execute(select(Review).where(Review.id.in_(chunk))).scalars()
        )
    for change in plan.changes:
        _apply(change, reviews[change.review_id], staff)
    if saving:
        saving(len(plan.changes))
    return commit_import("reviews_imported", plan.summary)
