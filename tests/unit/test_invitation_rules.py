"""The invitation rules on their own, without a database: what is proposed, when it is due,
how long a link works, what state a link is in and what the team sees as its status."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from portal import create_app
from portal.models import Child, Invitation, Review
from portal.rules.invitations import due_date, link_expiry, propose
from portal.rules.reviews import invitation_status
from portal.web.respond.journey import LinkState, link_state
from portal.web.respond.snapshot import LinkSnapshot

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
REVIEW_DAY = dt.date(2026, 3, 16)  # a Monday with no bank holiday in the fortnight before


@pytest.fixture(scope="module", autouse=True)
def app_context():
    """The real catalogue (forms/) for proposals and NO_FORM; nothing touches the database."""
    app = create_app({"PORTAL_ENV": "testing", "SECRET_KEY": "x" * 40})
    with app.app_context():
        yield


def review(kind: str = "cared_for", age: int = 9, **fields) -> Review:
    born = REVIEW_DAY.replace(year=REVIEW_DAY.year - age) - dt.timedelta(days=30)
    child = Child(first_name="Maya", date_of_birth=born, preferred_language="cy")
    return Review(child=child, kind=kind, review_date=REVIEW_DAY, status="scheduled", **fields)


def invitation(stage: str = "consultation", role: str = "child", **fields) -> Invitation:
    return Invitation(stage=stage, review_date=REVIEW_DAY, role=role, **fields)


# --- proposing invitations ------------------------------------------------------------------


def test_a_cared_for_consultation_proposes_the_child_and_four_adults_with_their_forms():
    proposals = propose(review(), "consultation")
    assert [(p.role, p.form_key) for p in proposals] == [
        ("child", "child_consultation"),
        ("parent", "parent_consultation"),
        ("carer", "carer_consultation"),
        ("health", "health_consultation"),
        ("education", "education_consultation"),
    ]


def test_the_young_person_is_asked_in_their_band_and_language_adults_in_english_unnamed():
    child, parent = propose(review(age=6), "consultation")[:2]
    assert (child.age_band, child.language, child.recipient_name) == ("4-7", "cy", "Maya")
    assert (parent.age_band, parent.language, parent.recipient_name) == (None, "en", "")


def test_a_pathway_plan_asks_the_care_leaver_not_a_child():
    roles = [p.role for p in propose(review(kind="pathway_plan", age=19), "feedback")]
    assert roles == ["care_leaver", "parent"]


def test_whoever_is_already_invited_is_not_proposed_again_unless_their_link_was_revoked():
    planned = review()
    planned.invitations = [
        invitation(role="child"),
        invitation(role="parent", revoked_at=NOW),
        invitation(stage="feedback", role="carer"),
    ]
    roles = [p.role for p in propose(planned, "consultation")]
    assert roles == ["parent", "carer", "health", "education"]


def test_extra_people_are_added_only_from_the_known_extra_roles():
    roles = [p.role for p in propose(review(), "feedback", ["guardian", "iro", "child"])]
    assert roles == ["child", "parent", "carer", "guardian"]


def test_a_form_choice_lists_every_fitting_form_the_default_first():
    leaver = propose(review(kind="pathway_plan", age=19), "feedback")[0]
    assert leaver.form_key == leaver.form_choices[0][0]
    assert len(leaver.form_choices) >= 2


# --- when invitations are due ---------------------------------------------------------------


def test_consultations_are_due_ten_working_days_before_the_review():
    assert due_date(review(), "consultation") == dt.date(2026, 3, 2)


def test_feedback_is_due_the_working_day_after_the_review_was_held():
    held_friday = review(held_on=dt.date(2026, 3, 13))
    assert due_date(held_friday, "feedback") == dt.date(2026, 3, 16)


def test_feedback_for_a_review_not_yet_held_has_no_due_date():
    assert due_date(review(), "feedback") is None


# --- how long a link works ------------------------------------------------------------------


def test_a_consultation_link_works_to_the_end_of_the_review_day():
    assert link_expiry(invitation(), NOW) == dt.datetime(2026, 3, 17, tzinfo=dt.UTC)


def test_a_consultation_link_made_on_or_after_the_review_day_still_works_for_a_day():
    late = dt.datetime(2026, 3, 16, 18, tzinfo=dt.UTC)
    assert link_expiry(invitation(), late) == late + dt.timedelta(days=1)


def test_a_feedback_link_works_for_28_days():
    assert link_expiry(invitation("feedback"), NOW) == NOW + dt.timedelta(days=28)


# --- the state of a link --------------------------------------------------------------------

OPEN = LinkSnapshot(
    id=1, review_id=1, role="child", form_key="child_consultation", stage="consultation",
    language="en", token_hash="t", short_code_hash="c", meeting_qr_id=None, returned_at=None,
    revoked_at=None, expires_at=NOW + dt.timedelta(days=1), answered=False,
    review_date=REVIEW_DAY, child_first_name="Maya", child_date_of_birth=dt.date(2017, 1, 1),
    iro_name=None, draft=None,
)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, LinkState.OK),
        ({"expires_at": None}, LinkState.OK),
        ({"answered": True}, LinkState.ANSWERED),
        ({"returned_at": NOW, "revoked_at": NOW}, LinkState.ANSWERED),
        ({"revoked_at": NOW, "expires_at": NOW}, LinkState.REVOKED),
        ({"expires_at": NOW}, LinkState.EXPIRED),
        ({"meeting_qr_id": 7, "qr_open": True, "qr_closes_at": NOW}, LinkState.EXPIRED),
        ({"meeting_qr_id": 7, "qr_open": False, "qr_closes_at": NOW + dt.timedelta(1)},
         LinkState.EXPIRED),
        ({"meeting_qr_id": 7, "qr_open": True, "qr_closes_at": NOW + dt.timedelta(hours=1)},
         LinkState.OK),
        ({"form_key": "no_such_form"}, LinkState.NO_FORM),
    ],
)  # fmt: skip
def test_link_state_says_why_a_link_cannot_be_answered_answered_first(changes, state):
    assert link_state(replace(OPEN, **changes), NOW) == state


def test_an_unknown_link_has_no_invitation():
    assert link_state(None, NOW) == LinkState.UNKNOWN


# --- the status the team sees ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"returned_at": NOW, "return_channel": "paper", "revoked_at": NOW}, "returned_paper"),
        ({"returned_at": NOW, "return_channel": "online"}, "returned_online"),
        ({"revoked_at": NOW, "expires_at": NOW, "sent_at": NOW}, "revoked"),
        ({"expires_at": NOW, "opened_at": NOW}, "expired"),
        ({"expires_at": NOW + dt.timedelta(1), "opened_at": NOW, "sent_at": NOW}, "opened"),
        ({"sent_at": NOW, "reminders_sent": 1}, "reminded"),
        ({"sent_at": NOW, "reminders_sent": 0, "send_error": "old"}, "sent"),
        ({"send_error": "refused"}, "failed"),
        ({}, "not_sent"),
    ],
)
def test_invitation_status_puts_returned_then_stopped_then_progress_first(fields, key):
    assert invitation_status(invitation(**fields), NOW).key == key
