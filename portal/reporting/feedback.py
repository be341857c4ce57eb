"""Feedback results: per question, how many answered and how many chose each option.

Answers live in a JSON column; the database unpacks and counts them (json_each on SQLite and
PostgreSQL), so results cost one GROUP BY per question type, never a loop over responses.
Percentages are over those who answered the question. Meeting QR responses count here. A text
answer purged after the retention period is stored as `true` and still counts as answered
(ADR 0047).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import bindparam, extract, func, select, text

from portal.extensions import db
from portal.models import Response, Review, Timestamp
from portal.questionnaires import FormDefinition, Question
from portal.reporting.periods import Period
from portal.reporting.returns import rate_pct

SCALE_BANDS = (("1-3", 1, 3), ("4-6", 4, 6), ("7-10", 7, 10))
CHOICE_TYPES = ("choice", "feelings", "scale")

# {table} is replaced by the response filter; dialects differ only in how JSON is unpacked.
_SQL = {
    "sqlite": {
        "scalar": """SELECT je.key AS question, je.value AS value, count(*) AS n
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys AND je.type IN ('text', 'integer', 'real', 'true', 'false')
              AND trim(CAST(je.value AS TEXT)) <> ''
            GROUP BY je.key, je.value""",
        "multi": """SELECT je.key AS question, m.value AS value, count(*) AS n
            FROM response r, json_each(r.answers) je,
                 json_each(CASE WHEN je.type = 'array' THEN je.value ELSE '[]' END) m
            WHERE {where} AND je.key IN :keys
            GROUP BY je.key, m.value""",
        "multi_answered": """SELECT je.key AS question, count(*) AS n
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys AND je.type = 'array'
              AND json_array_length(je.value) > 0
            GROUP BY je.key""",
        "text_answered": """SELECT je.key AS question, count(*) AS n
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys
              AND (je.type = 'true' OR (je.type = 'text' AND trim(je.value) <> ''))
            GROUP BY je.key""",
        "comments": """SELECT r.id AS id, r.submitted_at AS submitted_at, r.language AS language,
                   je.key AS question, je.value AS comment
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys AND je.type = 'text' AND trim(je.value) <> ''
            ORDER BY r.submitted_at DESC, r.id DESC LIMIT :limit""",
    },
    "postgresql": {
        "scalar": """SELECT je.key AS question, je.value #>> '{{}}' AS value, count(*) AS n
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys
              AND json_typeof(je.value) IN ('string', 'number', 'boolean')
              AND trim(je.value #>> '{{}}') <> ''
            GROUP BY je.key, je.value #>> '{{}}'""",
        "multi": """SELECT je.key AS question, m.value AS value, count(*) AS n
            FROM response r, json_each(r.answers) je,
                 json_array_elements_text(CASE WHEN json_typeof(je.value) = 'array'
                                          THEN je.value ELSE '[]'::json END) m(value)
            WHERE {where} AND je.key IN :keys
            GROUP BY je.key, m.value""",
        "multi_answered": """SELECT je.key AS question, count(*) AS n
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys AND json_typeof(je.value) = 'array'
              AND json_array_length(CASE WHEN json_typeof(je.value) = 'array'
                                    THEN je.value ELSE '[]'::json END) > 0
            GROUP BY je.key""",
        "text_answered": """SELECT je.key AS question, count(*) AS n
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys
              AND (json_typeof(je.value) = 'boolean' OR (json_typeof(je.value) = 'string'
                   AND trim(je.value #>> '{{}}') <> ''))
            GROUP BY je.key""",
        "comments": """SELECT r.id AS id, r.submitted_at AS submitted_at, r.language AS language,
                   je.key AS question, je.value #>> '{{}}' AS comment
            FROM response r, json_each(r.answers) je
            WHERE {where} AND je.key IN :keys AND json_typeof(je.value) = 'string'
              AND trim(je.value #>> '{{}}') <> ''
            ORDER BY r.submitted_at DESC, r.id DESC LIMIT :limit""",
    },
}


@dataclass(frozen=True)
class FeedbackFilters:
    """`iro_id` narrows to one IRO's reviews; `own_iro_id` is the access limit for an IRO.

    `review_kind` is the kind of the review answered about; `source` is how the answers came
    back (online, paper, meeting QR, import).
    """

    iro_id: int | None = None
    own_iro_id: int | None = None
    review_kind: str | None = None
    source: str | None = None
    age_band: str | None = None


