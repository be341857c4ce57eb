"""A pooled PostgreSQL connection the server closed is replaced at checkout (SQLAlchemy's pre-ping)."""

from __future__ import annotations

import os
import time

import pytest
import sqlalchemy as sa

from portal.extensions import db
from tests.respond_support import make_invitation

pytestmark = pytest.mark.postgres
if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
    pytest.skip("SQLite has no server to lose: needs TEST_DATABASE_URL", allow_module_level=True)


def _dbapi(connection: sa.Connection):
    return connection.connection.dbapi_connection


def _terminate_others(app) -> None:
    """What a PostgreSQL restart does to the portal's pooled connections.

    pg_terminate_backend only signals: wait until the backends have gone (sent their FATAL and
    closed), as they have long before the next request after a real restart.
    """
    others = "FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
    with app.app_context():
        name = db.engine.url.database
        # Autocommit: pg_stat_activity is a snapshot that holds for a whole transaction.
        admin = sa.create_engine(
            db.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            connection.execute(
                sa.text(f"SELECT pg_terminate_backend(pid) {others}"), {"name": name}
            )
            deadline = time.monotonic() + 10
            while connection.scalar(sa.text(f"SELECT count(*) {others}"), {"name": name}):
                assert time.monotonic() < deadline, "PostgreSQL did not end the backends"
                time.sleep(0.01)
        admin.dispose()


def test_the_pool_pings_each_connection_it_hands_out(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_a_healthy_pooled_connection_is_reused_not_replaced(app):
    with app.app_context():
        with db.engine.connect() as first:
            reused = _dbapi(first)
        with db.engine.connect() as second:
            assert _dbapi(second) is reused


def test_pages_keep_working_after_the_server_drops_every_connection(app):
    link = make_invitation(app, role="carer")
    client = app.test_client()
    assert client.get(link.url, follow_redirects=True).status_code == 200
    with app.app_context(), db.engine.connect() as connection:
        dropped = _dbapi(connection)
    _terminate_others(app)
    page = client.get("/r/start")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    assert dropped.closed  # the ping failed: SQLAlchemy closed it and connected afresh
    with app.app_context(), db.engine.connect() as connection:
        assert _dbapi(connection) is not dropped
        assert connection.scalar(sa.text("SELECT 1")) == 1
