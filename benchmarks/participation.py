"""Participation report at scale: 1M (default) held reviews on SQLite and PostgreSQL.

Times `portal.reporting.participation.participation_report` (codes, advocacy requests and the
"What happened at your review" figures: three queries) for one financial year and for the whole
ten years, against hand-written SQL for the same figures in the same run, and prints the ratio.

    python -m benchmarks.participation                     # 1M reviews, both databases
    python -m benchmarks.participation --rows 200000 --db sqlite
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres …

The data is bulk inserted by the database itself (a recursive CTE / generate_series), never row
by row through the ORM; a third of the reviews have a message, one in 25 an advocacy request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.scale_db import best, build, database, measure

FIRST_DAY = dt.date(2010, 4, 1)
DAYS = 3653  # ten financial years, 2010/11 to 2019/20

# Columns generated from n (1..rows); {day} is the held date expression.
CODE = (
    "CASE WHEN n % 20 = 0 THEN NULL WHEN n % 20 = 1 THEN 'PN0' WHEN n % 20 < 8 THEN 'PN1'"
    " WHEN n % 20 < 10 THEN 'PN2' WHEN n % 20 = 10 THEN 'PN3' WHEN n % 20 = 11 THEN 'PN4'"
    " WHEN n % 20 = 12 THEN 'PN5' WHEN n % 20 < 17 THEN 'PN6' ELSE 'PN7' END"
)
KIND = "CASE WHEN n % 6 = 0 THEN 'pathway_plan' ELSE 'cared_for' END"
OFFSET = f"((n * 7919) % {DAYS})"

HAND_CODES = """
SELECT participation, count(*) AS reviews,
       count(CASE WHEN chaired_by_young_person THEN 1 END) AS chaired
FROM review WHERE status = 'held' AND held_on BETWEEN :first AND :last
GROUP BY participation
"""
HAND_ADVOCACY = """
SELECT count(*), count(referred_on) FROM advocacy_request
WHERE {day} BETWEEN :first AND :last
"""
HAND_MESSAGES = """
SELECT r.held_on, {day} AS sent_day, count(*), count(o.opened_at)
FROM review r LEFT JOIN review_outcome o ON o.review_id = r.id
WHERE r.status = 'held' AND r.held_on BETWEEN :first AND :last
  AND (r.participation IS NULL OR r.participation <> 'PN0')
