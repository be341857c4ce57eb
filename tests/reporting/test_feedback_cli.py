"""`portal import responses` and `portal report feedback`: the JSON contract, exactly."""

from __future__ import annotations

import csv
import datetime as dt
import json

from portal.extensions import db
from portal.models import Invitation, Response, Review
from tests.reporting.domain_data import write_csv

HEADER = [
    "form", "submitted_on", "language", "sent_form", "filled_in", "views_asked", "right_things",
    "said_what_wanted", "listened_to", "anyone_missing", "who_missing", "length",
    "anyone_shouldnt", "iro_listening", "next_review", "comments",
]  # fmt: skip


def answers(**values):
    base = dict.fromkeys(HEADER, "")
    base.update(form="child_feedback", submitted_on="2017-03-15", language="en")
    base.update(values)
    return [base[name] for name in HEADER]


ROWS = [
    answers(sent_form="yes", filled_in="yes", iro_listening="9", who_missing="family;friend",
            anyone_missing="yes", comments="Thank you"),
    answers(sent_form="yes", filled_in="no", iro_listening="5", anyone_missing="no"),
    answers(sent_form="no", iro_listening="2", comments="   "),
    answers(sent_form="not_sure", iro_listening="10", anyone_missing="yes", who_missing="family",
            language="ps", comments="=HYPERLINK(\"http://x\")"),
    answers(submitted_on="2017-04-01", sent_form="yes"),
]  # fmt: skip


def import_rows(runner, tmp_path, rows, header=HEADER):
    path = write_csv(tmp_path / "responses.csv", rows, header)
    return runner.invoke(args=["import", "responses", str(path), "--quiet"])


def feedback(runner, *args):
    result = runner.invoke(args=["report", "feedback", "--form", "child_feedback", *args])
    assert result.exit_code == 0, result.output
    return result


def test_feedback_json_has_every_question_in_form_order_with_zero_counts(runner, app, tmp_path):
    assert import_rows(runner, tmp_path, ROWS).exit_code == 0
    data = json.loads(feedback(runner, "--from", "2017-03-01", "--to", "2017-03-31").output)
    assert data["form"] == "child_feedback" and data["responses"] == 4
    questions = {q["key"]: q for q in data["questions"]}
    with app.app_context():
        from portal.questionnaires import catalogue

        in_form_order = [q.key for q in catalogue().get("child_feedback").questions]
    assert [q["key"] for q in data["questions"]] == in_form_order
    assert questions["sent_form"] == {
        "key": "sent_form", "type": "choice", "answered": 4,
        "options": [
            {"key": "yes", "count": 2, "pct": 50.0},
            {"key": "no", "count": 1, "pct": 25.0},
            {"key": "not_sure", "count": 1, "pct": 25.0},
        ],
    }  # fmt: skip
    assert questions["filled_in"]["answered"] == 2
    assert questions["views_asked"] == {
        "key": "views_asked", "type": "choice", "answered": 0,
        "options": [{"key": "yes", "count": 0, "pct": None}, {"key": "no", "count": 0, "pct": None}],
    }  # fmt: skip
    assert questions["who_missing"]["answered"] == 2
    assert questions["who_missing"]["options"] == [
        {"key": "family", "count": 2, "pct": 100.0},
        {"key": "friend", "count": 1, "pct": 50.0},
        {"key": "professional", "count": 0, "pct": 0.0},
        {"key": "other", "count": 0, "pct": 0.0},
    ]
    scale = questions["iro_listening"]
    assert scale["answered"] == 4 and scale["mean"] == 6.5
    assert scale["bands"] == [
        {"key": "1-3", "count": 1, "pct": 25.0},
        {"key": "4-6", "count": 1, "pct": 25.0},
        {"key": "7-10", "count": 2, "pct": 50.0},
    ]
    assert questions["comments"] == {"key": "comments", "type": "text", "answered": 2}


def test_scale_mean_rounds_to_two_decimals(runner, tmp_path):
    rows = [answers(iro_listening=value) for value in ("10", "10", "9")]
    import_rows(runner, tmp_path, rows)
    data = json.loads(feedback(runner, "--from", "2017-03-15", "--to", "2017-03-15").output)
    assert next(q for q in data["questions"] if q["key"] == "iro_listening")["mean"] == 9.67


def test_feedback_period_is_the_submitted_date_with_both_ends_included(runner, tmp_path):
    import_rows(runner, tmp_path, ROWS)
    april = json.loads(feedback(runner, "--from", "2017-04-01", "--to", "2017-04-01").output)
    march_end = json.loads(feedback(runner, "--from", "2017-03-16", "--to", "2017-03-31").output)
    assert april["responses"] == 1 and march_end["responses"] == 0


def test_feedback_csv_lists_comments_neutralised(runner, tmp_path):
    import_rows(runner, tmp_path, ROWS)
    result = feedback(runner, "--from", "2017-03-01", "--to", "2017-03-31", "--format", "csv")
    rows = list(csv.reader(result.output.splitlines()))
    assert ["sent_form", "choice", "4", "yes", "2", "50.0"] in rows
    assert ["iro_listening", "scale", "4", "mean", "", "6.5"] in rows
    assert ["2017-03-15", "comments", "ps", '\'=HYPERLINK("http://x")'] in rows
    assert ["2017-03-15", "comments", "en", "Thank you"] in rows


