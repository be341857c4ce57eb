"""The "please reply by" date on letters and paper forms (ADR 0061)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from portal.rules.reply_by import reply_by

MONDAY = dt.date(2026, 3, 2)  # no bank holidays near it


def invitation(stage: str, review_date: dt.date = dt.date(2026, 3, 27)) -> SimpleNamespace:
    return SimpleNamespace(stage=stage, review_date=review_date)


def test_consultation_asks_for_a_reply_three_working_days_before_the_review():
    # Review Friday 27 March; 3 working days before is Tuesday 24 March.
    assert reply_by(invitation("consultation"), MONDAY) == dt.date(2026, 3, 24)


def test_a_late_consultation_letter_moves_the_date_towards_the_review():
    # Printed Friday 20 March: 5 working days on is Friday 27; the day before the review is
    # Thursday 26, too soon, so no date is promised.
    assert reply_by(invitation("consultation"), dt.date(2026, 3, 20)) is None
    # Printed Wednesday 18 March: earliest reply Wednesday 25, so Thursday 26 (the day before).
    assert reply_by(invitation("consultation"), dt.date(2026, 3, 18)) == dt.date(2026, 3, 26)


def test_consultation_skips_bank_holidays():
    # Review Tuesday 7 April 2026; Good Friday 3 April and Easter Monday 6 April are holidays.
    # Back from Tuesday 7 April: Thursday 2, Wednesday 1, Tuesday 31 March.
    assert reply_by(invitation("consultation", dt.date(2026, 4, 7)), MONDAY) == dt.date(2026, 3, 31)


@pytest.mark.parametrize("printed", [MONDAY, dt.date(2026, 3, 6)])
def test_feedback_gives_three_working_weeks_inside_the_link(printed):
    due = reply_by(invitation("feedback"), printed)
    assert due == printed + dt.timedelta(days=21)
    assert due < printed + dt.timedelta(days=28)  # the feedback link lasts 28 days
