"""The backup story: pg_dump a populated database, restore it into a fresh one, same reports."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.pagecheck import PageCheckingClient
from tests.security.routes import routes
from tests.security.world import build_world

pytestmark = pytest.mark.postgres
if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
    pytest.skip("the backup drill needs TEST_DATABASE_URL on PostgreSQL", allow_module_level=True)

CSRF_VALUE = re.compile(r'name="csrf_token"[^>]*value="[^"]+"')
RETURN_RATES = """
SELECT stage, role, review_kind, date_trunc('month', review_date) AS month,
       count(sent_at) AS sent, count(returned_at) AS received
FROM invitation GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""
FEEDBACK = """
SELECT r.form_key, r.role, a.key, a.value::text, count(*)
FROM response r, json_each(r.answers) a GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""


def _libpq(url: str) -> str:
    return (
        sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def _snapshot(url: str) -> dict[str, object]:
    """Every table's row count and the report queries, read straight from the database."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        snapshot: dict[str, object] = {
            table: connection.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar()
            for table in tables
        }
        snapshot["return rates"] = connection.execute(sa.text(RETURN_RATES)).all()
        snapshot["feedback"] = connection.execute(sa.text(FEEDBACK)).all()
    engine.dispose()
    return snapshot


def _report_pages(app, url: str, world) -> dict[str, str]:
    """Every admin report page (return rates, feedback …) as the admin sees it on `url`."""
    reader = create_app({**app.config, "SQLALCHEMY_DATABASE_URI": url})
    reader.test_client_class = PageCheckingClient
    client = reader.test_client()
    token = csrf_token(client, "/auth/sign-in")
    client.post("/auth/sign-in", data={"csrf_token": token, "email": world.emails["admin"],
                                       "password": TEST_PASSWORD})  # fmt: skip
    pages = {}
    for route in routes(reader, world):
        if route.url.startswith("/admin/report") and "GET" in route.methods:
            page = client.get(route.url)
            assert page.status_code == 200, f"{route.url}: {page.status_code}"
            pages[route.url] = CSRF_VALUE.sub("", page.get_data(as_text=True))
    with reader.app_context():
        db.engine.dispose()
    return pages


def test_pg_dump_and_restore_into_a_fresh_database_gives_identical_reports(app, tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    world = build_world(app)
    with app.app_context():
        source = db.engine.url.render_as_string(hide_password=False)
    dump = tmp_path / "portal.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source)],
                   check=True)  # fmt: skip
    target = sa.engine.make_url(source).set(database=f"portal_restore_{secrets.token_hex(4)}")
    admin = sa.create_engine(sa.engine.make_url(source).set(database="postgres"),
                             isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    try:
        target_url = target.render_as_string(hide_password=False)
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(target_url)}",
                        str(dump)], check=True)  # fmt: skip
        before, after = _snapshot(source), _snapshot(target_url)
        assert before["invitation"] > 0 and before["response"] > 0
        assert before["return rates"] and before["feedback"]
        assert after == before
        pages = _report_pages(app, source, world)
        assert pages, "the admin report pages render"
        assert _report_pages(app, target_url, world) == pages
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()