# Age bands (questionnaires.age_band) as SQL: the young person's age on the review date, whole
# years, from the child's date of birth; care leavers are 16-25 whatever their age. Adults'
# answers have no age band, so choosing one leaves them out.
AGE_BAND_YEARS = {"4-7": (None, 8), "8-11": (8, 12), "12-17": (12, None)}
FEEDBACK_AGE_BANDS = (*AGE_BAND_YEARS, "16-25")
_BAND_SQL = """{r}.role = 'child' AND EXISTS (SELECT 1 FROM review rv JOIN child ch
    ON ch.id = rv.child_id WHERE rv.id = {r}.review_id AND {born})"""


def _years_before(column: str, years: int, dialect: str) -> str:
    if dialect == "postgresql":
        return f"CAST({column} - INTERVAL '{years} years' AS DATE)"
    return f"date({column}, '-{years} years')"


def _age_band_sql(response: str, band: str, dialect: str) -> str:
    """A condition on `response` (a table name or alias): its young person was in `band`."""
    if band == "16-25":
        return f"{response}.role = 'care_leaver'"
    low, high = AGE_BAND_YEARS[band]
    born = [
        f"ch.date_of_birth <= {_years_before('rv.review_date', low, dialect)}" if low else "",
        f"ch.date_of_birth > {_years_before('rv.review_date', high, dialect)}" if high else "",
    ]
    # Only our own constants are filled in (an alias, whole years from AGE_BAND_YEARS).
    return _BAND_SQL.format(r=response, born=" AND ".join(part for part in born if part))


def _dialect() -> str:
    return "postgresql" if db.engine.dialect.name == "postgresql" else "sqlite"


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return start, end


def _where(filters: FeedbackFilters) -> str:
    where = "r.form_key = :form AND r.submitted_at >= :start AND r.submitted_at < :end"
    if filters.iro_id is not None:
        where += " AND r.iro_id = :iro"
    if filters.own_iro_id is not None:
        where += " AND r.iro_id = :own_iro"
    if filters.source is not None:
        where += " AND r.source = :source"
    if filters.review_kind is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM review rv WHERE rv.id = r.review_id AND rv.kind = :kind)"
        )
    if filters.age_band in FEEDBACK_AGE_BANDS:
        where += f" AND {_age_band_sql('r', filters.age_band, _dialect())}"
    return where


def _params(filters: FeedbackFilters) -> dict[str, Any]:
    named = {"iro": filters.iro_id, "own_iro": filters.own_iro_id, "source": filters.source,
             "kind": filters.review_kind}  # fmt: skip
    return {name: value for name, value in named.items() if value is not None}


def _narrowed(query: Any, filters: FeedbackFilters) -> Any:
    """The same filters as `_where`, on an ORM query over Response."""
    if filters.iro_id is not None:
        query = query.where(Response.iro_id == filters.iro_id)
    if filters.own_iro_id is not None:
        query = query.where(Response.iro_id == filters.own_iro_id)
    if filters.source is not None:
        query = query.where(Response.source == filters.source)
    if filters.review_kind is not None:
        query = query.where(
            select(Review.id)
            .where(Review.id == Response.review_id, Review.kind == filters.review_kind)
            .exists()
        )
    if filters.age_band in FEEDBACK_AGE_BANDS:
        query = query.where(text(_age_band_sql("response", filters.age_band, _dialect())))
    return query


def _run(
    name: str,
    form: FormDefinition,
    period: Period,
    filters: FeedbackFilters,
    keys: list[str],
    **extra: Any,
) -> list[Any]:
    if not keys:
        return []
    dialect = _dialect()
    start, end = _bounds(period)
    statement: Any = text(_SQL[dialect][name].format(where=_where(filters))).bindparams(
        bindparam("keys", expanding=True),
        bindparam("start", type_=Timestamp),
        bindparam("end", type_=Timestamp),
    )
    if name == "comments":
        statement = statement.columns(submitted_at=Timestamp)
    params = {"form": form.key, "keys": keys, "start": start, "end": end, **extra}
    params.update(_params(filters))
    return list(db.session.execute(statement, params).mappings())


