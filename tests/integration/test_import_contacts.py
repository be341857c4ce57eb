"""`portal import contacts`: the people to invite for each child.

Replaced per (case_ref, role, name); all or nothing with `line N:` errors; Excel-friendly;
audited with counts only; importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from portal.extensions import db
from portal.importing.contacts import COLUMNS, plan_import
from portal.importing.csvfile import preview
from portal.models import AuditEvent, Child, Contact
from tests.integration.csv_files import write_rows

HEADER = ["case_ref", "role", "name", "email", "postal_address", "language"]
MUM = {
    "case_ref": "C1",
    "role": "parent",
    "name": "Jo Bloggs",
    "email": "jo@example.org",
    "postal_address": "1 High Street\nTown\nAB1 2CD",
    "language": "en",
}


def row(**changes: str) -> dict[str, str]:
    return {**MUM, **changes}


def write(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER, **options) -> Path:
    return write_rows(path, rows, header, **options)


def run(runner, path: Path):
    return runner.invoke(args=["import", "contacts", str(path), "--quiet"])


@pytest.fixture
def children(app):
    with app.app_context():
        for case_ref in ("C1", "C2"):
            db.session.add(
                Child(case_ref=case_ref, first_name="Sam", date_of_birth=dt.date(2012, 5, 1))
            )
        db.session.commit()


def contacts(app) -> list[tuple]:
    with app.app_context():
        return [
            (c.role, c.name, c.email, c.postal_address, c.language, c.phone)
            for c in db.session.query(Contact).order_by(Contact.id)
        ]


def test_import_adds_contacts_and_a_second_run_changes_nothing(runner, app, tmp_path, children):
    rows = [row(), row(name="Dad", email="", postal_address="", language="")]
    path = write(tmp_path / "c.csv", rows)
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2 new contacts, 0 replaced, 0 unchanged"
    assert contacts(app) == [
        ("parent", "Jo Bloggs", "jo@example.org", "1 High Street\nTown\nAB1 2CD", "en", None),
        ("parent", "Dad", None, None, None, None),
    ]
    again = run(runner, path)
    assert again.exit_code == 0, again.output
    assert "0 new contacts, 0 replaced, 2 unchanged (nothing changed" in again.output
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="contacts_imported").all()
        assert len(events) == 1
        # Counts only: no name, email or address reaches the audit log.
        assert events[0].detail == {"read": 2, "new": 2, "replaced": 0, "unchanged": 0}


def test_same_case_ref_role_and_name_replaces_the_contact(runner, app, tmp_path, children):
    run(runner, write(tmp_path / "a.csv", [row()]))
    header = [*HEADER, "phone"]
    changed = row(name="JO BLOGGS", email="", postal_address="2 Low Road", phone="01234 567890")
    result = run(runner, write(tmp_path / "b.csv", [changed], header=header))
    assert result.output.strip() == "0 new contacts, 1 replaced, 0 unchanged"
    assert contacts(app) == [("parent", "JO BLOGGS", None, "2 Low Road", "en", "01234 567890")]


def test_bad_rows_are_line_errors_and_nothing_is_saved(runner, app, tmp_path, children):
    def one_line(**changes: str) -> dict[str, str]:
        return row(postal_address="1 High Street", **changes)

    rows = [
        one_line(),
        one_line(case_ref="NOPE"),
        one_line(role="uncle"),
        one_line(name="B", email="not-an-email"),
        one_line(name="C", language="xx"),
        row(name="D", postal_address="\n".join(f"line {n}" for n in range(9))),
        one_line(),  # a quoted address spans lines 7-15: this row starts on line 16
    ]
    result = run(runner, write(tmp_path / "bad.csv", rows))
    assert result.exit_code == 1
    errors = result.output.splitlines()
    assert "line 3: case_ref 'NOPE' is not a child in the portal (import reviews first)" in errors
    assert any(e.startswith("line 4: role 'uncle' is not one of child|") for e in errors)
    assert "line 5: email 'not-an-email' is not an email address" in errors
    assert "line 6: language 'xx' is not a supported language" in errors
    assert "line 7: postal_address has 9 lines; a window envelope shows 7" in errors
    assert "line 16: repeats line 2 (same case_ref, role and name)" in errors
    assert "Nothing imported" in result.output
    assert contacts(app) == []


def test_excel_files_work(runner, app, tmp_path, children):
    header = [name.title() for name in HEADER] + ["", ""]
    rows = [{**row(role="Carer", name="Zoë Carer"), "": ""}]
    path = tmp_path / "excel.csv"
    with path.open("w", newline="", encoding="cp1252") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerow([*(rows[0][name] for name in HEADER), "", ""])
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert contacts(app)[0][:2] == ("carer", "Zoë Carer")


def test_wrong_columns_say_so(runner, app, tmp_path, children):
    result = run(runner, write(tmp_path / "w.csv", [row()], header=["case_ref", "role", "nom"]))
    assert result.exit_code == 1
    assert "line 1: missing column name, email, postal_address, language" in result.output
    assert "line 1: unknown column nom" in result.output


def test_help_lists_every_column(runner):
    result = runner.invoke(args=["import", "contacts", "--help"])
    for name in COLUMNS:
        assert name in result.output


def test_preview_counts_without_saving(app, tmp_path, children):
    with app.app_context():
        planned = preview(plan_import, write(tmp_path / "p.csv", [row(), row(name="X")]))
        assert planned.ok
        assert planned.summary.line() == "2 new contacts, 0 replaced, 0 unchanged"
        bad = preview(plan_import, write(tmp_path / "q.csv", [row(case_ref="")]))
        assert bad.problems == ["line 2: case_ref is blank"]
    assert contacts(app) == []
