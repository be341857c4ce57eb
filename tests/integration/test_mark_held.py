"""Mark as held and stand down through the screens: the participation questions, every
bad value refused with a message and nothing saved, who may do it, and the under-4 rule on the
Prepare screen."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation, Review
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_invitation,
    get,
    invitations_of,
    make_review,
    prepare_row,
)

TODAY = dt.date.today()
REVIEW_DAY = TODAY - dt.timedelta(days=5)


@pytest.fixture
def review_id(app, iro_id):
    """A 10-year-old's review five days ago; the child's form came back, parent and carer asked."""
    found = make_review(app, iro_id, review_date=REVIEW_DAY, age=10)
    add_invitation(app, found, "child", email=None, channel="hand",
                   returned_at=dt.datetime.now(dt.UTC), return_channel="online")  # fmt: skip
    add_invitation(app, found, "parent")
    add_invitation(app, found, "carer")
    return found


def _held(client, review_id, **overrides):
    data = {
        "csrf_token": csrf_token(client, f"/admin/reviews/{review_id}/held"),
        "held_on": REVIEW_DAY.isoformat(),
        "participation": "PN6",
        "chaired": "yes",
        "attended": ["parent", "carer"],
        "iro_saw_child_on": (REVIEW_DAY - dt.timedelta(days=2)).isoformat(),
    }
    data.update(overrides)
    return client.post(
        f"/admin/reviews/{review_id}/held", data={k: v for k, v in data.items() if v is not None}
    )


def _events(app, action):
    with app.app_context():
        return _db.session.query(AuditEvent).filter_by(action=action).all()


def test_the_held_page_offers_pn1_to_pn7_with_pn6_suggested_and_the_invited_roles(iro, review_id):
    page = iro.get(f"/admin/reviews/{review_id}/held").get_data(as_text=True)
    assert 'value="PN6" checked' in page and 'value="PN0"' not in page
    assert "PN4: child physically attends but does not speak for themselves" in page
    for role in ("child", "parent", "carer"):
        assert f'name="attended" value="{role}"' in page
    assert 'value="health"' not in page  # not invited to this review


def test_marking_held_records_participation_and_the_review_page_shows_it(app, iro, review_id):
    response = _held(iro, review_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    review = get(app, Review, review_id)
    assert (review.status, review.held_on, review.participation) == ("held", REVIEW_DAY, "PN6")
    assert review.chaired_by_young_person is True
    assert review.attended_roles == ["parent", "carer"]
    assert review.iro_saw_child_on == REVIEW_DAY - dt.timedelta(days=2)
    [event] = _events(app, "review_held")
    assert event.detail == {"participation": "PN6", "chaired": True, "attended": 2,
                            "iro_saw_child": True}  # fmt: skip
    page = iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "PN6: child does not attend but conveys their feelings" in page
    assert "Parent, Carer" in page
    assert "Chaired or co-chaired by the young person" in page


def test_the_old_post_url_still_marks_held_from_a_bare_form(app, iro, review_id):
    """The POST URL is the one it always was; the iro-saw-child date and attendance may be empty."""
    response = _held(iro, review_id, attended=None, iro_saw_child_on="", chaired="no",
                     participation="PN7")  # fmt: skip
    assert response.status_code == 302
    review = get(app, Review, review_id)
    assert (review.participation, review.chaired_by_young_person) == ("PN7", False)
    assert (review.attended_roles, review.iro_saw_child_on) == ([], None)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("held_on", "", "Enter the date the review was held"),
        ("held_on", "31/02/2026", "must be a real date"),
        ("held_on", (TODAY + dt.timedelta(days=1)).isoformat(), "must be today or in the past"),
        ("held_on", (REVIEW_DAY - dt.timedelta(days=1)).isoformat(), "on or after the review date"),
        ("participation", None, "Choose how the child or young person took part"),
        ("participation", "PN0", "PN0 is only for a child under 4"),
        ("participation", "PN9", "must be one of PN0 to PN7"),
        ("chaired", None, "Say whether the young person chaired"),
        ("chaired", "maybe", "Choose yes or no"),
        ("attended", ["parent", "guardian"], "Choose who attended from the list"),
        ("iro_saw_child_on", "yesterday", "must be a real date"),
        ("iro_saw_child_on", (TODAY + dt.timedelta(days=1)).isoformat(), "today or in the past"),
        ("iro_saw_child_on", (REVIEW_DAY + dt.timedelta(days=1)).isoformat(), "on or before"),
    ],
)
def test_every_bad_value_is_refused_with_a_message_and_nothing_is_saved(
    app, iro, review_id, field, value, message
):
    response = _held(iro, review_id, **{field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "There is a problem" in page
    assert f'href="#{field}"' in page and f'id="{field}"' in page  # the summary links to it
    review = get(app, Review, review_id)
    assert (review.status, review.participation, review.held_on) == ("scheduled", None, None)
    assert _events(app, "review_held") == []


def test_a_child_under_four_is_preset_pn0_and_nothing_else_is_accepted(app, iro, iro_id):
    baby = make_review(app, iro_id, review_date=REVIEW_DAY, age=1)
    page = iro.get(f"/admin/reviews/{baby}/held").get_data(as_text=True)
    assert 'value="PN0" checked' in page and 'value="PN1"' not in page
    refused = _held(iro, baby, participation="PN1", attended=["parent"])
    assert refused.status_code == 400
    assert "A child under 4 on the review date is coded PN0" in refused.get_data(as_text=True)
    assert get(app, Review, baby).status == "scheduled"
    assert (
        _held(iro, baby, participation="PN0", chaired="no", attended=["carer"]).status_code == 302
    )
    assert get(app, Review, baby).participation == "PN0"


def test_a_manager_cannot_see_or_use_mark_held_or_stand_down(app, make_staff, sign_in, review_id):
    manager = app.test_client()
    sign_in(manager, make_staff("manager"))
    for path in ("held", "stood-down"):
        assert manager.get(f"/admin/reviews/{review_id}/{path}").status_code == 403
        assert manager.post(f"/admin/reviews/{review_id}/{path}", data={}).status_code in (400, 403)
    assert get(app, Review, review_id).status == "scheduled"


def test_an_iro_of_another_review_gets_not_found(app, make_staff, sign_in, review_id):
    other = app.test_client()
    sign_in(other, make_staff("iro"))
    assert other.get(f"/admin/reviews/{review_id}/held").status_code == 404
    token = csrf_token(other, "/admin/reviews")
    for path, data in (("held", {"held_on": REVIEW_DAY.isoformat(), "participation": "PN1",
                                 "chaired": "no"}),
                       ("stood-down", {"reason": "child_unwell"})):  # fmt: skip
        response = other.post(
            f"/admin/reviews/{review_id}/{path}", data={"csrf_token": token, **data}
        )
        assert response.status_code == 404
    assert get(app, Review, review_id).status == "scheduled"


# --- stand down -------------------------------------------------------------------------------


def _stand_down(client, review_id, **data):
    token = csrf_token(client, f"/admin/reviews/{review_id}/stood-down")
    return client.post(f"/admin/reviews/{review_id}/stood-down", data={"csrf_token": token, **data})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "reason", "Choose why the review was stood down"),
        ({"reason": "bored"}, "reason", "Choose why the review was stood down"),
        ({"reason": "other", "note": "  "}, "note", "Say why the review was stood down"),
        ({"reason": "other", "note": "x" * 201}, "note", "200 characters or fewer"),
        ({"reason": "other", "note": "two\nlines"}, "note", "must be on one line"),
    ],
)
def test_standing_down_needs_a_reason_from_the_list(app, iro, review_id, data, field, message):
    response = _stand_down(iro, review_id, **data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and f'href="#{field}"' in page
    review = get(app, Review, review_id)
    assert (review.status, review.stood_down_reason) == ("scheduled", None)
    assert _events(app, "review_stood_down") == []


def test_standing_down_records_the_reason_audits_it_without_the_note_and_shows_it(
    app, iro, review_id
):
    response = _stand_down(iro, review_id, reason="other", note="Court hearing moved")
    assert response.status_code == 302
    review = get(app, Review, review_id)
    assert (review.status, review.stood_down_reason, review.stood_down_note) == (
        "stood_down", "other", "Court hearing moved",
    )  # fmt: skip
    [event] = _events(app, "review_stood_down")
    assert event.detail["reason"] == "other" and "Court" not in str(event.detail)
    page = iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "Other: Court hearing moved" in page


def test_a_listed_reason_keeps_no_note(app, iro, review_id):
    assert _stand_down(iro, review_id, reason="child_unwell", note="ignored").status_code == 302
    review = get(app, Review, review_id)
    assert (review.stood_down_reason, review.stood_down_note) == ("child_unwell", "")
    page = iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "The child or young person was unwell" in page


# --- children under 4 get no form ------------------------------------------------------------


def test_prepare_proposes_no_form_for_a_child_under_four_and_says_why(app, iro, iro_id):
    baby = make_review(app, iro_id, age=2)
    page = iro.get(f"/admin/reviews/{baby}/invitations/prepare").get_data(as_text=True)
    assert "Maya is under 4 on the review date: no form of their own" in page
    assert "coded PN0" in page
    assert 'value="child"' not in page and 'value="parent"' in page


def test_a_crafted_prepare_post_for_a_child_under_four_is_refused(app, iro, iro_id):
    baby = make_review(app, iro_id, age=2)
    url = f"/admin/reviews/{baby}/invitations/prepare"
    data = {"csrf_token": csrf_token(iro, url)}
    data |= prepare_row(0, "child", "child_consultation", channel="hand")
    response = iro.post(url, data=data)
    assert response.status_code == 400
    assert "is under 4 on the review date" in response.get_data(as_text=True)
    assert invitations_of(app, baby) == []
    with app.app_context():
        assert _db.session.query(Invitation).count() == 0
