"""The scale benchmarks' databases: made for one run, bulk filled with indexes off, then dropped.

Shared by `benchmarks.report_scale` and `benchmarks.participation`: SQLite under the run's
temporary folder, PostgreSQL as a database created (and dropped with FORCE) beside BENCH_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
Fill = Callable[[sa.Engine, int], None]
IROS = 20


def best(function: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The median seconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def postgres(base: str) -> tuple[str, Callable[[], None]] | None:
    """A new empty database beside `base` and the function that drops it; None if unreachable."""
    url = sa.engine.make_url(base)
    name = f"portal_bench_{os.getpid()}_{secrets.token_hex(2)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        print(f"   PostgreSQL not reachable ({error.orig}); skipped")
        return None

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def _iro(n: int) -> dict[str, Any]:
    return {"id": n, "email": f"iro{n}@example.org", "name": "", "role": "iro", "active": True,
            "failed_logins": 0, "session_version": 1,
            "created_at": dt.datetime(2010, 1, 1, tzinfo=dt.UTC)}  # fmt: skip


def database(kind: str, sqlite_file: Path) -> tuple[str, Callable[[], None]] | None:
    """The URL of an empty database of `kind` ("sqlite" or "postgresql") and how to drop it."""
    if kind == "sqlite":
        return f"sqlite:///{sqlite_file}", lambda: None
    return postgres(os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))


def build(
    kind: str, url: str, rows: int, fill: dict[str, Fill], tables: tuple[str, ...], noun: str
) -> None:
    """Create every table, fill it with `fill[kind]` while `tables`' indexes are dropped (bulk
    inserts are much faster without them), then index and analyse as a real database would be."""
    import portal.models  # noqa: F401  (registers the tables)
    from portal.extensions import db

    engine = sa.create_engine(url)
    db.metadata.create_all(engine)
    indexes = [index for name in tables for index in db.metadata.tables[name].indexes]
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    started = time.perf_counter()
    with engine.begin() as conn:  # the IROs the generated reviews name (iro_id 1 to IROS)
        conn.execute(
            sa.insert(db.metadata.tables["staff_user"]), [_iro(n) for n in range(1, IROS + 1)]
        )
    fill[kind](engine, rows)
    with engine.begin() as conn:
        for index in indexes:
            index.create(conn)
        conn.exec_driver_sql("ANALYZE")
    if kind == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
    print(f"   {kind}: generated {rows:,} {noun} in {time.perf_counter() - started:.0f} s",
          flush=True)  # fmt: skip
    engine.dispose()


def measure(
    url: str, first_day: dt.date, compare: Callable[[Any], tuple[float, float]]
) -> list[tuple[str, float, float]]:
    """(period, portal seconds, hand-written seconds) for one financial year and the whole
    range, from `compare(period)` run in an app on `url` (it also checks the two agree)."""
    from portal import create_app
    from portal.extensions import db
    from portal.reporting.periods import date_range, financial_year

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_ENV": "testing",
                      "SQLALCHEMY_ENGINE_OPTIONS": {}})  # fmt: skip
    results = []
    with app.app_context():
        for label, period in (
            ("one financial year", financial_year(2015)),
            ("whole range (10 y)", date_range(first_day, dt.date(2020, 3, 31))),
        ):
            results.append((label, *compare(period)))
        db.session.remove()
        db.engine.dispose()
    return results
