"""`portal import invitations`: every bad row is reported, nothing is half imported, re-import is a no-op."""

from __future__ import annotations

import json

from portal.extensions import db
from portal.models import AuditEvent, Child, Invitation, Review, StaffUser
from tests.reporting.domain_data import HEADER, write_csv

GOOD = [
    "C1", "cared_for", "2017-03-31", "consultation", "child", "2017-03-10", "2017-03-20",
    "email", "en", "iro.x@example.org", "", "online",
]  # fmt: skip


def row(**changes):
    values = dict(zip(HEADER, GOOD, strict=True))
    values.update(changes)
    return [values[name] for name in HEADER]


def run(runner, path):
    return runner.invoke(args=["import", "invitations", str(path), "--quiet"])


def counts(app):
    with app.app_context():
        return tuple(
            db.session.query(model).count() for model in (Child, Review, Invitation, StaffUser)
        )


def test_a_file_with_one_bad_row_imports_nothing_and_lists_every_bad_row(runner, app, tmp_path):
    rows = [
        row(),
        row(case_ref="", role="child"),
        row(case_ref="C2", review_kind="adoption"),
        row(case_ref="C3", review_date="31/03/2017"),
        row(case_ref="C4", stage="before"),
        row(case_ref="C5", role="teacher"),
        row(case_ref="C6", sent_on=""),
        row(case_ref="C7", returned_on="2017-02-30"),
        row(case_ref="C8", channel="fax"),
        row(case_ref="C9", language="xx"),
        row(case_ref="C10", iro="not an email"),
        row(case_ref="C11", return_channel="pigeon"),
        row(case_ref="C12", returned_on="2017-03-01"),
        row(),
        row(case_ref="C13", recipient="x" * 121),
        row(role="parent", iro="other@example.org"),
        row(case_ref="C15", sent_on="2017-3-1"),
        row(case_ref="C" * 41),
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("C16,cared_for,2017-03-31\n")
    result = run(runner, path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 3: case_ref is blank",
        "line 4: review_kind 'adoption' is not one of cared_for|pathway_plan",
        "line 5: review_date '31/03/2017' is not a date like 2017-03-31",
        "line 6: stage 'before' is not one of consultation|feedback",
        "line 7: role 'teacher' is not one of child|care_leaver|parent|carer|health|education|guardian",
        "line 8: sent_on is blank",
        "line 9: returned_on '2017-02-30' is not a date like 2017-03-31",
        "line 10: channel 'fax' is not one of email|sms|post|hand|qr",
        "line 11: language 'xx' is not a supported language",
        "line 12: iro 'not an email' is not an email address",
        "line 13: return_channel 'pigeon' is not one of online|paper",
        "line 14: returned_on is before sent_on",
        "line 15: repeats line 2 (same case_ref, review_kind, review_date, stage, role and recipient)",
        "line 16: recipient is longer than 120 characters",
        "line 17: iro differs from line 2 for the same review",
        "line 18: sent_on '2017-3-1' is not a date like 2017-03-31",
        "line 19: case_ref is longer than 40 characters",
        "line 20: expected 12 fields, found 3",
        "Nothing imported: 18 problem(s).",
    ]  # fmt: skip
    assert counts(app) == (0, 0, 0, 0)


def test_a_row_can_have_several_problems_each_reported(runner, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [row(stage="x", role="y")])
    result = run(runner, path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "line 2: stage 'x' is not one of consultation|feedback",
        "line 2: role 'y' is not one of child|care_leaver|parent|carer|health|education|guardian",
    ]


def test_header_problems_are_reported_against_line_1(runner, app, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [GOOD[:-1]], [*HEADER[:-3], "colour", "recipient"])
    result = run(runner, path)
    assert result.exit_code == 1
    assert "line 1: missing column iro" in result.stderr
    assert "line 1: unknown column colour" in result.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert run(runner, empty).stderr.startswith("line 1: the file is empty")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(HEADER).encode() + b"\nC\xe9,x\n")
    assert "line 1: the file is not UTF-8" in run(runner, latin).stderr
    assert counts(app) == (0, 0, 0, 0)


def test_import_creates_children_reviews_and_an_inactive_iro(runner, app, tmp_path):
    rows = [row(), row(role="carer", returned_on="", return_channel=""), row(case_ref="C2")]
    result = run(runner, write_csv(tmp_path / "ok.csv", rows))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "3 rows read, 3 created, 0 updated, 0 unchanged"
    assert counts(app) == (2, 2, 3, 1)
    with app.app_context():
        iro = db.session.query(StaffUser).one()
        assert (iro.email, iro.role, iro.active, iro.password_hash) == (
            "iro.x@example.org", "iro", False, None,
        )  # fmt: skip
        review = db.session.query(Review).filter_by(child_id=db.session.query(Child).filter_by(
            case_ref="C1").one().id).one()  # fmt: skip
        assert review.iro_id == iro.id and review.kind == "cared_for"
        child_form = db.session.query(Invitation).filter_by(role="child").first()
        assert child_form.review_date.isoformat() == "2017-03-31"
        assert child_form.return_channel == "online" and child_form.sent_at.hour == 12
        assert db.session.query(AuditEvent).filter_by(action="invitations_imported").count() == 1


def test_reimporting_the_same_file_changes_nothing(runner, app, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [row(), row(role="carer", returned_on="")])
    assert run(runner, path).exit_code == 0
    before = counts(app)
    again = run(runner, path)
    assert again.exit_code == 0
    assert again.output.strip() == "2 rows read, 0 created, 0 updated, 2 unchanged"
    assert counts(app) == before


def test_a_later_file_adds_a_return_but_never_removes_one(runner, app, tmp_path):
    first = write_csv(tmp_path / "a.csv", [row(role="carer", returned_on="", return_channel="")])
    assert run(runner, first).exit_code == 0
    later = write_csv(tmp_path / "b.csv", [row(role="carer", return_channel="paper")])
    assert run(runner, later).output.strip() == "1 rows read, 0 created, 1 updated, 0 unchanged"
    blank_again = run(runner, first)
    assert blank_again.output.strip() == "1 rows read, 0 created, 0 updated, 1 unchanged"
    result = runner.invoke(
        args=["report", "returns", "--from", "2017-03-01", "--to", "2017-03-31", "--format", "json"]
    )
    assert json.loads(result.output)["total"] == {"sent": 1, "received": 1, "rate_pct": 100.0}


def test_recipient_distinguishes_two_forms_for_the_same_role(runner, app, tmp_path):
    rows = [row(role="parent", recipient="Mum"), row(role="parent", recipient="Dad")]
    result = run(runner, write_csv(tmp_path / "ok.csv", rows))
    assert result.output.strip() == "2 rows read, 2 created, 0 updated, 0 unchanged"


def test_a_byte_order_mark_from_excel_is_accepted(runner, app, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [row()])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run(runner, path).exit_code == 0
