"""The participation report: rate formula, rows, range, filters, publication, CLI."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from portal.models import PARTICIPATION_CODES
from portal.reporting.participation import ParticipationFilters, participation_report
from portal.reporting.participation_shown import ShownParticipation
from portal.reporting.periods import date_range, financial_year
from tests.reporting.participation_data import add_advocacy, add_outcome, add_review, add_reviews

DAY = dt.date(2016, 6, 15)  # a Wednesday in 2016/17
YEAR = financial_year(2016)


def shown(period=YEAR, filters=None, by=None, granularity="year", publication=False):
    report = participation_report(period, filters or ParticipationFilters(), by, granularity)
    return ShownParticipation(report, publication).as_json()


def rows(result):
    return {row["code"]: row for row in result["rows"]}


@pytest.mark.parametrize(
    ("took_part", "others", "rate"),
    [(1, 7, 12.5), (1, 5, 16.7), (2, 1, 66.7), (1, 2, 33.3), (5, 3, 62.5)],
)
def test_the_rate_is_rounded_half_up_to_one_decimal(db, took_part, others, rate):
    add_reviews(DAY, {"PN1": took_part, "PN7": others})
    result = shown()
    assert result["participation_rate_pct"] == rate
    assert result["participation_rate_recorded_pct"] == rate
    assert rows(result)["PN1"]["pct"] == rate


def test_no_code_stays_in_the_rate_and_leaves_the_recorded_rate(db):
    add_reviews(DAY, {"PN0": 2, "PN1": 1, "PN6": 1, "PN7": 1, None: 3})
    result = shown()
    assert (result["total"], result["not_recorded"]) == (8, 3)
    assert result["participation_rate_pct"] == 33.3  # 2 / (8 - 2)
    assert result["participation_rate_recorded_pct"] == 66.7  # 2 / (8 - 2 - 3)
    assert rows(result)["PN0"]["pct"] == 25.0
    assert rows(result)["PN6"]["pct"] == 12.5


def test_zero_denominators_give_null_not_an_error(db):
    empty = shown()
    assert [row["code"] for row in empty["rows"]] == list(PARTICIPATION_CODES)
    assert all(row["reviews"] == 0 and row["pct"] is None for row in empty["rows"])
    assert empty["participation_rate_pct"] is None
    assert empty["participation_rate_recorded_pct"] is None
    assert empty["total"] == 0
    add_reviews(DAY, {"PN0": 2})
    under_four = shown()
    assert under_four["participation_rate_pct"] is None
    assert rows(under_four)["PN0"]["pct"] == 100.0
    add_reviews(DAY, {None: 1})
    assert shown()["participation_rate_pct"] == 0.0
    assert shown()["participation_rate_recorded_pct"] is None


def test_all_eight_rows_come_with_plain_labels_in_order(db):
    add_reviews(DAY, {"PN3": 1})
    result = shown()
    assert [row["code"] for row in result["rows"]] == list(PARTICIPATION_CODES)
    assert rows(result)["PN3"]["label"].startswith("PN3: child attends and conveys their view")
    assert set(result) >= {"rows", "not_recorded", "total", "participation_rate_pct",
                           "participation_rate_recorded_pct", "chaired_by_young_person"}  # fmt: skip


def test_reviews_count_by_held_date_and_only_when_held(db):
    add_review(YEAR.start, "PN1")  # first day counts
    add_review(YEAR.end, "PN1")  # last day counts
    add_review(YEAR.start - dt.timedelta(days=1), "PN1")
    add_review(YEAR.end + dt.timedelta(days=1), "PN1")
    moved = add_review(DAY, "PN2")
    moved.review_date = dt.date(2016, 3, 1)  # planned in 2015/16, held in 2016/17
    add_review(DAY, None, status="stood_down")
    add_review(None, None, status="scheduled")
    result = shown()
    assert result["total"] == 3
    assert rows(result)["PN1"]["reviews"] == 2
    assert rows(result)["PN2"]["reviews"] == 1


def test_kind_and_iro_filters_and_chaired_count(db, make_staff):
    one, two = make_staff("iro"), make_staff("iro")
    add_reviews(DAY, {"PN1": 2}, iro_id=one, chaired=True)
    add_reviews(DAY, {"PN7": 1}, iro_id=one, chaired=False)
    add_reviews(DAY, {"PN5": 3}, iro_id=two, kind="pathway_plan", chaired=True)
    assert shown()["chaired_by_young_person"] == 5
    mine = shown(filters=ParticipationFilters(iro_id=one))
    assert (mine["total"], mine["chaired_by_young_person"]) == (3, 2)
    pathway = shown(filters=ParticipationFilters(kind="pathway_plan"))
    assert (pathway["total"], rows(pathway)["PN5"]["reviews"]) == (3, 3)
    both = shown(filters=ParticipationFilters(kind="pathway_plan", own_iro_id=one))
    assert both["total"] == 0


def test_grouped_by_period_and_by_iro(db, make_staff):
    iro = make_staff("iro", email="iro.p@example.org")
    add_reviews(dt.date(2016, 5, 2), {"PN1": 1, "PN7": 1}, iro_id=iro)
    add_reviews(dt.date(2016, 11, 2), {"PN6": 2})
    by_quarter = shown(by="period", granularity="quarter")
    assert [group["period"] for group in by_quarter["groups"]] == ["2016/17 Q1", "2016/17 Q3"]
    assert by_quarter["groups"][0]["participation_rate_pct"] == 50.0
    assert by_quarter["groups"][1]["participation_rate_pct"] == 100.0
    assert by_quarter["total"] == 4
    by_iro = shown(by="iro")
    assert {group["iro"]: group["total"] for group in by_iro["groups"]} == {
        "": 2,
        "iro.p@example.org": 2,
    }


def test_publication_hides_small_counts_and_rates_that_would_give_them_back(db):
    add_reviews(DAY, {"PN1": 10, "PN7": 3})
    plain = shown()
    assert rows(plain)["PN7"]["reviews"] == 3
    published = shown(publication=True)
    assert rows(published)["PN7"]["reviews"] == "<5"
    # The only other count goes too, or the total would give PN7 away ...
    assert rows(published)["PN1"]["reviews"] == "<5"
    assert rows(published)["PN7"]["pct"] == "suppressed"
    # ... and so does the rate: PN1-PN6 (= PN1 here) over the total would give both back.
    assert published["participation_rate_pct"] == "suppressed"
    assert published["total"] == 13


def test_publication_keeps_a_rate_whose_counts_give_nothing_away(db):
    add_reviews(DAY, {"PN1": 20, "PN2": 2, "PN4": 1, "PN6": 10, "PN7": 8})
    published = shown(publication=True)
    assert rows(published)["PN2"]["reviews"] == "<5"
    assert rows(published)["PN4"]["reviews"] == "<5"
    assert published["participation_rate_pct"] == 80.5  # 33 / 41
    assert rows(published)["PN1"]["reviews"] == 20


def test_advocacy_requests_and_referrals_in_the_range(db, make_staff):
    iro = make_staff("iro")
    review = add_review(DAY, "PN5", iro_id=iro)
    noon = dt.datetime(2016, 6, 1, 12, tzinfo=dt.UTC)
    add_advocacy(review, noon, dt.date(2016, 6, 3))
    add_advocacy(review, noon, None)
    add_advocacy(None, noon, None)
    add_advocacy(review, dt.datetime(2017, 4, 1, 9, tzinfo=dt.UTC), None)  # next year
    assert shown()["advocacy"] == {"requests": 3, "referred": 1}
    assert shown(filters=ParticipationFilters(iro_id=iro))["advocacy"] == {
        "requests": 2,
        "referred": 1,
    }


def test_messages_sent_within_20_working_days_and_opened(db):
    held = dt.date(2016, 12, 1)  # 20 working days on, past 3 bank holidays: 3 January 2017
    on_time = add_review(held, "PN1")
    add_outcome(
        on_time, dt.datetime(2017, 1, 3, 16, tzinfo=dt.UTC), dt.datetime(2017, 1, 5, tzinfo=dt.UTC)
    )
    late = add_review(held, "PN6")
    add_outcome(
        late, dt.datetime(2017, 1, 4, 9, tzinfo=dt.UTC), dt.datetime(2017, 1, 6, tzinfo=dt.UTC)
    )
    unsent = add_review(held, "PN7")
    add_outcome(unsent, None)
    add_review(held, None)  # no message written
    add_review(held, "PN0")  # under 4: no message to send, not counted
    messages = shown()["outcome_messages"]
    assert messages == {
        "reviews": 4,
        "sent_within_20_working_days": 1,
        "sent_within_20_working_days_pct": 25.0,
        "opened": 2,
        "opened_pct": 50.0,
    }


def run(runner, *args):
    return runner.invoke(args=["report", "participation", *args])


def test_cli_json_csv_and_table(app, runner):
    with app.app_context():
        from portal.extensions import db

        add_reviews(DAY, {"PN1": 1, "PN7": 7, None: 2}, chaired=True)
        db.session.commit()
    dates = ["--from", "2016-04-01", "--to", "2017-03-31"]
    result = run(runner, *dates, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 10
    assert data["participation_rate_pct"] == 10.0
    assert data["participation_rate_recorded_pct"] == 12.5
    assert data["chaired_by_young_person"] == 10
    grouped = json.loads(run(runner, *dates, "--by", "period", "--period", "month",
                             "--format", "json").output)  # fmt: skip
    assert [group["period"] for group in grouped["groups"]] == ["2016-06"]
    csv_text = run(runner, *dates, "--format", "csv").output
    assert "PN1,PN1: child physically attends and speaks for themselves,1,10.0" in csv_text
    assert "participation_rate_recorded_pct,12.5" in csv_text
    table = run(runner, *dates, "--publication").output
    assert "<5" in table and "participation_rate_pct" in table


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2016-04-01"],
        ["--from", "yesterday", "--to", "2017-03-31"],
        ["--from", "2017-03-31", "--to", "2016-04-01"],
        ["--from", "2016-04-01", "--to", "2017-03-31", "--by", "role"],
        ["--from", "2016-04-01", "--to", "2017-03-31", "--period", "week"],
        ["--from", "2016-04-01", "--to", "2017-03-31", "--kind", "adoption"],
        ["--from", "2016-04-01", "--to", "2017-03-31", "--iro", "nobody@example.org"],
        ["--from", "2016-04-01", "--to", "2017-03-31", "--format", "xml"],
    ],
)
def test_cli_bad_options_are_usage_errors(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error" in result.output


def test_range_helper_matches_a_date_range(db):
    add_reviews(dt.date(2017, 1, 10), {"PN2": 1})
    assert shown(period=date_range(dt.date(2017, 1, 10), dt.date(2017, 1, 10)))["total"] == 1
