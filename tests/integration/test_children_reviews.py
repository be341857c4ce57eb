"""Children and reviews: add, edit, bad input, concurrent edits, held, stood down, re-arranged."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, Child, Invitation, Review
from portal.rules.reviews import move_review
from portal.rules.workdays import consultation_due
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_invitation,
    get,
    invitations_of,
    make_review,
    working_days_ahead,
)


@pytest.fixture
def admin(app, make_staff, sign_in):
    client = app.test_client()
    sign_in(client, make_staff("admin"))
    return client


def _child_data(client, iro, **overrides):
    data = {
        "csrf_token": csrf_token(client, "/admin/children/new"),
        "case_ref": "CE-1001",
        "first_name": "Amira",
        "date_of_birth": "2012-05-04",
        "preferred_language": "ar",
        "iro_id": str(iro),
    }
    return {**data, **overrides}


def _count(app, model):
    with app.app_context():
        return _db.session.query(model).count()


def test_admin_adds_a_child_and_it_is_audited(app, admin, iro_id):
    response = admin.post("/admin/children/new", data=_child_data(admin, iro_id))
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Amira" in page and "CE-1001" in page
    with app.app_context():
        child = _db.session.query(Child).one()
        assert (child.preferred_language, child.iro_id) == ("ar", iro_id)
        event = _db.session.query(AuditEvent).filter_by(action="child_created").one()
        assert "Amira" not in str(event.detail)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("case_ref", "", "Enter the case reference"),
        ("first_name", "", "first name"),
        ("date_of_birth", "31/02/2015", "Date of birth must be a real date"),
        ("date_of_birth", "yesterday", "Date of birth must be a real date"),
        ("date_of_birth", "2999-01-01", "Date of birth must be today or in the past"),
        ("iro_id", "99999", "Choose an IRO from the list"),
        ("iro_id", "not-a-number", "Choose an IRO from the list"),
        ("preferred_language", "xx", "Choose a language from the list"),
    ],
)
def test_bad_child_details_are_refused_with_an_error_summary_and_nothing_saved(
    app, admin, iro_id, field, value, message
):
    page = admin.post("/admin/children/new", data=_child_data(admin, iro_id, **{field: value}))
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert f'href="#{field}"' in html
    assert _count(app, Child) == 0


def test_a_duplicate_case_reference_is_refused(app, admin, iro_id):
    admin.post("/admin/children/new", data=_child_data(admin, iro_id))
    page = admin.post("/admin/children/new", data=_child_data(admin, iro_id, first_name="Other"))
    assert page.status_code == 400
    assert "A child with this case reference already exists" in page.get_data(as_text=True)
    assert _count(app, Child) == 1


def test_a_deactivated_iro_cannot_be_chosen(app, admin, make_staff):
    leaver = make_staff("iro", active=False)
    page = admin.post("/admin/children/new", data=_child_data(admin, leaver))
    assert page.status_code == 400
    assert "Choose an IRO from the list" in page.get_data(as_text=True)


def test_two_people_editing_a_child_at_once_do_not_overwrite_each_other(
    app, make_staff, sign_in, iro_id
):
    review_id = make_review(app, iro_id)
    child_id = get(app, Review, review_id).child_id
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_staff("admin"))
    sign_in(second, make_staff("admin"))
    url = f"/admin/children/{child_id}/edit"
    token_1, token_2 = csrf_token(first, url), csrf_token(second, url)
    base = {"case_ref": "X-1", "date_of_birth": "2015-01-01", "preferred_language": "en",
            "iro_id": str(iro_id), "version_id": "1"}  # fmt: skip
    saved = first.post(url, data={**base, "csrf_token": token_1, "first_name": "First"})
    assert saved.status_code == 302
    clash = second.post(url, data={**base, "csrf_token": token_2, "first_name": "Second"})
    assert clash.status_code == 409
    assert "Someone else changed this" in clash.get_data(as_text=True)
    assert get(app, Child, child_id).first_name == "First"


def test_concurrent_review_edit_is_caught_by_the_version_column(app, iro_id):
    review_id = make_review(app, iro_id)
    from sqlalchemy.orm.exc import StaleDataError

    with app.app_context():
        review = _db.session.get(Review, review_id)
        with _db.engine.begin() as other:
            other.execute(
                Review.__table__.update().where(Review.id == review_id).values(version_id=5)
            )
        review.venue = "Elsewhere"
        with pytest.raises(StaleDataError):
            _db.session.commit()
        _db.session.rollback()


def test_admin_adds_a_review_with_validated_date(app, admin, iro_id):
    review_id = make_review(app, iro_id)
    child_id = get(app, Review, review_id).child_id
    url = f"/admin/children/{child_id}/reviews/new"
    token = csrf_token(admin, url)
    # A past date is allowed (a review that already happened); a non-date is not.
    not_a_date = admin.post(url, data={"csrf_token": token, "kind": "cared_for",
                                       "review_date": "2020-13-45", "iro_id": str(iro_id)})  # fmt: skip
    assert not_a_date.status_code == 400
    assert "Review date must be a real date" in not_a_date.get_data(as_text=True)
    bad_time = admin.post(url, data={"csrf_token": token, "kind": "cared_for",
                                     "review_date": working_days_ahead(12).isoformat(),
                                     "start_time": "25:99", "iro_id": str(iro_id)})  # fmt: skip
    assert bad_time.status_code == 400
    assert _count(app, Review) == 1
    good = admin.post(url, data={"csrf_token": token, "kind": "pathway_plan",
                                 "review_date": working_days_ahead(12).isoformat(),
                                 "start_time": "14:30", "iro_id": str(iro_id)})  # fmt: skip
    assert good.status_code == 302
    assert _count(app, Review) == 2


def test_a_stood_down_review_rearranged_takes_its_invitations_with_it(
    app, make_staff, sign_in, iro_id
):
    review_id = make_review(app, iro_id, review_date=working_days_ahead(15))
    for role in ("child", "parent", "carer"):
        add_invitation(app, review_id, role)
    client = app.test_client()
    sign_in(client, iro_id)
    url = f"/admin/reviews/{review_id}"
    token = csrf_token(client, url)
    stood_down = {"csrf_token": token, "reason": "child_unwell"}
    assert client.post(f"{url}/stood-down", data=stood_down).status_code == 302
    assert get(app, Review, review_id).status == "stood_down"
    new_date = working_days_ahead(25)
    response = client.post(
        f"{url}/rearrange",
        data={"csrf_token": token, "review_date": new_date.isoformat(), "version_id": "2"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    review = get(app, Review, review_id)
    assert (review.review_date, review.status) == (new_date, "scheduled")
    for invitation in invitations_of(app, review_id):
        assert invitation.review_date == new_date
        assert invitation.due_at == consultation_due(new_date)
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="review_moved").count() == 1


def test_editing_a_reviews_kind_moves_its_invitations_kind_too(app, iro_id):
    review_id = make_review(app, iro_id)
    add_invitation(app, review_id, "parent")
    with app.app_context():
        review = _db.session.get(Review, review_id)
        move_review(review, review.review_date, kind="pathway_plan")
        _db.session.commit()
    [invitation] = invitations_of(app, review_id)
    assert invitation.review_kind == "pathway_plan"


def test_sent_invitations_keep_their_sent_date_when_the_review_moves(app, iro_id):
    review_id = make_review(app, iro_id)
    sent = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    add_invitation(app, review_id, "parent", sent_at=sent, due_at=dt.date(2026, 1, 5))
    with app.app_context():
        move_review(_db.session.get(Review, review_id), working_days_ahead(30))
        _db.session.commit()
    [invitation] = invitations_of(app, review_id)
    assert invitation.due_at == dt.date(2026, 1, 5) and invitation.sent_at == sent


def test_marking_held_makes_feedback_invitations_due_the_next_working_day(
    app, make_staff, sign_in, iro_id
):
    review_id = make_review(app, iro_id, review_date=dt.date.today())
    feedback_id = add_invitation(app, review_id, "parent", stage="feedback")
    assert get(app, Invitation, feedback_id).due_at is None
    client = app.test_client()
    sign_in(client, iro_id)
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    held_on = dt.date(2025, 4, 17)  # before Easter
    with app.app_context():
        _db.session.get(Review, review_id).review_date = held_on
        _db.session.commit()
    response = client.post(f"/admin/reviews/{review_id}/held",
                           data={"csrf_token": token, "held_on": held_on.isoformat(),
                                 "participation": "PN1", "chaired": "no"})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    assert get(app, Review, review_id).status == "held"
    assert get(app, Invitation, feedback_id).due_at == dt.date(2025, 4, 22)


def test_held_date_in_the_future_is_refused(app, make_staff, sign_in, iro_id):
    review_id = make_review(app, iro_id)
    client = app.test_client()
    sign_in(client, iro_id)
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    page = client.post(f"/admin/reviews/{review_id}/held",
                       data={"csrf_token": token, "held_on": "2999-01-01",
                             "participation": "PN1", "chaired": "no"})  # fmt: skip
    assert page.status_code == 400
    assert "must be today or in the past" in page.get_data(as_text=True)
    assert get(app, Review, review_id).status == "scheduled"


def test_review_list_shows_invitation_statuses_and_send_by_warnings(
    app, make_staff, sign_in, iro_id
):
    review_id = make_review(app, iro_id, review_date=working_days_ahead(5))
    add_invitation(app, review_id, "parent")  # due 10 working days before: already passed
    add_invitation(app, review_id, "carer", sent_at=dt.datetime.now(dt.UTC))
    add_invitation(
        app, review_id, "health", returned_at=dt.datetime.now(dt.UTC), return_channel="paper"
    )
    client = app.test_client()
    sign_in(client, make_staff("manager"))
    page = client.get("/admin/reviews").get_data(as_text=True)
    assert "send-by date passed" in page
    assert "returned on paper" in page and ">sent<" in page and "not sent" in page


@pytest.mark.parametrize("status", ["held", "stood_down"])
def test_only_a_scheduled_review_can_be_marked_held_or_stood_down(app, sign_in, iro_id, status):
    review_id = make_review(app, iro_id, review_date=dt.date.today(), status=status)
    client = app.test_client()
    sign_in(client, iro_id)
    html = client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "/held" not in html and "/stood-down" not in html
    token = csrf_token(client, f"/admin/reviews/{review_id}")
    held = client.post(f"/admin/reviews/{review_id}/held",
                       data={"csrf_token": token, "held_on": dt.date.today().isoformat(),
                             "participation": "PN1", "chaired": "no"})  # fmt: skip
    stood_down = client.post(f"/admin/reviews/{review_id}/stood-down",
                             data={"csrf_token": token, "reason": "child_unwell"})  # fmt: skip
    assert (held.status_code, stood_down.status_code) == (409, 409)
    assert get(app, Review, review_id).status == status