def _value_key(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _mean(total: int, answered: int) -> float | None:
    if not answered:
        return None
    return float((Decimal(total) / Decimal(answered)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _options(keys: list[str], counts: dict[str, int], answered: int) -> list[dict[str, Any]]:
    return [
        {"key": key, "count": counts.get(key, 0), "pct": rate_pct(counts.get(key, 0), answered)}
        for key in keys
    ]


def _scale(question: Question, counts: dict[str, int]) -> dict[str, Any]:
    values: dict[int, int] = {}
    for key, count in counts.items():
        try:
            values[int(key)] = values.get(int(key), 0) + count
        except ValueError:
            continue
    answered = sum(values.values())
    points = [str(point) for point in range(question.min or 0, (question.max or 0) + 1)]
    bands = []
    for key, low, high in SCALE_BANDS:
        count = sum(n for value, n in values.items() if low <= value <= high)
        bands.append({"key": key, "count": count, "pct": rate_pct(count, answered)})
    return {
        "answered": answered,
        "options": _options(points, {str(k): v for k, v in values.items()}, answered),
        "mean": _mean(sum(value * n for value, n in values.items()), answered),
        "bands": bands,
    }


def response_count(form_key: str, period: Period, filters: FeedbackFilters) -> int:
    """How many responses to a form were submitted in the period."""
    start, end = _bounds(period)
    query = select(func.count(Response.id)).where(
        Response.form_key == form_key, Response.submitted_at >= start, Response.submitted_at < end
    )
    return db.session.execute(_narrowed(query, filters)).scalar_one()


def busiest_form(period: Period, filters: FeedbackFilters) -> str | None:
    """The form with the most responses in the period (the feedback report opens on it)."""
    start, end = _bounds(period)
    count = func.count(Response.id)
    query = (
        select(Response.form_key)
        .where(Response.submitted_at >= start, Response.submitted_at < end)
        .group_by(Response.form_key)
        .order_by(count.desc(), Response.form_key)
        .limit(1)
    )
    return db.session.execute(_narrowed(query, filters)).scalar()


def feedback_results(
    form: FormDefinition, period: Period, filters: FeedbackFilters | None = None
) -> dict[str, Any]:
    """The CLI contract: form, responses, questions in form order with answered and options."""
    filters = filters or FeedbackFilters()
    questions = form.questions
    keys_of = {kind: [q.key for q in questions if q.type == kind] for kind in ("multi", "text")}
    scalar_keys = [q.key for q in questions if q.type in CHOICE_TYPES]
    counts: dict[str, dict[str, int]] = {q.key: {} for q in questions}
    for row in _run("scalar", form, period, filters, scalar_keys):
        bucket = counts[row["question"]]
        value = _value_key(row["value"])
        bucket[value] = bucket.get(value, 0) + row["n"]
    for row in _run("multi", form, period, filters, keys_of["multi"]):
        bucket = counts[row["question"]]
        bucket[_value_key(row["value"])] = row["n"]
    answered_multi = {
        row["question"]: row["n"]
        for row in _run("multi_answered", form, period, filters, keys_of["multi"])
    }
    answered_text = {
        row["question"]: row["n"]
        for row in _run("text_answered", form, period, filters, keys_of["text"])
    }
    results = []
    for question in questions:
        entry: dict[str, Any] = {"key": question.key, "type": question.type}
        bucket = counts[question.key]
        if question.type == "scale":
            entry.update(_scale(question, bucket))
        elif question.type == "text":
            entry["answered"] = answered_text.get(question.key, 0)
        else:
            if question.type == "multi":
                answered = answered_multi.get(question.key, 0)
            else:
                answered = sum(bucket.values())
            entry["answered"] = answered
            entry["options"] = _options(list(question.option_keys), bucket, answered)
        results.append(entry)
    return {
        "form": form.key,
        "responses": response_count(form.key, period, filters),
        "questions": results,
    }


def comments(
    form: FormDefinition, period: Period, filters: FeedbackFilters | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Free-text answers, newest first (plain text: templates escape them, never mark safe)."""
    keys = [q.key for q in form.questions if q.type == "text"]
    rows = _run("comments", form, period, filters or FeedbackFilters(), keys, limit=limit)
    return [dict(row) for row in rows]


def monthly_response_counts(period: Period, filters: FeedbackFilters) -> dict[tuple[int, int], int]:
    """Responses of every form per (year, month) of submission, counted in SQL."""
    start, end = _bounds(period)
    year = extract("year", Response.submitted_at)
    month = extract("month", Response.submitted_at)
    query = (
        select(year, month, func.count(Response.id))
        .where(Response.submitted_at >= start, Response.submitted_at < end)
        .group_by(year, month)
    )
    query = _narrowed(query, filters)
    return {(int(y), int(m)): n for y, m, n in db.session.execute(query)}
