"""`portal import responses FILE.csv`: historical or paper responses that have no invitation.

Header `form,submitted_on,language,` then one column per question key. Choice answers are option
keys, multi answers joined with `;`, scale answers whole numbers, blank = not answered. Each row
is checked against its form's definition. Identical rows already imported are not imported again
(counted per identical row, so two genuinely identical paper forms both stay). Each imported row
keeps a keyed fingerprint of what the file said, so the check still works after `portal purge`
has removed the row's free text (ADR 0047).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections import Counter
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.importing.csvfile import (
    DateCache,
    ImportSummary,
    Progress,
    at_noon,
    checked_rows,
    date_range_problems,
)
from portal.importing.writer import commit_import, insert_rows
from portal.models import Response
from portal.questionnaires import FormDefinition, Question, catalogue
from portal.rules.text import free_text_problem

REQUIRED = ("form", "submitted_on", "language")


def _answer(question: Question, text: str) -> tuple[Any, str | None]:
    """The stored answer for a cell, or a problem."""
    if question.type in ("choice", "feelings"):
        if text not in question.option_keys:
            return (
                None,
                f"{question.key} {text!r} is not an option ({'|'.join(question.option_keys)})",
            )
        return text, None
    if question.type == "multi":
        chosen = [part.strip() for part in text.split(";") if part.strip()]
        wrong = [part for part in chosen if part not in question.option_keys]
        if wrong:
            return None, (
                f"{question.key} {';'.join(wrong)!r} is not an option "
                f"({'|'.join(question.option_keys)})"
            )
        return [key for key in question.option_keys if key in chosen], None
    if question.type == "scale":
        try:
            value = int(text)
        except ValueError:
            return None, f"{question.key} {text!r} is not a whole number"
        if not (question.min or 0) <= value <= (question.max or 0):
            return None, f"{question.key} {value} is not between {question.min} and {question.max}"
        return value, None
    if len(text) > question.max_length:
        return None, f"{question.key} is longer than {question.max_length} characters"
    problem = free_text_problem(text)  # NUL breaks PostgreSQL's JSON operators
    if problem:
        return None, f"{question.key} holds a {problem}"
    return text, None


def _signature(form_key: str, day: dt.date, language: str, answers: dict[str, Any]) -> str:
    return json.dumps([form_key, day.isoformat(), language, answers], sort_keys=True)


def fingerprint(form_key: str, day: dt.date, language: str, answers: dict[str, Any]) -> str:
    """A keyed hash of an imported row: finds it again without keeping its free text.

    Keyed (from SECRET_KEY) so that a stolen database cannot confirm a guessed comment.
    """
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"import-fingerprint", hashlib.sha256
    ).digest()
    signature = _signature(form_key, day, language, answers).encode()
    return hmac.new(key, signature, hashlib.sha256).hexdigest()


def check_file(path: Path, progress: Progress | None = None) -> list[dict[str, Any]]:
    """Every row as a Response's values, or ImportError_ listing every bad row."""
    forms = catalogue()
    languages = set(current_app.config["LANGUAGES"])
    all_questions = tuple(sorted({q.key for form in forms for q in form.questions}))
    dates = DateCache()

    def check(_line: int, values: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
        return _parse(values, forms.get(values["form"]), dates, languages)

    return checked_rows(check, path, REQUIRED, all_questions, progress, 1000)


def _parse(
    values: dict[str, str], form: FormDefinition | None, dates: DateCache, languages: set[str]
) -> tuple[dict[str, Any] | None, list[str]]:
    problems = []
    if form is None:
        return None, [f"form {values['form'] or 'blank'!r} is not a known form"]
    try:
        submitted = dates.parse(values["submitted_on"])
    except ValueError:
        submitted = None
        problems.append(f"submitted_on {values['submitted_on']!r} is not a date like 2017-03-31")
    else:
        problems.extend(date_range_problems({"submitted_on": submitted}))
    if values["language"] not in languages:
        problems.append(f"language {values['language'] or 'blank'!r} is not a supported language")
    answers: dict[str, Any] = {}
    for name, text in values.items():
        if name in REQUIRED or not text:
            continue
        question = form.question(name)
        if question is None:
            problems.append(f"column {name} is not a question of form {form.key}")
            continue
        answer, problem = _answer(question, text)
        if problem:
            problems.append(problem)
        elif answer != []:
            answers[name] = answer
    if problems or submitted is None:
        return None, problems
    return {
        "form_key": form.key,
        "form_version": form.version,
        "role": form.roles[0] if len(form.roles) == 1 else None,
        "language": values["language"],
        "answers": answers,
        "text_languages": {},
        "source": "import",
        "submitted_at": at_noon(submitted),
        "_day": submitted,
    }, []


def import_responses(
    path: Path, progress: Progress | None = None, saving: Progress | None = None
) -> ImportSummary:
    """Check the whole file, then add the responses not already imported, in one transaction."""
    rows = check_file(path, progress)
    summary = ImportSummary(read=len(rows))
    if not rows:
        return summary
    first = min(row["submitted_at"] for row in rows)
    last = max(row["submitted_at"] for row in rows)
    already = Counter(
        # Rows imported before fingerprints existed are fingerprinted from their answers (purge
        # fingerprints such rows before it removes their free text).
        stored or fingerprint(form_key, submitted_at.date(), language, answers)
        for form_key, submitted_at, language, answers, stored in db.session.execute(
            select(
                Response.form_key,
                Response.submitted_at,
                Response.language,
                Response.answers,
                Response.fingerprint,
            )
            .where(Response.source == "import")
            .where(Response.submitted_at.between(first, last))
        )
    )
    new = []
    for row in rows:
        signature = fingerprint(row["form_key"], row.pop("_day"), row["language"], row["answers"])
        row["fingerprint"] = signature
        if already[signature] > 0:
            already[signature] -= 1
            summary.unchanged += 1
        else:
            new.append(row)
    insert_rows(Response.__table__, new, saving)
    summary.created = len(new)
    return commit_import("responses_imported", summary)
