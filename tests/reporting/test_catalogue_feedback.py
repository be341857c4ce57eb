"""Feedback results for the catalogue's carer and meeting forms, through the real write paths."""

from __future__ import annotations

import datetime as dt
import json

from portal.models import Child, Review
from portal.questionnaires import catalogue
from portal.rules.meeting_qr import create_meeting_qr, find_meeting_qr, start_qr_response
from portal.rules.responses import submit_response
from tests.reporting.domain_data import write_csv


def report(runner, form, start, end):
    result = runner.invoke(
        args=["report", "feedback", "--form", form, "--from", start, "--to", end]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_carer_feedback_imported_from_paper_reports_every_option(runner, tmp_path):
    header = ["form", "submitted_on", "language", "received_form", "convenient", "length"]
    rows = [
        ["carer_feedback", "2017-05-02", "en", "yes", "yes", "about_right"],
        ["carer_feedback", "2017-05-03", "en", "no", "", "too_long"],
        ["carer_feedback", "2017-05-04", "en", "yes", "no", ""],
    ]
    path = write_csv(tmp_path / "carers.csv", rows, header)
    assert runner.invoke(args=["import", "responses", str(path), "--quiet"]).exit_code == 0
    data = report(runner, "carer_feedback", "2017-05-01", "2017-05-31")
    questions = {q["key"]: q for q in data["questions"]}
    assert data["responses"] == 3
    assert questions["received_form"]["options"] == [
        {"key": "yes", "count": 2, "pct": 66.7},
        {"key": "no", "count": 1, "pct": 33.3},
    ]
    assert questions["convenient"]["answered"] == 2
    assert [o["count"] for o in questions["length"]["options"]] == [0, 1, 1]
    assert questions["completed_form"] == {
        "key": "completed_form",
        "type": "choice",
        "answered": 0,
        "options": [
            {"key": "yes", "count": 0, "pct": None},
            {"key": "no", "count": 0, "pct": None},
        ],
    }


def test_meeting_qr_feedback_counts_in_results_and_never_in_return_rates(runner, app, db):
    child = Child(case_ref="M1", first_name="Sam", date_of_birth=dt.date(2008, 1, 1))
    review = Review(child=child, kind="cared_for", review_date=dt.date.today())
    db.session.add_all([child, review])
    db.session.flush()
    raw = create_meeting_qr(review)
    db.session.commit()
    invitation = start_qr_response(find_meeting_qr(raw), "professional")
    form = catalogue().get(invitation.form_key)
    assert form.key == "meeting_feedback"
    answers = {"role": "professional", "read_reports": "some", "chairing": "good"}
    submit_response(invitation, form, answers, language="en", source="meeting_qr")
    today = dt.date.today().isoformat()
    data = report(runner, "meeting_feedback", today, today)
    questions = {q["key"]: q for q in data["questions"]}
    assert data["responses"] == 1
    assert questions["chairing"]["options"][1] == {"key": "good", "count": 1, "pct": 100.0}
    returns = runner.invoke(
        args=["report", "returns", "--from", today, "--to", today, "--format", "json"]
    )
    assert json.loads(returns.output)["rows"] == []
