"""The CLI reproduces DOMAIN.md's Cheshire East tables from row-level data, exactly."""

from __future__ import annotations

import json

import pytest

from portal.reporting import rate_pct
from tests.reporting.domain_data import FIGURES, domain_rows, write_csv


@pytest.fixture
def imported(runner, tmp_path):
    path = write_csv(tmp_path / "invitations.csv", domain_rows())
    result = runner.invoke(args=["import", "invitations", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def report(runner, *args):
    result = runner.invoke(args=["report", "returns", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_import_prints_one_summary_line(runner, tmp_path):
    path = write_csv(tmp_path / "invitations.csv", domain_rows())
    result = runner.invoke(args=["import", "invitations", str(path), "--quiet"])
    assert result.exit_code == 0
    assert result.output.strip() == "3508 rows read, 3508 created, 0 updated, 0 unchanged"


def test_returns_2015_16_by_role_and_review_kind_match_the_annual_report(runner, imported):
    data = report(runner, "--from", "2015-04-01", "--to", "2016-03-31")
    assert data["from"] == "2015-04-01" and data["to"] == "2016-03-31"
    assert data["by"] == ["role", "review_kind"]
    assert data["rows"] == [
        {"role": "child", "review_kind": "cared_for", "sent": 182, "received": 24, "rate_pct": 13.2},
        {"role": "care_leaver", "review_kind": "pathway_plan", "sent": 106, "received": 12,
         "rate_pct": 11.3},
        {"role": "parent", "review_kind": "cared_for", "sent": 233, "received": 15, "rate_pct": 6.4},
        {"role": "parent", "review_kind": "pathway_plan", "sent": 5, "received": 0, "rate_pct": 0.0},
        {"role": "carer", "review_kind": "cared_for", "sent": 256, "received": 90, "rate_pct": 35.2},
        {"role": "health", "review_kind": "cared_for", "sent": 185, "received": 54, "rate_pct": 29.2},
        {"role": "education", "review_kind": "cared_for", "sent": 177, "received": 67,
         "rate_pct": 37.9},
    ]  # fmt: skip
    assert data["total"] == {"sent": 1144, "received": 262, "rate_pct": 22.9}


def test_first_table_rows_by_form_for_are_computed_not_copied(runner, imported):
    rows = report(runner, "--from", "2015-04-01", "--to", "2016-03-31", "--by", "role")["rows"]
    by_role = {row["role"]: row for row in rows}
    young = by_role["child"]["sent"] + by_role["care_leaver"]["sent"]
    young_received = by_role["child"]["received"] + by_role["care_leaver"]["received"]
    assert (young, young_received) == (288, 36)
    assert rate_pct(young_received, young) == 12.5  # the report rounds half up to 13%
    assert (by_role["parent"]["sent"], by_role["parent"]["received"]) == (238, 15)
    assert by_role["parent"]["rate_pct"] == 6.3
    # The printed report says 36%; 67 / 177 is 37.9%.
    assert by_role["education"]["rate_pct"] == 37.9 and round(37.9) == 38


def test_cared_for_year_on_year_matches_the_second_table(runner, imported):
    for year, subtotal in ((2015, (1033, 250, 24.2)), (2016, (2167, 606, 28.0))):
        data = report(
            runner,
            "--from",
            f"{year}-04-01",
            "--to",
            f"{year + 1}-03-31",
            "--by",
            "review_kind,role",
        )
        cared_for = [row for row in data["rows"] if row["review_kind"] == "cared_for"]
        for row in cared_for:
            assert (row["sent"], row["received"]) == FIGURES[(year, "cared_for", row["role"])]
        sent = sum(row["sent"] for row in cared_for)
        received = sum(row["received"] for row in cared_for)
        assert (sent, received, round(1000 * received / sent) / 10) == subtotal


def test_pathway_plan_parent_2016_17_has_no_row_because_nothing_was_sent(runner, imported):
    data = report(runner, "--from", "2016-04-01", "--to", "2017-03-31")
    kinds = {(row["role"], row["review_kind"]) for row in data["rows"]}
    assert ("care_leaver", "pathway_plan") in kinds and ("parent", "pathway_plan") not in kinds
    row = next(r for r in data["rows"] if r["role"] == "care_leaver")
    assert (row["sent"], row["received"], row["rate_pct"]) == (197, 21, 10.7)


def test_an_empty_period_has_no_rows_and_a_null_rate(runner, imported):
    data = report(runner, "--from", "2030-04-01", "--to", "2031-03-31")
    assert data["rows"] == [] and data["total"] == {"sent": 0, "received": 0, "rate_pct": None}


def test_stage_filter_and_grouping_by_channel_and_iro(runner, imported):
    assert (
        report(runner, "--from", "2015-04-01", "--to", "2016-03-31", "--stage", "feedback")["rows"]
        == []
    )
    data = report(runner, "--from", "2015-04-01", "--to", "2016-03-31", "--by", "channel")
    assert [row["channel"] for row in data["rows"]] == ["email", "post"]
    assert sum(row["sent"] for row in data["rows"]) == 1144
    data = report(runner, "--from", "2015-04-01", "--to", "2016-03-31", "--by", "iro")
    assert {row["iro"] for row in data["rows"]} == {"iro.a@example.org", "iro.b@example.org"}
    assert sum(row["received"] for row in data["rows"]) == 262


def test_grouping_by_quarter_splits_the_year_and_adds_up(runner, imported):
    data = report(
        runner,
        "--from",
        "2016-04-01",
        "--to",
        "2017-03-31",
        "--by",
        "period",
        "--period",
        "quarter",
    )
    assert [row["period"] for row in data["rows"]] == [
        "2016/17 Q1", "2016/17 Q2", "2016/17 Q3", "2016/17 Q4",
    ]  # fmt: skip
    assert sum(row["sent"] for row in data["rows"]) == data["total"]["sent"] == 2364


def test_csv_and_table_formats_carry_the_same_numbers(runner, imported):
    result = runner.invoke(
        args=["report", "returns", "--from", "2015-04-01", "--to", "2016-03-31", "--format", "csv"]
    )
    lines = result.output.strip().splitlines()
    assert lines[0] == "role,review_kind,sent,received,rate_pct"
    assert "education,cared_for,177,67,37.9" in lines
    assert lines[-1] == "Total,,1144,262,22.9"
    table = runner.invoke(args=["report", "returns", "--from", "2015-04-01", "--to", "2016-03-31"])
    assert "37.9" in table.output and "1144" in table.output


def test_bad_by_field_is_a_usage_error(runner):
    result = runner.invoke(
        args=["report", "returns", "--from", "2015-04-01", "--to", "2016-03-31", "--by", "colour"]
    )
    assert result.exit_code == 2 and "colour" in result.output
