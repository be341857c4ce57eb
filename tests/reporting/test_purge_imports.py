"""Purge keeps imported history countable and the import's duplicate check working (ADR 0047)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Response
from tests.reporting.test_feedback_cli import HEADER, ROWS, feedback, import_rows

PERIOD = ("--from", "2017-01-01", "--to", "2017-12-31")


def test_purge_keeps_option_counts_drops_free_text_and_reimport_adds_nothing(runner, app, tmp_path):
    first = import_rows(runner, tmp_path, ROWS)
    assert first.exit_code == 0 and "5 created" in first.output, first.output
    before = json.loads(feedback(runner, *PERIOD).output)
    purged = runner.invoke(args=["purge"])
    assert purged.exit_code == 0 and "responses 5" in purged.output, purged.output
    assert json.loads(feedback(runner, *PERIOD).output) == before
    with app.app_context():
        kept = [r.answers for r in db.session.scalars(sa.select(Response))]
        assert not any(
            "comments" in answers and answers["comments"] is not True for answers in kept
        )
        assert "Thank you" not in json.dumps(kept)
        assert all(r.purged_at is not None for r in db.session.scalars(sa.select(Response)))
    again = import_rows(runner, tmp_path, ROWS)
    assert again.exit_code == 0 and "0 created" in again.output, again.output
    assert json.loads(feedback(runner, *PERIOD).output) == before
    second = runner.invoke(args=["purge"])
    assert "responses 0" in second.output, second.output


def test_a_new_row_differing_only_in_free_text_is_still_imported_after_a_purge(
    runner, app, tmp_path
):
    assert import_rows(runner, tmp_path, ROWS).exit_code == 0
    assert runner.invoke(args=["purge"]).exit_code == 0
    changed = [list(row) for row in ROWS]
    changed[0][HEADER.index("comments")] = "A different comment"
    again = import_rows(runner, tmp_path, changed)
    assert "1 created" in again.output, again.output
