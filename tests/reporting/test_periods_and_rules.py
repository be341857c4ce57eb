"""Period boundaries, moved reviews, paper and online returns, timeliness."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.models import Child, Invitation, Review
from portal.reporting import Filters, parse_period, return_rates
from portal.reporting.periods import PeriodError, financial_year, fy_quarter, iso_week, period_of


def test_financial_year_runs_from_1_april_to_31_march():
    year = parse_period("2016/17")
    assert (year.start, year.end, year.label) == (
        dt.date(2016, 4, 1),
        dt.date(2017, 3, 31),
        "2016/17",
    )
    assert period_of(dt.date(2017, 3, 31), "year").label == "2016/17"
    assert period_of(dt.date(2017, 4, 1), "year").label == "2017/18"


def test_quarter_4_is_january_to_march_of_the_next_calendar_year():
    q4 = parse_period("2016/17 Q4")
    assert (q4.start, q4.end) == (dt.date(2017, 1, 1), dt.date(2017, 3, 31))
    assert fy_quarter(2016, 1).start == dt.date(2016, 4, 1)
    assert period_of(dt.date(2017, 3, 31), "quarter").label == "2016/17 Q4"
    assert period_of(dt.date(2017, 4, 1), "quarter").label == "2017/18 Q1"


def test_months_weeks_and_ranges():
    assert parse_period("2016-02").end == dt.date(2016, 2, 29)
    week = parse_period("2017-W01")
    assert (week.start, week.end) == (dt.date(2017, 1, 2), dt.date(2017, 1, 8))
    assert iso_week(2020, 53).year_before().label == "2019-W52"
    assert parse_period("2017-01-05..2017-01-09").year_before().start == dt.date(2016, 1, 5)
    assert financial_year(2016).year_before().label == "2015/16"
    for bad in ("2016/18", "2017-13", "2017-W60", "2017-03-01..2017-02-01", "last year"):
        with pytest.raises(PeriodError):
            parse_period(bad)


def add(db, case_ref, review_date, role="child", returned=True, channel="paper", kind="cared_for"):
    child = db.session.query(Child).filter_by(case_ref=case_ref).one_or_none() or Child(
        case_ref=case_ref, first_name="A", date_of_birth=dt.date(2008, 1, 1)
    )
    review = Review(child=child, kind=kind, review_date=review_date)
    sent = dt.datetime.combine(review_date - dt.timedelta(days=20), dt.time(12), dt.UTC)
    invitation = Invitation(
        review=review, review_date=review_date, review_kind=kind, stage="consultation", role=role,
        form_key="x", sent_at=sent, returned_at=sent + dt.timedelta(days=5) if returned else None,
        return_channel=channel if returned else None,
    )  # fmt: skip
    db.session.add_all([child, review, invitation])
    db.session.commit()
    return review


def test_31_march_and_1_april_fall_in_different_years_and_quarters(db):
    add(db, "A", dt.date(2017, 3, 31))
    add(db, "B", dt.date(2017, 4, 1), returned=False)
    assert return_rates(parse_period("2016/17")).total.sent == 1
    assert return_rates(parse_period("2016/17 Q4")).total.received == 1
    later = return_rates(parse_period("2017/18 Q1")).total
    assert (later.sent, later.received, later.rate_pct) == (1, 0, 0.0)


def test_a_review_whose_date_moved_counts_in_its_new_period(db):
    review = add(db, "A", dt.date(2017, 3, 30))
    # The one path that moves a review takes its invitations with it (ADR 0002).
    from portal.rules.reviews import move_review

    assert move_review(review, dt.date(2017, 4, 3)) == 1
    db.session.commit()
    assert return_rates(parse_period("2016/17")).total.sent == 0
    assert return_rates(parse_period("2017/18")).total.sent == 1


def test_paper_and_online_returns_are_counted_together(db):
    add(db, "A", dt.date(2017, 3, 1), channel="paper")
    add(db, "B", dt.date(2017, 3, 2), channel="online")
    add(db, "C", dt.date(2017, 3, 3), returned=False)
    total = return_rates(parse_period("2017-03")).total
    assert (total.sent, total.received, total.rate_pct) == (3, 2, 66.7)


def test_unsent_invitations_are_not_sent_and_their_group_shows_a_null_rate(db):
    review = add(db, "A", dt.date(2017, 3, 1))
    db.session.add(
        Invitation(
            review=review,
            review_date=review.review_date,
            review_kind="cared_for",
            stage="consultation",
            role="carer",
            form_key="x",
        )
    )
    db.session.commit()
    table = return_rates(parse_period("2017-03"))
    assert table.row(role="carer", review_kind="cared_for").rate_pct is None
    assert table.total.sent == 1


def test_an_iro_filter_counts_only_that_iros_reviews(db, make_staff):
    iro = make_staff("iro")
    review = add(db, "A", dt.date(2017, 3, 1))
    add(db, "B", dt.date(2017, 3, 2))
    review.iro_id = iro
    db.session.commit()
    assert return_rates(parse_period("2017-03"), filters=Filters(iro_id=iro)).total.sent == 1
    assert return_rates(parse_period("2017-03"), filters=Filters(own_iro_id=iro)).total.sent == 1


def test_timeliness_counts_forms_sent_10_working_days_before_and_returned_before(db):
    from portal.reporting.timeliness import timeliness

    # Review on Tuesday 18 April 2017: Good Friday and Easter Monday are bank holidays, so
    # 10 working days before is Friday 31 March.
    review = add(db, "A", dt.date(2017, 4, 18))
    invitation = review.invitations[0]
    invitation.sent_at = dt.datetime(2017, 3, 31, 9, tzinfo=dt.UTC)
    invitation.returned_at = dt.datetime(2017, 4, 18, 9, tzinfo=dt.UTC)
    late = add(db, "B", dt.date(2017, 4, 18)).invitations[0]
    late.sent_at = dt.datetime(2017, 4, 3, 9, tzinfo=dt.UTC)
    late.returned_at = dt.datetime(2017, 4, 13, 9, tzinfo=dt.UTC)
    db.session.commit()
    result = timeliness(parse_period("2017-04"))
    assert (result.sent, result.sent_on_time, result.received, result.returned_before) == (
        2, 1, 2, 1,
    )  # fmt: skip
