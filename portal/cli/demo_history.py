"""`portal demo --history`: two years of forms sent and returned, and a year of feedback, so the
report screens have something to show. Goes through the real importers (and so tests them)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update

from portal.cli.demo import ensure_demo_allowed
from portal.extensions import db
from portal.importing.invitations import HEADER_FIELDS as INVITATION_HEADER
from portal.importing.invitations import import_invitations
from portal.importing.responses import import_responses
from portal.models import STAND_DOWN_REASONS, Child, Review
from portal.questionnaires import catalogue
from portal.rules import dates
from portal.rules.roles import is_young_person

MARKER = "HIST-0001"
# Likelihood a form comes back, by role; it rises through the period as the portal beds in.
RETURN_RATE = {"child": 0.25, "care_leaver": 0.2, "parent": 0.18, "carer": 0.45,
               "health": 0.35, "education": 0.4}  # fmt: skip
ROLES = {"cared_for": ("child", "parent", "carer", "health", "education"),
         "pathway_plan": ("care_leaver", "parent")}  # fmt: skip
COMMENTS = ("I liked that my IRO came to see me first.", "The meeting was too long.",
            "Can my nan come next time?", "I want to talk about seeing my brother.",
            "Thank you for listening.")  # fmt: skip


def _invitation_rows(today: dt.date, rng: random.Random) -> list[list[str]]:
    rows = []
    start = today - dt.timedelta(days=730)
    for number in range(1, 961):
        review_date = start + dt.timedelta(days=rng.randrange(730))
        kind = "pathway_plan" if number % 6 == 0 else "cared_for"
        progress = (review_date - start).days / 730
        iro = ("iro.one@example.org", "iro.two@example.org")[number % 2]
        for role in ROLES[kind]:
            sent = review_date - dt.timedelta(days=rng.choice((8, 14, 16, 21)))
            chance = RETURN_RATE[role] * (0.7 + 0.6 * progress)
            returned = review_date <= today and rng.random() < chance
            channel = rng.choice(("email", "email", "post", "hand"))
            language = rng.choice(("en",) * 8 + ("ar", "ps")) if is_young_person(role) else "en"
            rows.append([
                f"HIST-{number:04d}", kind, review_date.isoformat(), "consultation", role,
                sent.isoformat(),
                (sent + dt.timedelta(days=rng.randrange(1, 9))).isoformat() if returned else "",
                channel, language, iro, "", rng.choice(("online", "paper")) if returned else "",
            ])  # fmt: skip
    return rows


# How the children in the history took part (a plausible council's mix; PN0 needs a known
# birth date, which imported history children lack) and why a few reviews were stood down.
CODE_WEIGHTS = {"PN1": 40, "PN2": 5, "PN3": 3, "PN4": 7, "PN5": 5, "PN6": 25, "PN7": 12}
NOT_RECORDED_SHARE, STOOD_DOWN_SHARE, CHAIRED_SHARE = 0.03, 0.02, 0.08


def _hold_history(today: dt.date, rng: random.Random) -> int:
    """Mark the history's past reviews held (a code each, a few chaired) or stood down.

    Bulk updates grouped by outcome keep `--history` fast; the screens and `portal import
    reviews` record one review at a time through rules/reviews.
    """
    rows = db.session.execute(
        select(Review.id)
        .join(Child)
        .where(Child.case_ref.like("HIST-%"), Review.review_date < today)
        # The invitations import marks past reviews held but knows no date or code.
        .where(Review.status != "stood_down", Review.held_on.is_(None))
        .order_by(Review.id)
    ).scalars()
    groups: dict[tuple[str, str | None, bool], list[int]] = defaultdict(list)
    codes, weights = list(CODE_WEIGHTS), list(CODE_WEIGHTS.values())
    reasons = [r for r in STAND_DOWN_REASONS if r != "other"]
    for review_id in rows:
        draw = rng.random()
        if draw < STOOD_DOWN_SHARE:
            groups[("stood_down", rng.choice(reasons), False)].append(review_id)
        elif draw < STOOD_DOWN_SHARE + NOT_RECORDED_SHARE:
            groups[("held", None, False)].append(review_id)
        else:
            code = rng.choices(codes, weights)[0]
            groups[("held", code, rng.random() < CHAIRED_SHARE)].append(review_id)
    for (status, value, chaired), ids in groups.items():
        values: dict[str, object] = {"status": status}
        if status == "held":
            values |= {"held_on": Review.review_date, "participation": value,
                       "chaired_by_young_person": chaired}  # fmt: skip
        else:
            values["stood_down_reason"] = value
        for start in range(0, len(ids), 500):
            db.session.execute(
                update(Review).where(Review.id.in_(ids[start : start + 500])).values(**values)
            )
    db.session.commit()
    return sum(len(ids) for ids in groups.values())


def _response_rows(today: dt.date, rng: random.Random) -> tuple[list[str], list[list[str]]]:
    form = catalogue().get("child_feedback")
    if form is None:
        return [], []
    header = ["form", "submitted_on", "language", *(q.key for q in form.questions)]
    rows = []
    for _ in range(150):
        row = ["child_feedback", (today - dt.timedelta(days=rng.randrange(365))).isoformat(), "en"]
        for question in form.questions:
            if rng.random() < 0.1:
                row.append("")
            elif question.type in ("choice", "feelings"):
                row.append(rng.choice(question.option_keys[:2] * 3 + question.option_keys))
            elif question.type == "multi":
                row.append(";".join(rng.sample(question.option_keys, rng.randrange(1, 3))))
            elif question.type == "scale":
                row.append(
                    str(rng.choice(range(max(question.min or 1, 4), (question.max or 10) + 1)))
                )
            else:
                row.append(rng.choice(COMMENTS) if rng.random() < 0.3 else "")
        rows.append(row)
    return header, rows


def load_history(echo: Callable[[str], None], today: dt.date | None = None) -> bool:
    """Import the history once; returns False if it is already there (DemoRefused outside
    development and testing)."""
    ensure_demo_allowed()
    if db.session.execute(db.select(Child.id).where(Child.case_ref == MARKER)).first():
        return False
    today = today or dates.today()
    rng = random.Random(6)
    with tempfile.TemporaryDirectory(prefix="portal-demo-") as tmp:
        path = Path(tmp) / "invitations.csv"
        _write(path, INVITATION_HEADER, _invitation_rows(today, rng))
        echo("History: invitations " + import_invitations(path).line())
        echo(f"History: {_hold_history(today, rng)} past reviews held (with codes) or stood down")
        header, rows = _response_rows(today, rng)
        if rows:
            path = Path(tmp) / "responses.csv"
            _write(path, header, rows)
            echo("History: responses " + import_responses(path).line())
    return True


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
