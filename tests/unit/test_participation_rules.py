"""The participation rules on their own: which codes a child's age allows (the 4th
birthday is the edge), the code to suggest, the held and IRO-saw-child dates, stand-down reasons,
and that a child under 4 is proposed no form of their own."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import create_app
from portal.models import Child, Review
from portal.rules.invitations import create, gets_no_form, propose
from portal.rules.participation import (
    allowed_codes,
    code_problem,
    held_on_problem,
    is_under_four,
    saw_child_problem,
    stand_down_problem,
    suggested_code,
)

REVIEW_DAY = dt.date(2026, 3, 16)
FOURTH_BIRTHDAY_BORN = dt.date(2022, 3, 16)  # 4 on the review day itself
DAY_BEFORE_FOURTH = dt.date(2022, 3, 17)  # still 3 on the review day


@pytest.fixture(scope="module", autouse=True)
def app_context():
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "x" * 40})
    with app.app_context():
        yield


def test_a_child_is_four_on_their_fourth_birthday_not_the_day_before():
    assert not is_under_four(FOURTH_BIRTHDAY_BORN, REVIEW_DAY)
    assert is_under_four(DAY_BEFORE_FOURTH, REVIEW_DAY)


def test_under_four_allows_pn0_only_and_four_or_over_allows_pn1_to_pn7():
    assert allowed_codes(DAY_BEFORE_FOURTH, REVIEW_DAY) == ("PN0",)
    assert allowed_codes(FOURTH_BIRTHDAY_BORN, REVIEW_DAY) == tuple(f"PN{n}" for n in range(1, 8))


@pytest.mark.parametrize(
    ("code", "born", "message"),
    [
        ("PN0", FOURTH_BIRTHDAY_BORN, "PN0 is only for a child under 4"),
        ("PN1", DAY_BEFORE_FOURTH, "coded PN0"),
        ("PN9", FOURTH_BIRTHDAY_BORN, "one of PN0 to PN7"),
        ("", FOURTH_BIRTHDAY_BORN, "one of PN0 to PN7"),
    ],
)
def test_a_code_the_age_does_not_allow_is_refused_with_a_reason(code, born, message):
    assert message in code_problem(code, born, REVIEW_DAY)


def test_an_allowed_code_has_no_problem():
    assert code_problem("PN0", DAY_BEFORE_FOURTH, REVIEW_DAY) is None
    assert code_problem("PN7", FOURTH_BIRTHDAY_BORN, REVIEW_DAY) is None


def test_pn0_is_preset_under_four_and_pn6_suggested_when_the_form_came_back_without_the_child():
    assert (
        suggested_code(DAY_BEFORE_FOURTH, REVIEW_DAY, attended=False, form_returned=True) == "PN0"
    )
    born = dt.date(2015, 1, 1)
    assert suggested_code(born, REVIEW_DAY, attended=False, form_returned=True) == "PN6"
    assert suggested_code(born, REVIEW_DAY, attended=True, form_returned=True) is None
    assert suggested_code(born, REVIEW_DAY, attended=False, form_returned=False) is None


def test_held_date_is_on_or_after_the_review_date_and_never_in_the_future():
    today = dt.date(2026, 3, 20)
    assert held_on_problem(REVIEW_DAY, REVIEW_DAY, today) is None
    assert held_on_problem(today, REVIEW_DAY, today) is None
    assert "on or after the review date" in held_on_problem(
        REVIEW_DAY - dt.timedelta(days=1), REVIEW_DAY, today
    )
    assert "today or in the past" in held_on_problem(
        today + dt.timedelta(days=1), REVIEW_DAY, today
    )


def test_the_iro_saw_the_child_on_or_before_the_held_date_not_in_the_future():
    today, held = dt.date(2026, 3, 20), dt.date(2026, 3, 17)
    assert saw_child_problem(held, held, today) is None
    assert "on or before" in saw_child_problem(held + dt.timedelta(days=1), held, today)
    assert "today or in the past" in saw_child_problem(today + dt.timedelta(days=1), held, today)


def test_a_stand_down_reason_comes_from_the_list_and_other_needs_a_short_note():
    assert stand_down_problem("child_unwell", "") is None
    assert stand_down_problem("other", "Court hearing moved") is None
    assert "Choose why" in stand_down_problem("bored", "")
    assert "Choose why" in stand_down_problem(None, "")
    assert "Say why" in stand_down_problem("other", "   ")
    assert "200 characters" in stand_down_problem("other", "x" * 201)


def _review(born: dt.date, kind: str = "cared_for") -> Review:
    child = Child(first_name="Maya", date_of_birth=born, preferred_language="en")
    return Review(child=child, kind=kind, review_date=REVIEW_DAY, status="scheduled")


@pytest.mark.parametrize("stage", ["consultation", "feedback"])
def test_a_child_under_four_is_proposed_no_form_but_the_adults_are(stage):
    roles = [p.role for p in propose(_review(DAY_BEFORE_FOURTH), stage)]
    assert "child" not in roles and "parent" in roles and "carer" in roles


def test_a_child_four_on_the_review_day_is_proposed_the_youngest_form():
    [child] = [
        p for p in propose(_review(FOURTH_BIRTHDAY_BORN), "consultation") if p.role == "child"
    ]
    assert (child.age_band, child.form_key) == ("4-7", "child_consultation")


def test_no_one_can_create_a_form_for_a_child_under_four():
    review = _review(DAY_BEFORE_FOURTH)
    assert gets_no_form(review, "child") and gets_no_form(review, "care_leaver")
    assert not gets_no_form(review, "parent")
    with pytest.raises(ValueError, match="under 4"):
        create(review, stage="consultation", role="child", form_key="child_consultation")