GROUP BY r.held_on, {day}
"""


def _sqlite_fill(engine: sa.Engine, rows: int) -> None:
    day = f"date('{FIRST_DAY}', '+' || {OFFSET} || ' days')"
    series = f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows})"
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
        conn.exec_driver_sql(
            "INSERT INTO review (id, child_id, kind, review_date, venue, iro_id, status, held_on,"
            " participation, chaired_by_young_person, stood_down_note, created_at, updated_at,"
            f" version_id) {series} SELECT n, n, {KIND}, {day}, '', 1 + n % 20, 'held', {day},"
            f" {CODE}, n % 7 = 0, '', '2010-01-01', '2010-01-01', 1 FROM s"
        )
        conn.exec_driver_sql(
            "INSERT INTO review_outcome (review_id, talked_about, decided, next_steps,"
            " who_to_talk_to, created_at, updated_at, sent_at, opened_at)"
            f" {series} SELECT n, '', '', '', '', '2010-01-01', '2010-01-01',"
            f" datetime({day}, '+' || (n % 40) || ' days', '+10 hours'),"
            f" CASE WHEN n % 2 = 0 THEN datetime({day}, '+' || (n % 40 + 1) || ' days') END"
            " FROM s WHERE n % 3 = 0"
        )
        conn.exec_driver_sql(
            "INSERT INTO advocacy_request (review_id, form_key, question_key, option_key,"
            f" created_at, referred_on, note) {series} SELECT n, 'f', 'q', 'yes',"
            f" datetime({day}, '-10 days'), CASE WHEN n % 50 = 0 THEN {day} END, '' FROM s"
            " WHERE n % 25 = 0"
        )


def _pg_fill(engine: sa.Engine, rows: int) -> None:
    day = f"(DATE '{FIRST_DAY}' + {OFFSET}::int)"
    series = f"FROM generate_series(1, {rows}::bigint) n"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO child (id, case_ref, first_name, date_of_birth, preferred_language,"
                " created_at, updated_at, version_id) SELECT n, 'C' || n, '', DATE '2005-01-01', 'en',"
                f" now(), now(), 1 {series}"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO review (id, child_id, kind, review_date, venue, iro_id, status, held_on,"
                " participation, chaired_by_young_person, stood_down_note, created_at, updated_at,"
                f" version_id) SELECT n, n, {KIND}, {day}, '', 1 + n % 20, 'held', {day}, {CODE},"
                f" n % 7 = 0, '', now(), now(), 1 {series}"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO review_outcome (review_id, talked_about, decided, next_steps,"
                " who_to_talk_to, created_at, updated_at, sent_at, opened_at)"
                " SELECT n, '', '', '', '', now(), now(),"
                f" {day} + (n % 40)::int + interval '10 hours',"
                f" CASE WHEN n % 2 = 0 THEN {day} + (n % 40 + 1)::int END {series} WHERE n % 3 = 0"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO advocacy_request (review_id, form_key, question_key, option_key,"
                f" created_at, referred_on, note) SELECT n, 'f', 'q', 'yes', {day} - 10,"
                f" CASE WHEN n % 50 = 0 THEN {day} END, '' {series} WHERE n % 25 = 0"
            )
        )


TABLES = ("review", "review_outcome", "advocacy_request")


def _hand_written(conn: Any, first: dt.date, last: dt.date, sqlite: bool) -> dict[str, Any]:
    """The same figures from hand-written SQL (and the same working-day test per date pair)."""
    from portal.reporting.participation import message_deadline

    def day(column: str) -> str:
        return f"date({column})" if sqlite else f"CAST({column} AS DATE)"

    bounds = {"first": first, "last": last}
    codes: Counter[str | None] = Counter()
    chaired = 0
    for code, reviews, chairs in conn.execute(sa.text(HAND_CODES), bounds):
        codes[code] += reviews
        chaired += chairs
    advocacy = conn.execute(sa.text(HAND_ADVOCACY.format(day=day("created_at"))), bounds).one()
    sent_in_time = opened = 0
    for held_on, sent_day, reviews, opens in conn.execute(
        sa.text(HAND_MESSAGES.format(day=day("o.sent_at"))), bounds
    ):
        held_on = dt.date.fromisoformat(held_on) if isinstance(held_on, str) else held_on
        sent_day = dt.date.fromisoformat(sent_day) if isinstance(sent_day, str) else sent_day
        opened += opens
        if sent_day is not None and sent_day <= message_deadline(held_on):
            sent_in_time += reviews
    return {"total": sum(codes.values()), "chaired": chaired, "advocacy": tuple(advocacy),
            "sent_in_time": sent_in_time, "opened": opened}  # fmt: skip


def _compare(sqlite: bool, period: Any) -> tuple[float, float]:
    from portal.extensions import db
    from portal.reporting.participation import participation_report

    portal_s, report = best(lambda: participation_report(period))
    conn = db.session.connection()
    hand_s, hand = best(lambda: _hand_written(conn, period.start, period.end, sqlite))
    got = {"total": report.total.total, "chaired": report.total.chaired,
           "advocacy": (report.advocacy.requests, report.advocacy.referred),
           "sent_in_time": report.messages.sent_in_time,
           "opened": report.messages.opened}  # fmt: skip
    assert got == hand, f"portal and SQL disagree: {got} != {hand}"
    return portal_s, hand_s


def _fill_and_time(kind: str, url: str, rows: int) -> list[tuple[str, float, float]]:
    build(kind, url, rows, {"sqlite": _sqlite_fill, "postgresql": _pg_fill}, TABLES, "held reviews")
    return measure(url, FIRST_DAY, partial(_compare, kind == "sqlite"))


def main(argv: list[str] | None = None) -> int:
    """Print one table: database, reviews, range, portal seconds, hand-written seconds, ratio."""
    parser = argparse.ArgumentParser(prog="participation", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args(argv or [])
    table: list[tuple[str, str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-", dir="/tmp") as tmp:
        for kind in args.db.split(","):
            made = database(kind, Path(tmp) / "participation.db")
            if made is None:
                continue
            url, drop = made
            try:
                for label, portal_s, hand_s in _fill_and_time(kind, url, args.rows):
                    table.append((kind, label, portal_s, hand_s))
            finally:
                drop()
    print()
    print("| database | held reviews | report | portal (s) | hand-written SQL (s) | ratio |")
    print("|---|---:|---|---:|---:|---:|")
    for kind, label, portal_s, hand_s in table:
        print(f"| {kind} | {args.rows:,} | {label} | {portal_s:.3f} | {hand_s:.3f} |"
              f" {portal_s / hand_s:.2f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
