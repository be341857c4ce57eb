"""`portal import reviews`: the schedule from the case system.

All or nothing with `line N: reason` errors; upsert by review_ref or (case_ref, kind, date);
held rows record participation by the under-4 rule; files saved by Excel work.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portal.extensions import db
from portal.importing.csvfile import preview
from portal.importing.reviews import COLUMNS, plan_import
from portal.models import AuditEvent, Child, Invitation, Review, StaffUser
from portal.rules.dates import today
from tests.integration.csv_files import write_rows

HEADER = list(COLUMNS)
PAST = "2025-06-10"
UPCOMING = (today() + dt.timedelta(days=30)).isoformat()
GOOD = {
    "case_ref": "C1",
    "first_name": "Sam",
    "date_of_birth": "2012-05-01",
    "review_kind": "cared_for",
    "review_date": UPCOMING,
    "review_ref": "",
    "iro": "iro.a@example.org",
    "language": "en",
    "held_on": "",
    "participation": "",
    "chaired_by_young_person": "",
}


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def write(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER, **options) -> Path:
    return write_rows(path, rows, header, **options)


def run(runner, path: Path):
    return runner.invoke(args=["import", "reviews", str(path), "--quiet"])


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.query(model).count()
            for model in (Child, Review, StaffUser, Invitation, AuditEvent)
        )


def reviews(app) -> list[Review]:
    with app.app_context():
        found = db.session.query(Review).order_by(Review.id).all()
        db.session.expunge_all()
        return found


def test_import_creates_children_scheduled_reviews_and_an_inactive_iro(runner, app, tmp_path):
    rows = [row(), row(case_ref="C2", first_name="Alex", review_kind="pathway_plan", iro="")]
    result = run(runner, write(tmp_path / "s.csv", rows))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 new reviews, 0 moved, 0 held, 0 updated, 0 unchanged"
    first, second = reviews(app)
    assert (first.status, first.kind, first.review_date.isoformat()) == (
        "scheduled",
        "cared_for",
        UPCOMING,
    )
    assert second.iro_id is None and second.kind == "pathway_plan"
    with app.app_context():
        iro = db.session.query(StaffUser).one()
        assert (iro.email, iro.role, iro.active) == ("iro.a@example.org", "iro", False)
        assert first.iro_id == iro.id
        event = db.session.query(AuditEvent).filter_by(action="reviews_imported").one()
        # Counts only: no case reference, name or email in the audit trail.
        assert event.detail == {
            "read": 2, "new": 2, "moved": 0, "held": 0, "updated": 0, "unchanged": 0,
            "new_iros": 1,
        }  # fmt: skip


def test_the_same_file_twice_changes_nothing_and_says_so(runner, app, tmp_path):
    path = write(tmp_path / "s.csv", [row(), row(case_ref="C2", held_on=PAST, review_date=PAST)])
    assert run(runner, path).exit_code == 0
    before = counts(app)
    result = run(runner, path)
    assert result.exit_code == 0
    assert result.output.strip() == (
        "0 new reviews, 0 moved, 0 held, 0 updated, 2 unchanged "
        "(nothing changed: the portal already matches this file)"
    )
    assert counts(app) == before


def test_a_review_ref_with_a_new_date_moves_the_review_and_its_unsent_invitations(
    runner, app, tmp_path
):
    assert run(runner, write(tmp_path / "a.csv", [row(review_ref="LL-1")])).exit_code == 0
    with app.app_context():
        review = db.session.query(Review).one()
        db.session.add(
            Invitation(
                review_id=review.id,
                review_date=review.review_date,
                review_kind=review.kind,
                stage="consultation",
                role="child",
                form_key="child_consultation",
            )
        )
        db.session.commit()
    later = (today() + dt.timedelta(days=44)).isoformat()
    moved = [row(review_ref="LL-1", review_date=later, review_kind="Pathway_Plan")]
    result = run(runner, write(tmp_path / "b.csv", moved))
    assert result.output.strip() == "0 new reviews, 1 moved, 0 held, 0 updated, 0 unchanged"
    with app.app_context():
        review = db.session.query(Review).one()
        invitation = db.session.query(Invitation).one()
        assert (review.review_date.isoformat(), review.kind) == (later, "pathway_plan")
        assert (invitation.review_date.isoformat(), invitation.review_kind) == (
            later,
            "pathway_plan",
        )
        assert db.session.query(AuditEvent).filter_by(action="review_moved").count() == 1


def test_a_review_ref_with_a_new_iro_reassigns_it(runner, app, tmp_path):
    run(runner, write(tmp_path / "a.csv", [row(review_ref="LL-1")]))
    result = run(runner, write(tmp_path / "b.csv", [row(review_ref="LL-1", iro="b@example.org")]))
    assert result.output.strip() == "0 new reviews, 0 moved, 0 held, 1 updated, 0 unchanged"
    with app.app_context():
        review = db.session.query(Review).one()
        assert review.iro.email == "b@example.org"


def test_a_review_imported_without_its_ref_gains_it_rather_than_doubling(runner, app, tmp_path):
    run(runner, write(tmp_path / "a.csv", [row()]))
    result = run(runner, write(tmp_path / "b.csv", [row(review_ref="LL-9")]))
    assert result.output.strip() == "0 new reviews, 0 moved, 0 held, 1 updated, 0 unchanged"
    assert [review.review_ref for review in reviews(app)] == ["LL-9"]


def test_review_ref_problems_are_line_errors(runner, app, tmp_path):
    run(runner, write(tmp_path / "a.csv", [row(review_ref="LL-1"), row(case_ref="C2")]))
    bad = [
        row(case_ref="C2", review_ref="LL-1"),
        row(review_ref="LL-2"),
        row(case_ref="C3", review_ref="LL-3"),
        row(case_ref="C4", review_ref="LL-3"),
    ]
    result = run(runner, write(tmp_path / "b.csv", bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 5: review_ref repeats line 4",
        "Nothing imported: 1 problem(s).",
    ]
    result = run(runner, write(tmp_path / "c.csv", bad[:2]))
    assert result.stderr.splitlines() == [
        "line 2: review_ref 'LL-1' is another child's review",
        f"line 3: the portal already has this child's cared_for review on {UPCOMING} "
        "as review_ref 'LL-1'",
        "Nothing imported: 2 problem(s).",
    ]


def test_held_on_marks_the_review_held_with_participation(runner, app, tmp_path):
    rows = [
        row(review_date=PAST),
        row(case_ref="C2", review_date=PAST, held_on="2025-06-11", participation="pn1",
            chaired_by_young_person="Yes"),
        row(case_ref="C3", date_of_birth="2023-01-01", review_date=PAST, held_on=PAST),
    ]  # fmt: skip
    result = run(runner, write(tmp_path / "a.csv", rows))
    assert result.output.strip() == "3 new reviews, 0 moved, 2 held, 0 updated, 0 unchanged"
    first, second, third = reviews(app)
    assert first.status == "scheduled" and first.held_on is None
    assert (second.status, second.held_on, second.participation, second.chaired_by_young_person) == (
        "held", dt.date(2025, 6, 11), "PN1", True,
    )  # fmt: skip
    # A child under 4 is PN0 whether or not the file says so.
    assert (third.status, third.participation) == ("held", "PN0")

    # A later file holds the scheduled one through the same rule as the Mark-as-held screen.
    rows[0] = row(review_date=PAST, held_on=PAST, participation="PN6")
    result = run(runner, write(tmp_path / "b.csv", rows))
    assert result.output.strip() == "0 new reviews, 0 moved, 1 held, 0 updated, 2 unchanged"
    assert (reviews(app)[0].status, reviews(app)[0].participation) == ("held", "PN6")
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="review_held").count() == 1


def test_participation_codes_follow_the_under_4_rule(runner, app, tmp_path):
    rows = [
        row(review_date=PAST, held_on=PAST, participation="PN0"),
        row(case_ref="C2", date_of_birth="2023-01-01", review_date=PAST, held_on=PAST,
            participation="PN1"),
        row(case_ref="C3", review_date=PAST, held_on=PAST, participation="PN9"),
        row(case_ref="C4", review_date=PAST, participation="PN1"),
        row(case_ref="C5", review_date=PAST, chaired_by_young_person="maybe"),
    ]  # fmt: skip
    result = run(runner, write(tmp_path / "a.csv", rows))
    assert result.stderr.splitlines() == [
        "line 2: participation PN0: PN0 is only for a child under 4 on the review date",
        "line 3: participation PN1: A child under 4 on the review date is coded PN0",
        "line 4: participation 'PN9' is not one of PN0 to PN7",
        "line 5: participation is given but held_on is blank",
        "line 6: chaired_by_young_person 'maybe' is not yes or no",
        "Nothing imported: 5 problem(s).",
    ]


def test_held_on_before_the_review_or_in_the_future_is_an_error(runner, app, tmp_path):
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    rows = [
        row(review_date=PAST, held_on="2025-06-09"),
        row(case_ref="C2", review_date=today().isoformat(), held_on=tomorrow),
    ]
    result = run(runner, write(tmp_path / "a.csv", rows))
    assert result.stderr.splitlines() == [
        f"line 2: held_on 2025-06-09 is before review_date {PAST}",
        f"line 3: held_on {tomorrow} is in the future",
        "Nothing imported: 2 problem(s).",
    ]


def test_a_different_name_or_birth_date_for_a_known_case_ref_is_an_error(runner, app, tmp_path):
    run(runner, write(tmp_path / "a.csv", [row()]))
    rows = [row(first_name="Sammy", review_date=PAST), row(date_of_birth="2012-05-02")]
    result = run(runner, write(tmp_path / "b.csv", rows))
    assert result.stderr.splitlines() == [
        "line 2: first_name differs from the child already recorded with this case_ref",
        "line 3: date_of_birth differs from the child already recorded with this case_ref",
        "line 3: first_name differs from line 2 for the same case_ref",
        "line 3: date_of_birth differs from line 2 for the same case_ref",
        "Nothing imported: 4 problem(s).",
    ]


def test_one_bad_row_imports_nothing_and_every_bad_row_is_listed(runner, app, tmp_path):
    rows = [
        row(),
        row(case_ref="", first_name=""),
        row(case_ref="C3", review_kind="adoption"),
        row(case_ref="C4", review_date="2025-02-30"),
        row(case_ref="C5", language="xx"),
        row(case_ref="C6", iro="not an email"),
        row(),
        row(case_ref="C8", date_of_birth="1990-01-01"),
    ]
    before = counts(app)
    result = run(runner, write(tmp_path / "a.csv", rows))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 3: case_ref is blank",
        "line 3: first_name is blank",
        "line 4: review_kind 'adoption' is not one of cared_for|pathway_plan",
        "line 5: review_date '2025-02-30' is not a date like 2017-03-31 or 31/03/2017",
        "line 6: language 'xx' is not a supported language",
        "line 7: iro 'not an email' is not an email address",
        "line 8: repeats line 2 (same case_ref, review_kind and review_date)",
        "line 9: date_of_birth 1990-01-01 makes the young person older than 25 at the review",
        "Nothing imported: 8 problem(s).",
    ]
    assert counts(app) == before


def test_the_header_needs_the_required_columns_only(runner, app, tmp_path):
    required = ["case_ref", "first_name", "date_of_birth", "review_kind", "review_date"]
    result = run(runner, write(tmp_path / "a.csv", [row()], header=required))
    assert result.exit_code == 0, result.output
    result = run(runner, write(tmp_path / "b.csv", [row()], header=[*required[:-1], "colour"]))
    assert result.stderr.splitlines() == [
        "line 1: missing column review_date",
        "line 1: unknown column colour",
        "Nothing imported: 2 problem(s).",
    ]


def test_a_file_saved_by_excel_in_windows_1252_with_semicolons_imports(runner, app, tmp_path):
    path = tmp_path / "excel.csv"
    lines = [
        "Case_Ref;First_Name;Date_of_Birth;Review_Kind;Review_Date;Language;Held_On;;",
        "C1;Zoë;01/05/2012;Cared_For;10/06/2025;FA-AF;11/6/2025;;",
        "C2;Siân;2012-05-01;PATHWAY_PLAN;2025-06-10;cy;;;",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 new reviews, 0 moved, 1 held, 0 updated, 0 unchanged"
    with app.app_context():
        children = db.session.query(Child).order_by(Child.case_ref).all()
        assert [(c.first_name, c.preferred_language) for c in children] == [
            ("Zoë", "fa_AF"),
            ("Siân", "cy"),
        ]
        held = db.session.query(Review).filter_by(status="held").one()
        assert held.held_on == dt.date(2025, 6, 11) and held.kind == "cared_for"


def test_a_byte_order_mark_and_utf8_from_excel_are_accepted(runner, app, tmp_path):
    path = write(tmp_path / "bom.csv", [row(first_name="Zoë")], encoding="utf-8-sig")
    assert run(runner, path).exit_code == 0
    with app.app_context():
        assert db.session.query(Child).one().first_name == "Zoë"


def test_a_file_in_neither_encoding_says_save_as_csv_utf8_naming_the_line(runner, app, tmp_path):
    path = write(tmp_path / "a.csv", [row(), row(case_ref="C2")])
    path.write_bytes(path.read_bytes() + b"C3,Zo\x81,2012-05-01,cared_for,2025-06-10\r\n")
    result = run(runner, path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "line 4: the file is not UTF-8 or Windows-1252 text; in Excel choose Save As, then "
        "'CSV UTF-8 (Comma delimited)', and import that file"
    )
    utf16 = tmp_path / "u.csv"
    utf16.write_bytes(write(tmp_path / "b.csv", [row()]).read_text().encode("utf-16"))
    assert "UTF-16" in run(runner, utf16).stderr


def test_the_preview_counts_without_saving(app, runner, tmp_path):
    run(runner, write(tmp_path / "a.csv", [row(review_ref="LL-1")]))
    later = (today() + dt.timedelta(days=40)).isoformat()
    path = write(
        tmp_path / "b.csv", [row(review_ref="LL-1", review_date=later), row(case_ref="C2")]
    )
    before = counts(app)
    with app.app_context():
        planned = preview(plan_import, path)
        assert planned.ok and planned.summary.line() == (
            "1 new reviews, 1 moved, 0 held, 0 updated, 0 unchanged"
        )
        bad = preview(plan_import, write(tmp_path / "c.csv", [row(case_ref="")]))
        assert bad.problems == ["line 2: case_ref is blank"]
        db.session.commit()
    assert counts(app) == before


def test_help_lists_every_column(runner):
    result = runner.invoke(args=["import", "reviews", "--help"])
    for name in COLUMNS:
        assert name in result.output


@pytest.mark.parametrize("value", ["Yes", "NO", "yes"])
def test_yes_no_ignores_case(runner, app, tmp_path, value):
    rows = [row(review_date=PAST, held_on=PAST, chaired_by_young_person=value)]
    assert run(runner, write(tmp_path / "a.csv", rows)).exit_code == 0
    assert reviews(app)[0].chaired_by_young_person is (value.lower() == "yes")


def test_a_held_review_takes_a_later_code_but_a_blank_cell_clears_nothing(runner, app, tmp_path):
    held = row(review_date=PAST, held_on=PAST, participation="PN7", chaired_by_young_person="no")
    run(runner, write(tmp_path / "a.csv", [held]))
    result = run(runner, write(tmp_path / "b.csv", [{**held, "participation": "PN2"}]))
    assert result.output.strip() == "0 new reviews, 0 moved, 0 held, 1 updated, 0 unchanged"
    blank = {**held, "participation": "", "chaired_by_young_person": ""}
    result = run(runner, write(tmp_path / "c.csv", [blank]))
    assert result.output.strip().startswith(
        "0 new reviews, 0 moved, 0 held, 0 updated, 1 unchanged"
    )
    review = reviews(app)[0]
    assert (review.participation, review.chaired_by_young_person) == ("PN2", False)


def test_a_held_review_cannot_move_and_a_new_language_updates_the_child(runner, app, tmp_path):
    run(runner, write(tmp_path / "a.csv", [row(review_ref="LL-1", review_date=PAST, held_on=PAST)]))
    moved = row(review_ref="LL-1", review_date="2025-06-12", held_on="2025-06-12")
    result = run(runner, write(tmp_path / "b.csv", [moved]))
    assert result.stderr.splitlines()[0] == (
        f"line 2: the review was held on {PAST}; a held review cannot move"
    )
    relabelled = row(review_ref="LL-1", review_date=PAST, language="ar")
    result = run(runner, write(tmp_path / "c.csv", [relabelled]))
    assert result.output.strip() == "0 new reviews, 0 moved, 0 held, 1 updated, 0 unchanged"
    with app.app_context():
        assert db.session.query(Child).one().preferred_language == "ar"
    assert (
        run(runner, write(tmp_path / "d.csv", [relabelled]))
        .output.strip()
        .endswith("(nothing changed: the portal already matches this file)")
    )


def test_column_names_typed_with_spaces_as_people_do_in_excel_are_understood(runner, app, tmp_path):
    path = tmp_path / "typed.csv"
    lines = [
        "Case Ref;First Name;Date of Birth;Review Kind;Review Date;Review-Ref",
        "C1;Zoë;01/05/2012;Cared For;10/06/2030;R-1",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(Review).one().review_ref == "R-1"
