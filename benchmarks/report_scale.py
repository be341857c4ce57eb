"""Return-rate report at scale: 1M (default) or 10M invitations on SQLite and PostgreSQL.

Times `portal.reporting.return_rates` for one financial year and for the whole ten years against
a hand-written SQL query on the same data in the same run, and (optionally) a CSV import.

    python -m benchmarks.report_scale                      # 1M rows, both databases, + import
    python -m benchmarks.report_scale --rows 10000000 --no-import
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres …

Data lives under /tmp (SQLite) or in a database created and dropped by the run (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.scale_db import best, build, database, measure

FIRST_DAY = dt.date(2010, 4, 1)
DAYS = 3653  # ten financial years, 2010/11 to 2019/20
PER_REVIEW = 8

HAND_WRITTEN = """
SELECT role, review_kind, count(sent_at) AS sent,
       count(CASE WHEN sent_at IS NOT NULL AND returned_at IS NOT NULL THEN 1 END) AS received
FROM invitation
WHERE review_date BETWEEN :first AND :last AND meeting_qr_id IS NULL
GROUP BY role, review_kind
"""

# Columns generated from n (1..rows); {date} is the review date expression for review (n-1)/8+1.
ROLE = "CASE (n % 8) WHEN 0 THEN 'child' WHEN 1 THEN 'parent' WHEN 2 THEN 'carer' WHEN 3 THEN 'health' WHEN 4 THEN 'education' WHEN 5 THEN 'care_leaver' WHEN 6 THEN 'guardian' ELSE 'parent' END"
KIND = "CASE WHEN ((n - 1) / 8) % 6 = 0 THEN 'pathway_plan' ELSE 'cared_for' END"
STAGE = "CASE WHEN n % 10 < 8 THEN 'consultation' ELSE 'feedback' END"
CHANNEL = "CASE (n % 4) WHEN 0 THEN 'email' WHEN 1 THEN 'post' WHEN 2 THEN 'hand' ELSE 'qr' END"
OFFSET = f"((((n - 1) / 8) * 7919) % {DAYS})"


def _sqlite_fill(engine: sa.Engine, rows: int) -> None:
    reviews = rows // PER_REVIEW + 1
    day = f"date('{FIRST_DAY}', '+' || {OFFSET} || ' days')"
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
        conn.exec_driver_sql(
            "INSERT INTO review (id, child_id, kind, review_date, venue, iro_id, status, created_at,"
            " updated_at, version_id) WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s"
            f" WHERE n < {reviews}) SELECT n, 1 + n / 4, 'cared_for', date('{FIRST_DAY}', '+' ||"
            f" ((n - 1) * 7919 % {DAYS}) || ' days'), '', 1 + n % 20, 'held', '2010-01-01',"
            " '2010-01-01', 1 FROM s"
        )
        conn.exec_driver_sql(
            "INSERT INTO invitation (review_id, review_date, review_kind, stage, role, form_key,"
            " recipient_name, language, channel, reminders_sent, send_attempts, sent_at,"
            " returned_at, return_channel, created_at)"
            f" WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {rows})"
            f" SELECT (n - 1) / 8 + 1, {day}, {KIND}, {STAGE}, {ROLE}, 'f', '', 'en', {CHANNEL}, 0, 0,"
            f" CASE WHEN n % 50 = 0 THEN NULL ELSE datetime({day}, '-15 days') END,"
            f" CASE WHEN n % 50 <> 0 AND (n * 37) % 100 < 30 THEN datetime({day}, '-2 days') END,"
            f" CASE WHEN n % 50 <> 0 AND (n * 37) % 100 < 30 THEN 'paper' END, '2010-01-01' FROM s"
        )


def _pg_fill(engine: sa.Engine, rows: int) -> None:
    reviews = rows // PER_REVIEW + 1
    day = f"(DATE '{FIRST_DAY}' + {OFFSET}::int)"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO child (id, case_ref, first_name, date_of_birth, preferred_language,"
                " created_at, updated_at, version_id) SELECT n, 'C' || n, '', DATE '2005-01-01', 'en',"
                f" now(), now(), 1 FROM generate_series(1, {reviews // 4 + 2}) n"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO review (id, child_id, kind, review_date, venue, iro_id, status, created_at,"
                f" updated_at, version_id) SELECT n, 1 + n / 4, 'cared_for', DATE '{FIRST_DAY}' +"
                f" ((n - 1)::bigint * 7919 % {DAYS})::int, '', 1 + n % 20, 'held', now(), now(), 1"
                f" FROM generate_series(1, {reviews}) n"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO invitation (review_id, review_date, review_kind, stage, role, form_key,"
                " recipient_name, language, channel, reminders_sent, send_attempts, sent_at,"
                " returned_at, return_channel, created_at)"
                f" SELECT (n - 1) / 8 + 1, {day}, {KIND}, {STAGE}, {ROLE}, 'f', '', 'en', {CHANNEL}, 0, 0,"
                f" CASE WHEN n % 50 = 0 THEN NULL ELSE {day} - interval '15 days' END,"
                f" CASE WHEN n % 50 <> 0 AND (n * 37) % 100 < 30 THEN {day} - interval '2 days' END,"
                f" CASE WHEN n % 50 <> 0 AND (n * 37) % 100 < 30 THEN 'paper' END, now()"
                f" FROM generate_series(1, {rows}::bigint) n"
            )
        )


def _compare(period: Any) -> tuple[float, float]:
    from portal.extensions import db
    from portal.reporting import return_rates

    portal_s, table = best(lambda: return_rates(period))
    hand_s, hand = best(
        lambda: db.session.execute(
            sa.text(HAND_WRITTEN), {"first": period.start, "last": period.end}
        ).all()
    )
    assert table.total.sent == sum(row.sent for row in hand), "portal and SQL disagree"
    return portal_s, hand_s


def _fill_and_time(kind: str, url: str, rows: int) -> list[tuple[str, float, float]]:
    fill = {"sqlite": _sqlite_fill, "postgresql": _pg_fill}
    build(kind, url, rows, fill, ("invitation",), "invitations")
    return measure(url, FIRST_DAY, _compare)


def _time_import(kind: str, url: str, rows: int, workdir: Path) -> float:
    """Write a `rows`-line invitations CSV and time `import_invitations` on a migrated database."""
    import csv

    from flask_migrate import upgrade

    from portal import create_app
    from portal.importing.invitations import import_invitations

    path = workdir / f"invitations-{rows}.csv"
    if not path.exists():
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["case_ref", "review_kind", "review_date", "stage", "role", "sent_on",
                             "returned_on", "channel", "language", "iro"])  # fmt: skip
            roles = ("child", "parent", "carer", "health", "education")
            for n in range(rows):
                review = n // 5
                day = FIRST_DAY + dt.timedelta(days=review * 7919 % DAYS)
                writer.writerow([
                    f"C{review // 3}", "cared_for", day, "consultation", roles[n % 5],
                    day - dt.timedelta(days=15), day - dt.timedelta(days=2) if n % 3 == 0 else "",
                    "email", "en", f"iro{review % 20}@example.org",
                ])  # fmt: skip
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_ENV": "testing"})
    with app.app_context():
        upgrade(directory=str(Path(__file__).parent.parent / "migrations"), revision="heads")
        started = time.perf_counter()
        summary = import_invitations(path)
        elapsed = time.perf_counter() - started
        assert summary.created == rows, summary
        from portal.extensions import db

        db.engine.dispose()
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Print one table: database, rows, query, portal seconds, hand-written seconds, ratio."""
    parser = argparse.ArgumentParser(prog="report_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000000", help="comma list, e.g. 1000000,10000000")
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--no-import", action="store_true")
    args = parser.parse_args(argv or [])
    table: list[tuple[str, str, str, float, float]] = []
    imports: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-", dir="/tmp") as tmp:
        workdir = Path(tmp)
        for kind in args.db.split(","):
            for rows in (int(value) for value in args.rows.split(",")):
                made = database(kind, workdir / f"bench-{rows}.db")
                if made is None:
                    break
                url, drop = made
                try:
                    for label, portal_s, hand_s in _fill_and_time(kind, url, rows):
                        table.append((kind, f"{rows:,}", label, portal_s, hand_s))
                finally:
                    drop()
                    if kind == "sqlite":
                        (workdir / f"bench-{rows}.db").unlink(missing_ok=True)
            if not args.no_import:
                made = database(kind, workdir / "import.db")
                if made is None:
                    continue
                url, drop = made
                try:
                    imports.append((kind, args.import_rows,
                                    _time_import(kind, url, args.import_rows, workdir)))  # fmt: skip
                finally:
                    drop()
    print()
    print("| database | invitations | report | portal (s) | hand-written SQL (s) | ratio |")
    print("|---|---:|---|---:|---:|---:|")
    for kind, rows_label, label, portal_s, hand_s in table:
        print(f"| {kind} | {rows_label} | {label} | {portal_s:.3f} | {hand_s:.3f} |"
              f" {portal_s / hand_s:.2f} |")  # fmt: skip
    if imports:
        print()
        print("| database | CSV rows | import (s) | rows/s |")
        print("|---|---:|---:|---:|")
        for kind, rows, seconds in imports:
            print(f"| {kind} | {rows:,} | {seconds:.1f} | {rows / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
