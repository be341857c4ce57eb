"""Reviews as they really happen: adding one that already happened, mark held only
on or after its date, "Are you sure?" pages before stand down and revoke (a POST without the
confirmation changes nothing), and the weekly list on screen and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from portal.extensions import db as _db
from portal.models import Invitation, Review
from tests.conftest import csrf_token
from tests.integration.workspace import add_invitation, get, make_review

TODAY = dt.date.today()


@pytest.fixture
def admin(make_staff, signed_in):
    return signed_in(make_staff("admin"))


@pytest.fixture
def manager(make_staff, signed_in):
    return signed_in(make_staff("manager"))


def test_a_review_that_already_happened_can_be_added_then_marked_held(app, admin, iro, iro_id):
    child_id = get(app, Review, make_review(app, iro_id)).child_id
    url = f"/admin/children/{child_id}/reviews/new"
    past = TODAY - dt.timedelta(days=10)
    added = admin.post(url, data={"csrf_token": csrf_token(admin, url), "kind": "cared_for",
                                  "review_date": past.isoformat(), "iro_id": str(iro_id)})  # fmt: skip
    assert added.status_code == 302
    review_id = int(added.headers["Location"].rstrip("/").split("/")[-1])
    assert get(app, Review, review_id).review_date == past
    assert "mark it as held" in admin.get(added.headers["Location"]).get_data(as_text=True)
    held_url = f"/admin/reviews/{review_id}/held"
    held = iro.post(held_url, data={"csrf_token": csrf_token(iro, held_url),
                                    "held_on": past.isoformat(), "participation": "PN1",
                                    "chaired": "no"})  # fmt: skip
    assert held.status_code == 302
    assert get(app, Review, review_id).status == "held"


def test_a_review_cannot_be_marked_held_before_its_date(app, iro, iro_id):
    review_id = make_review(app, iro_id, review_date=TODAY + dt.timedelta(days=3))
    url = f"/admin/reviews/{review_id}/held"
    page = iro.post(url, data={"csrf_token": csrf_token(iro, url), "held_on": TODAY.isoformat(),
                               "participation": "PN1", "chaired": "no"})  # fmt: skip
    assert page.status_code == 400
    assert "on or after the review date" in page.get_data(as_text=True)
    assert get(app, Review, review_id).status == "scheduled"


def test_stand_down_asks_are_you_sure_and_says_links_stop_working(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/stood-down"
    page = iro.get(url).get_data(as_text=True)
    assert "Are you sure you want to stand down" in page and "stop working at once" in page
    token = csrf_token(iro, url)
    unconfirmed = iro.post(url, data={"csrf_token": token})  # no reason chosen: nothing happens
    assert unconfirmed.status_code == 400
    assert get(app, Review, review_id).status == "scheduled"
    done = iro.post(url, data={"csrf_token": token, "reason": "child_unwell"})
    assert done.status_code == 302 and get(app, Review, review_id).status == "stood_down"


def test_revoke_shows_a_confirmation_page_and_only_its_post_revokes(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, token_hash="b" * 64,
                                   sent_at=dt.datetime.now(dt.UTC))  # fmt: skip
    review_page = iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert f'href="/admin/invitations/{invitation_id}/revoke"' in review_page
    url = f"/admin/invitations/{invitation_id}/revoke"
    page = iro.get(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Are you sure you want to revoke this link?" in text
    assert "stop working at once" in text and 'name="confirm" value="yes"' in text
    token = csrf_token(iro, url)
    stray = iro.post(url, data={"csrf_token": token})
    assert stray.status_code == 200 and "Are you sure" in stray.get_data(as_text=True)
    assert get(app, Invitation, invitation_id).revoked_at is None
    done = iro.post(url, data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    assert get(app, Invitation, invitation_id).revoked_at is not None
    assert iro.get(url).status_code == 409  # already revoked


def _week_world(app, iro_id, other_iro_id):
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    last_week, next_week = monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)
    ids = {
        "held": make_review(
            app, iro_id, review_date=last_week + dt.timedelta(days=1), case_ref="=HYPERLINK(1)"
        ),
        "stood_down": make_review(
            app, iro_id, review_date=last_week + dt.timedelta(days=2), status="stood_down"
        ),
        "coming": make_review(app, iro_id, review_date=next_week + dt.timedelta(days=3)),
        "theirs": make_review(app, other_iro_id, review_date=next_week),
        "this_week": make_review(app, iro_id, review_date=monday),
        "two_weeks": make_review(app, iro_id, review_date=next_week + dt.timedelta(days=7)),
    }
    with app.app_context():
        held = _db.session.get(Review, ids["held"])
        held.status, held.held_on, held.participation = "held", held.review_date, "PN1"
        down = _db.session.get(Review, ids["stood_down"])
        down.stood_down_reason = "child_unwell"
        _db.session.commit()
    return ids


def test_the_weekly_list_shows_last_and_next_week(app, manager, make_staff, iro_id):
    ids = _week_world(app, iro_id, make_staff("iro"))
    page = manager.get("/admin/weekly")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for key in ("held", "stood_down", "coming", "theirs"):
        assert f'/admin/reviews/{ids[key]}"' in text, key
    for key in ("this_week", "two_weeks"):
        assert f'/admin/reviews/{ids[key]}"' not in text, key
    assert "Child unwell" in text or "unwell" in text


def test_an_iro_sees_only_their_reviews_in_the_weekly_list(app, iro, make_staff, iro_id):
    ids = _week_world(app, iro_id, make_staff("iro"))
    text = iro.get("/admin/weekly").get_data(as_text=True)
    assert f'/admin/reviews/{ids["coming"]}"' in text
    assert f'/admin/reviews/{ids["theirs"]}"' not in text


def test_the_weekly_csv_is_safe_to_open_in_a_spreadsheet(app, manager, make_staff, iro_id):
    _week_world(app, iro_id, make_staff("iro"))
    download = manager.get("/admin/weekly?format=csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0].startswith("Held in ")
    assert any(row[:2][-1] == "'=HYPERLINK(1)" for row in rows if len(row) > 1)
    assert not any(cell.startswith("=") for row in rows for cell in row)
    titles = [row[0] for row in rows if len(row) == 1]
    assert [t.split(" in ")[0] for t in titles] == ["Held", "Stood down", "Coming"]


@pytest.mark.parametrize("query", ["on=2026-02-30", "on=1800-01-01", "format=pdf"])
def test_bad_weekly_filters_are_a_400(manager, query):
    assert manager.get(f"/admin/weekly?{query}").status_code == 400


def test_the_weekly_list_can_be_moved_to_another_week(app, manager, make_staff, iro_id):
    ids = _week_world(app, iro_id, make_staff("iro"))
    later = (TODAY + dt.timedelta(days=21)).isoformat()
    text = manager.get(f"/admin/weekly?on={later}").get_data(as_text=True)
    assert f'/admin/reviews/{ids["coming"]}"' not in text
