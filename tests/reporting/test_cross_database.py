"""SQLite and PostgreSQL give identical reports from the same files (needs TEST_DATABASE_URL)."""

from __future__ import annotations

import json
import os

import pytest
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db
from tests.conftest import _config, _create_postgres_database
from tests.reporting.domain_data import domain_rows, write_csv
from tests.reporting.test_feedback_cli import HEADER, ROWS

BASE = os.environ.get("TEST_DATABASE_URL", "")
pytestmark = pytest.mark.postgres


def reports(url, tmp_path, invitations, responses):
    app = create_app(_config(url, tmp_path))
    with app.app_context():
        upgrade(revision="heads")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import", "invitations", str(invitations), "--quiet"]).exit_code == 0
    assert runner.invoke(args=["import", "responses", str(responses), "--quiet"]).exit_code == 0
    outputs = []
    for args in (
        ["returns", "--from", "2015-04-01", "--to", "2017-03-31", "--by", "role,review_kind"],
        ["returns", "--from", "2015-04-01", "--to", "2017-03-31", "--by", "period,channel,iro",
         "--period", "quarter"],
        ["returns", "--from", "2016-01-01", "--to", "2016-12-31", "--by", "period", "--period",
         "week"],
        ["feedback", "--form", "child_feedback", "--from", "2017-01-01", "--to", "2017-12-31"],
    ):  # fmt: skip
        result = runner.invoke(args=["report", *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    with app.app_context():
        db.engine.dispose()
    return outputs


@pytest.mark.skipif(not BASE.startswith("postgresql"), reason="TEST_DATABASE_URL is not PostgreSQL")
def test_sqlite_and_postgresql_give_identical_reports(tmp_path):
    invitations = write_csv(tmp_path / "i.csv", domain_rows())
    responses = write_csv(tmp_path / "r.csv", ROWS, HEADER)
    (tmp_path / "lite").mkdir()
    (tmp_path / "pg").mkdir()
    sqlite = reports(f"sqlite:///{tmp_path / 'lite.db'}", tmp_path / "lite", invitations, responses)
    url, drop = _create_postgres_database(BASE)
    try:
        postgres = reports(url, tmp_path / "pg", invitations, responses)
    finally:
        drop()
    assert sqlite == postgres
    assert sqlite[0]["total"] == {"sent": 3508, "received": 889, "rate_pct": 25.3}
