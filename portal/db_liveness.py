"""Refuse a dead PostgreSQL connection at pool checkout, without a round trip (issue 8).

SQLAlchemy's `pool_pre_ping` sends a query on every checkout: one more round trip and about a
tenth of a respondent page's CPU. But when PostgreSQL ends a connection (a restart,
`pg_terminate_backend`, an idle timeout) it sends a FATAL message and closes the socket, so the
socket turns readable; a healthy idle connection has nothing to say. Asking the socket costs one
poll() call. A connection that is readable or already broken is refused with DisconnectionError,
and the pool replaces it (up to three tries), as SQLAlchemy documents for a custom pessimistic
check. What this cannot see: a network path that died silently (a ping would hang there too),
and a connection ended in the instant between the check and its first query (that one request
fails, as it would if the server went away just after a ping).
"""

from __future__ import annotations

import select
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine


def connection_is_gone(dbapi_connection: Any) -> bool:
    """Whether the server has closed (or is closing) this idle DBAPI connection."""
    if getattr(dbapi_connection, "broken", False) or getattr(dbapi_connection, "closed", False):
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _refuse_dead(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    if connection_is_gone(dbapi_connection):
        raise exc.DisconnectionError("the database server closed this pooled connection")


def install(engine: Engine) -> None:
    """Check each PostgreSQL checkout (SQLite has no server to lose)."""
    if engine.dialect.name == "postgresql" and not event.contains(engine, "checkout", _refuse_dead):
        event.listen(engine, "checkout", _refuse_dead)
