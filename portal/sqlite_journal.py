"""SQLite's journal: write-ahead log with `synchronous=NORMAL` (ADR 0071).

In its default rollback journal SQLite syncs the disk several times on every commit, and
`portal send-due` commits often (a batch's claims before its messages go, the results after).
In WAL mode with `synchronous=NORMAL` a commit is an append to the log, synced only at a
checkpoint. A commit survives the process dying (crash, kill -9, the server's OOM killer); only a
power cut or operating-system crash can lose the last commits, never corrupt the file. Readers no
longer wait for a writer, which also helps two `send-due` copies and the web workers side by side.

Set on every new connection through SQLAlchemy's public `connect` event; PostgreSQL is untouched.
An in-memory database has no WAL (SQLite answers "memory") and keeps its own journal.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

JOURNAL_MODE = "wal"
SYNCHRONOUS = "NORMAL"


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # journal_mode is stored in the file: after the first connection this is a no-op.
        cursor.execute(f"PRAGMA journal_mode={JOURNAL_MODE}")
        cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")  # per connection
    finally:
        cursor.close()


def configure(engine: Engine) -> None:
    """Use the WAL journal on `engine` if it is SQLite (once per engine)."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _set_pragmas):
        event.listen(engine, "connect", _set_pragmas)


def init_app(app: Flask) -> None:
    from portal.extensions import db

    with app.app_context():
        configure(db.engine)
