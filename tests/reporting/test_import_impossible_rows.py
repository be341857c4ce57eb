"""Imports refuse rows that cannot be true: each gets `line N: reason`,
and one such row imports nothing from the file."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Child, Invitation, Response
from tests.reporting.domain_data import HEADER, write_csv
from tests.reporting.test_feedback_cli import HEADER as RESPONSE_HEADER
from tests.reporting.test_feedback_cli import answers
from tests.reporting.test_import_invitations import row

WITH_CHILD = [*HEADER, "first_name", "date_of_birth"]


def child_row(first_name: str = "Maya", date_of_birth: str = "2009-05-01", **changes) -> list[str]:
    return [*row(**changes), first_name, date_of_birth]


def import_file(runner, tmp_path, kind: str, rows, header) -> tuple[int, list[str]]:
    path = write_csv(tmp_path / f"{kind}.csv", rows, header)
    result = runner.invoke(args=["import", kind, str(path), "--quiet"])
    return result.exit_code, result.stderr.splitlines()


def nothing_imported(app) -> bool:
    with app.app_context():
        return all(db.session.query(model).count() == 0 for model in (Invitation, Response))


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([row(sent_on="2017-04-01", returned_on="")],
         "line 2: sent_on 2017-04-01 is after review_date 2017-03-31 "
         "(a consultation is sent before the review)"),
        ([row(stage="feedback", sent_on="2017-03-10", returned_on="")],
         "line 2: sent_on 2017-03-10 is before review_date 2017-03-31 "
         "(a feedback form is sent after the review)"),
        ([row(review_kind="pathway_plan")],
         "line 2: role child is not invited to a pathway_plan review "
         "(the young person's role there is care_leaver)"),
        ([row(review_date="1999-12-31", stage="feedback", sent_on="2000-01-04", returned_on="")],
         "line 2: review_date 1999-12-31 is not between 2000-01-01 and 2100-12-31"),
        ([row(sent_on="1999-12-31", returned_on="")],
         "line 2: sent_on 1999-12-31 is not between 2000-01-01 and 2100-12-31"),
        ([row(review_date="2101-01-04", sent_on="2100-12-20", returned_on="")],
         "line 2: review_date 2101-01-04 is not between 2000-01-01 and 2100-12-31"),
        ([row(returned_on="9999-12-31")],
         "line 2: returned_on 9999-12-31 is not between 2000-01-01 and 2100-12-31"),
        ([row(case_ref="C\x001")], "line 2: case_ref holds a control character"),
        ([row(case_ref="C1\r\nBcc: x@evil.example")], "line 2: case_ref holds a line break"),
        ([row(recipient="Mum\nDad")], "line 2: recipient holds a line break"),
        ([row(iro="iro\x00@example.org")], "line 2: iro holds a control character"),
    ],
    ids=["consultation-after-review", "feedback-before-review", "child-on-pathway-plan",
         "review-before-2000", "sent-before-2000", "review-after-2100", "returned-in-9999",
         "nul-in-case-ref", "crlf-in-case-ref", "lf-in-recipient", "nul-in-iro"],
)  # fmt: skip
def test_an_impossible_invitation_row_is_refused(runner, app, tmp_path, rows, problem):
    code, errors = import_file(
        runner, tmp_path, "invitations", [row(case_ref="OK1"), *rows], HEADER
    )
    assert code == 1
    assert errors == [problem.replace("line 2", "line 3"), "Nothing imported: 1 problem(s)."]
    assert nothing_imported(app)


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        ([child_row(date_of_birth="2017-04-01")],
         "line 2: date_of_birth 2017-04-01 is after review_date 2017-03-31"),
        ([child_row(date_of_birth="1990-01-01")],
         "line 2: date_of_birth 1990-01-01 makes the young person older than 25 at the review"),
        ([child_row(first_name="Maya\r\n")], None),
        ([child_row(first_name="Ma\nya")], "line 2: first_name holds a line break"),
        ([child_row(), child_row(first_name="Mia", role="parent")],
         "line 3: first_name differs from line 2 for the same case_ref"),
        ([child_row(), child_row(date_of_birth="2009-05-02", role="parent")],
         "line 3: date_of_birth differs from line 2 for the same case_ref"),
    ],
    ids=["born-after-review", "older-than-25", "trailing-crlf-is-trimmed", "lf-in-name",
         "two-names-in-file", "two-birth-dates-in-file"],
)  # fmt: skip
def test_an_impossible_child_is_refused(runner, app, tmp_path, rows, problem):
    code, errors = import_file(runner, tmp_path, "invitations", rows, WITH_CHILD)
    if problem is None:
        assert code == 0, errors
        with app.app_context():
            assert db.session.query(Child.first_name).scalar() == "Maya"
        return
    assert code == 1
    assert errors == [problem, "Nothing imported: 1 problem(s)."]
    assert nothing_imported(app)


@pytest.mark.parametrize(
    ("later", "problem"),
    [
        (child_row(first_name="Mia", role="parent"),
         "line 2: first_name differs from the child already recorded with this case_ref"),
        (child_row(date_of_birth="2010-05-01", role="parent"),
         "line 2: date_of_birth differs from the child already recorded with this case_ref"),
    ],
    ids=["name", "birth-date"],
)  # fmt: skip
def test_a_case_ref_already_recorded_with_another_name_or_birth_date_is_refused(
    runner, app, tmp_path, later, problem
):
    assert import_file(runner, tmp_path, "invitations", [child_row()], WITH_CHILD)[0] == 0
    code, errors = import_file(runner, tmp_path, "invitations", [later], WITH_CHILD)
    assert code == 1
    assert errors == [problem, "Nothing imported: 1 problem(s)."]
    with app.app_context():
        assert db.session.query(Invitation).count() == 1
    same = child_row(first_name="maya", role="parent")  # the same child, written in lower case
    assert import_file(runner, tmp_path, "invitations", [same], WITH_CHILD)[0] == 0


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"comments": "Thank\x00you"}, "line 3: comments holds a control character"),
        ({"submitted_on": "1999-12-31"},
         "line 3: submitted_on 1999-12-31 is not between 2000-01-01 and 2100-12-31"),
        ({"submitted_on": "9999-12-31"},
         "line 3: submitted_on 9999-12-31 is not between 2000-01-01 and 2100-12-31"),
    ],
    ids=["nul-in-free-text", "before-2000", "in-9999"],
)  # fmt: skip
def test_an_impossible_response_row_is_refused(runner, app, tmp_path, changes, problem):
    rows = [answers(sent_form="yes"), answers(**changes)]
    code, errors = import_file(runner, tmp_path, "responses", rows, RESPONSE_HEADER)
    assert code == 1
    assert errors == [problem, "Nothing imported: 1 problem(s)."]
    assert nothing_imported(app)


def test_free_text_keeps_its_line_breaks(runner, app, tmp_path):
    rows = [answers(comments="Thank you\r\nfor listening")]
    assert import_file(runner, tmp_path, "responses", rows, RESPONSE_HEADER)[0] == 0
    with app.app_context():
        assert db.session.query(Response).one().answers["comments"] == "Thank you\r\nfor listening"


@pytest.mark.parametrize(
    ("kind", "header"), [("invitations", HEADER), ("responses", RESPONSE_HEADER)]
)
def test_an_absurdly_wide_header_is_refused_with_one_clear_line(
    runner, app, tmp_path, kind, header
):
    wide = [*header, *(f"c{number}" for number in range(50_000 - len(header)))]
    code, errors = import_file(runner, tmp_path, kind, [], wide)
    assert code == 1
    assert errors[0].startswith("line 1: 50000 columns, more than the ")
    assert len(errors) == 2


def test_repeated_and_unknown_columns_are_still_named(runner, tmp_path):
    header = [*HEADER, "colour", "case_ref", "colour"]
    code, errors = import_file(runner, tmp_path, "invitations", [], header)
    assert code == 1
    assert errors[:2] == [
        "line 1: unknown column colour, colour",
        "line 1: column repeated: case_ref, colour",
    ]