def test_reimporting_responses_changes_nothing_but_identical_rows_both_stay(runner, app, tmp_path):
    rows = [*ROWS, ROWS[1]]
    first = import_rows(runner, tmp_path, rows)
    assert first.output.strip() == "6 rows read, 6 created, 0 updated, 0 unchanged"
    second = import_rows(runner, tmp_path, rows)
    assert second.output.strip() == "6 rows read, 0 created, 0 updated, 6 unchanged"
    with app.app_context():
        stored = db.session.query(Response).all()
        assert len(stored) == 6
        assert {(r.source, r.invitation_id) for r in stored} == {("import", None)}
        assert stored[0].answers["iro_listening"] == 9
        assert stored[0].answers["who_missing"] == ["family", "friend"]


def test_every_bad_response_row_is_reported_and_nothing_is_imported(runner, app, tmp_path):
    rows = [
        answers(),
        answers(form="space_form"),
        answers(submitted_on="yesterday"),
        answers(language="klingon"),
        answers(sent_form="maybe"),
        answers(who_missing="family;cousin"),
        answers(iro_listening="eleven"),
        answers(iro_listening="11"),
        answers(comments="x" * 2001),
    ]
    result = import_rows(runner, tmp_path, rows)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 3: form 'space_form' is not a known form",
        "line 4: submitted_on 'yesterday' is not a date like 2017-03-31",
        "line 5: language 'klingon' is not a supported language",
        "line 6: sent_form 'maybe' is not an option (yes|no|not_sure)",
        "line 7: who_missing 'cousin' is not an option (family|friend|professional|other)",
        "line 8: iro_listening 'eleven' is not a whole number",
        "line 9: iro_listening 11 is not between 1 and 10",
        "line 10: comments is longer than 2000 characters",
        "Nothing imported: 8 problem(s).",
    ]
    with app.app_context():
        assert db.session.query(Response).count() == 0


def test_unknown_or_missing_columns_are_errors(runner, tmp_path):
    result = import_rows(runner, tmp_path, [["child_feedback", "2017-03-15", "en", "x"]],
                         ["form", "submitted_on", "language", "favourite_colour"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "line 1: unknown column favourite_colour"
    result = import_rows(runner, tmp_path, [["child_feedback", "en"]], ["form", "language"])
    assert result.stderr.splitlines()[0] == "line 1: missing column submitted_on"


def test_unknown_form_key_for_the_report_is_a_usage_error(runner):
    result = runner.invoke(
        args=["report", "feedback", "--form", "nope", "--from", "2017-01-01", "--to", "2017-01-02"]
    )
    assert result.exit_code == 2 and "child_feedback" in result.output


def test_meeting_qr_responses_count_in_feedback_but_never_in_return_rates(runner, app, db):
    from portal.models import Child, MeetingQR

    child = Child(case_ref="Q1", first_name="Sam", date_of_birth=dt.date(2008, 1, 1))
    review = Review(child=child, kind="cared_for", review_date=dt.date(2017, 3, 10))
    qr = MeetingQR(review=review, token_hash="h" * 64,
                   expires_at=dt.datetime(2017, 3, 11, tzinfo=dt.UTC))  # fmt: skip
    invitation = Invitation(
        review=review, review_date=review.review_date, review_kind="cared_for", stage="feedback",
        role="child", form_key="child_feedback", channel="qr",
        sent_at=dt.datetime(2017, 3, 10, 11, tzinfo=dt.UTC),
        returned_at=dt.datetime(2017, 3, 10, 12, tzinfo=dt.UTC), return_channel="online",
    )  # fmt: skip
    db.session.add_all([child, review, qr, invitation])
    db.session.flush()
    invitation.meeting_qr_id = qr.id
    db.session.add(
        Response(
            invitation=invitation,
            review_id=review.id,
            form_key="child_feedback",
            answers={"sent_form": "no"},
            source="meeting_qr",
            submitted_at=dt.datetime(2017, 3, 10, 12, tzinfo=dt.UTC),
        )
    )
    db.session.commit()
    data = json.loads(feedback(runner, "--from", "2017-03-01", "--to", "2017-03-31").output)
    assert data["responses"] == 1 and data["questions"][0]["options"][1]["count"] == 1
    returns = runner.invoke(args=["report", "returns", "--from", "2017-03-01", "--to",
                                  "2017-03-31", "--format", "json"])  # fmt: skip
    assert json.loads(returns.output)["total"]["sent"] == 0


def test_demo_history_fills_the_reports_once(runner, app):
    first = runner.invoke(args=["demo", "--history"])
    assert first.exit_code == 0, first.output
    assert "History: invitations" in first.output and "History: responses" in first.output
    again = runner.invoke(args=["demo", "--history"])
    assert "History:" not in again.output
    today = dt.date.today()
    result = runner.invoke(args=["report", "returns", "--from", (today - dt.timedelta(days=365))
                                 .isoformat(), "--to", today.isoformat(), "--format", "json"])  # fmt: skip
    total = json.loads(result.output)["total"]
    assert total["sent"] > 1000 and 10 < total["rate_pct"] < 60
