"""SQLite runs with a write-ahead log synced at checkpoints (ADR 0071): a commit is an append,
not several disk syncs, which is what bound `send-due`'s two commits an email."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.extensions import db as _db


@pytest.fixture
def sqlite_app(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite's journal; PostgreSQL keeps its own settings")
    return app


def _pragmas(connection) -> tuple[str, int]:
    journal = connection.execute(text("PRAGMA journal_mode")).scalar_one()
    synchronous = connection.execute(text("PRAGMA synchronous")).scalar_one()
    return journal, synchronous


def test_every_connection_uses_the_write_ahead_log_synced_at_checkpoints(sqlite_app):
    with sqlite_app.app_context():
        _db.engine.dispose()  # new connections, not ones made before the app was configured
        with _db.engine.connect() as first, _db.engine.connect() as second:
            assert _pragmas(first) == _pragmas(second) == ("wal", 1)  # 1 is NORMAL
