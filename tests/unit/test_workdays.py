"""England working days: weekends and bank holidays (Easter, Christmas) are skipped."""

import datetime as dt

import pytest

from portal.rules.workdays import (
    add_working_days,
    consultation_due,
    feedback_due,
    is_working_day,
    reminder_dates,
    working_days_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 4, 18), False),  # Good Friday
        (D(2025, 4, 21), False),  # Easter Monday
        (D(2025, 4, 22), True),
        (D(2025, 12, 25), False),  # Christmas Day
        (D(2025, 12, 26), False),  # Boxing Day
        (D(2026, 12, 28), False),  # Boxing Day (substitute: 26th is a Saturday)
        (D(2026, 1, 1), False),  # New Year's Day
        (D(2025, 11, 22), False),  # a Saturday
        (D(2025, 11, 24), True),
    ],
)
def test_working_days_skip_weekends_and_england_bank_holidays(day, working):
    assert is_working_day(day) is working


def test_consultation_is_due_ten_working_days_before_across_easter():
    # Monday 28 April 2025: counting back skips Easter Monday 21 and Good Friday 18 April.
    assert consultation_due(D(2025, 4, 28)) == D(2025, 4, 10)


def test_consultation_is_due_ten_working_days_before_across_christmas():
    # Wednesday 7 January 2026: skips 1 January, 25 and 26 December and two weekends.
    assert consultation_due(D(2026, 1, 7)) == D(2025, 12, 19)


def test_feedback_goes_the_working_day_after_a_review_held_before_easter():
    assert feedback_due(D(2025, 4, 17)) == D(2025, 4, 22)


def test_feedback_goes_the_working_day_after_a_review_held_on_christmas_eve():
    assert feedback_due(D(2025, 12, 24)) == D(2025, 12, 29)


def test_feedback_after_a_friday_review_goes_on_monday():
    assert feedback_due(D(2025, 11, 21)) == D(2025, 11, 24)


def test_reminders_are_five_and_two_working_days_before_across_easter():
    assert reminder_dates(D(2025, 4, 24)) == [D(2025, 4, 15), D(2025, 4, 22)]


def test_at_most_two_reminders_even_if_more_are_configured():
    assert len(reminder_dates(D(2025, 6, 30), (9, 7, 5, 2))) == 2


def test_adding_and_counting_working_days_agree():
    start = D(2025, 12, 19)
    end = add_working_days(start, 10)
    assert end == D(2026, 1, 7)
    assert working_days_between(start, end) == 10
    assert working_days_between(end, start) == -10
