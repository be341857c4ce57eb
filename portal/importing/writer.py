"""Bulk inserts: COPY on PostgreSQL, executemany in large batches on SQLite."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Table, insert

from portal.extensions import db
from portal.importing.csvfile import ImportCounts, Progress
from portal.staff import audit

BATCH = 20_000
Counts = TypeVar("Counts", bound=ImportCounts)


def commit_import(action: str, summary: Counts) -> Counts:
    """Audit what an import did, counts only (names and addresses never go into the audit
    log), and commit it with the rows it wrote."""
    audit.record(action, None, **summary.as_dict())
    db.session.commit()
    return summary


def insert_rows(table: Table, rows: list[dict[str, Any]], progress: Progress | None = None) -> None:
    """Insert `rows` (dicts with the same keys) in the session's transaction."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows, progress)
        return
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        connection.execute(insert(table), chunk)
        if progress:
            progress(len(chunk))


def _adapt(value: Any) -> Any:
    if isinstance(value, dict | list):
        from psycopg.types.json import Json

        return Json(value)
    return value


def _copy(
    connection: Any, table: Table, rows: list[dict[str, Any]], progress: Progress | None
) -> None:
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for index, row in enumerate(rows, 1):
            copy.write_row([_adapt(row[name]) for name in columns])
            if progress and index % BATCH == 0:
                progress(BATCH)
    if progress:
        progress(len(rows) % BATCH)
