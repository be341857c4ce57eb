"""Preparing invitations, new links, longer links and paper returns, through the screens."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest

from portal.extensions import db as _db
from portal.models import AuditEvent, Invitation
from portal.rules import invitations as invitation_rules
from portal.rules.workdays import consultation_due
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_invitation,
    get,
    invitations_of,
    make_review,
    prepare_row,
)


def _proposed(html):
    """(row index, role, form key) for each proposed row."""
    roles = re.findall(r'name="rows-(\d+)-role" type="hidden" value="([a-z_]*)"', html)
    keys = dict(
        re.findall(
            r'id="rows-(\d+)-form_key" name="[^"]+"><option selected value="([a-z_]*)"', html
        )
    )
    return [(int(index), role, keys[index]) for index, role in roles]


def test_prepare_proposes_one_invitation_per_participant_with_the_right_form_and_language(
    app, iro, iro_id
):
    review_id = make_review(app, iro_id, age=9, language="ps")
    page = iro.get(f"/admin/reviews/{review_id}/invitations/prepare").get_data(as_text=True)
    proposed = _proposed(page)
    assert [role for _i, role, _k in proposed] == [
        "child",
        "parent",
        "carer",
        "health",
        "education",
    ]
    assert {role: key for _i, role, key in proposed}["child"] == "child_consultation"
    child_language = re.search(
        r'id="rows-0-language".*?<option selected value="([^"]+)"', page, re.S
    )
    assert child_language.group(1) == "ps"


def test_pathway_plan_review_proposes_the_care_leaver_form(app, iro, iro_id):
    review_id = make_review(app, iro_id, kind="pathway_plan", age=19)
    page = iro.get(f"/admin/reviews/{review_id}/invitations/prepare").get_data(as_text=True)
    proposed = _proposed(page)
    assert proposed[0][1:] == ("care_leaver", "care_leaver_consultation")
    assert "child" not in [role for _i, role, _k in proposed]


def test_a_held_review_proposes_feedback_forms(app, iro, iro_id):
    review_id = make_review(app, iro_id, status="held")
    page = iro.get(f"/admin/reviews/{review_id}/invitations/prepare").get_data(as_text=True)
    assert [key for _i, _r, key in _proposed(page)] == [
        "child_feedback",
        "parent_feedback",
        "carer_feedback",
    ]


def test_a_second_parent_can_be_added(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    page = iro.get(f"/admin/reviews/{review_id}/invitations/prepare?add=parent").get_data(
        as_text=True
    )
    assert [role for _i, role, _k in _proposed(page)].count("parent") == 2


def test_preparing_saves_invitations_that_copy_the_review_date_and_kind(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    token = csrf_token(iro, url)
    data = {"csrf_token": token}
    data |= prepare_row(
        0, "child", "child_consultation", channel="post", language="ar", recipient_name="Maya"
    )
    data |= prepare_row(1, "parent", "parent_consultation", channel="email",
                        recipient_email="Mum@Example.org", recipient_name="Mum")  # fmt: skip
    data |= prepare_row(2, "carer", "carer_consultation", include=False)
    response = iro.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    child, parent = invitations_of(app, review_id)
    with app.app_context():
        from portal.models import Review

        review = _db.session.get(Review, review_id)
        for invitation in (child, parent):
            assert (invitation.review_date, invitation.review_kind) == (
                review.review_date,
                review.kind,
            )
            assert invitation.due_at == consultation_due(review.review_date)
        assert _db.session.query(AuditEvent).filter_by(action="invitation_created").count() == 2
    assert (child.channel, child.language) == ("post", "ar")
    assert parent.recipient_email == "mum@example.org"
    assert parent.token_hash is None  # links are made when sent or printed


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"channel": "email", "recipient_email": ""},
            "Enter an email address, or choose another way to send",
        ),
        (
            {"channel": "email", "recipient_email": "not an address"},
            "Enter an email address in the correct format",
        ),
        ({"language": "xx"}, "Choose a language from the list"),
        ({"form_key": "no_such_form"}, "There is no form for this person yet"),
        ({"form_key": "child_consultation"}, "There is no form for this person yet"),
    ],
)
def test_bad_invitation_details_show_errors_next_to_the_field_and_save_nothing(
    app, iro, iro_id, fields, message
):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    data = {"csrf_token": csrf_token(iro, url)}
    data |= prepare_row(0, "parent", fields.pop("form_key", "parent_consultation"), **fields)
    page = iro.post(url, data=data)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert invitations_of(app, review_id) == []


def test_choosing_nobody_is_an_error(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    data = {"csrf_token": csrf_token(iro, url)} | prepare_row(
        0, "parent", "parent_consultation", include=False
    )
    page = iro.post(url, data=data)
    assert page.status_code == 400
    assert "Choose at least one person to invite" in page.get_data(as_text=True)


def _drawn(client, url: str) -> dict[str, str]:
    """The Prepare page's hidden fields (CSRF token, drawn_after) as a browser posts them back."""
    html = client.get(url).get_data(as_text=True)
    return dict(re.findall(r'name="(csrf_token|drawn_after)" type="hidden" value="([^"]*)"', html))


def _two_rows() -> dict[str, str]:
    return prepare_row(0, "parent", "parent_consultation") | prepare_row(
        1, "carer", "carer_consultation"
    )


NOTHING_ADDED = "Nothing was added: this review&#39;s invitations changed"


def test_pressing_prepare_twice_prepares_once_and_says_so(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    data = _drawn(iro, url) | _two_rows()
    assert data["drawn_after"] == "0"
    assert iro.post(url, data=data).status_code == 302
    again = iro.post(url, data=data)  # a double click, or Back and the button again
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/admin/reviews/{review_id}")
    assert NOTHING_ADDED in iro.get(again.headers["Location"]).get_data(as_text=True)
    assert [i.role for i in invitations_of(app, review_id)] == ["parent", "carer"]
    with app.app_context():
        assert _db.session.query(AuditEvent).filter_by(action="invitation_created").count() == 2


def test_two_people_preparing_one_review_at_once_make_one_set(app, iro_id, make_staff, signed_in):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    clients = [signed_in(iro_id), signed_in(make_staff("admin"))]
    posts = [_drawn(client, url) | _two_rows() for client in clients]
    barrier = threading.Barrier(2, timeout=30)
    pages: list[str] = []

    def press(client, data) -> None:
        barrier.wait()
        pages.append(client.post(url, data=data, follow_redirects=True).get_data(as_text=True))

    threads = [threading.Thread(target=press, args=pair) for pair in zip(clients, posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # one prepared them, the other was told so
    assert sorted("2 invitations prepared." in page for page in pages) == [False, True]
    assert sorted(NOTHING_ADDED in page for page in pages) == [False, True]
    assert [i.role for i in invitations_of(app, review_id)] == ["parent", "carer"]


def test_a_page_drawn_after_earlier_invitations_adds_to_them(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    first = add_invitation(app, review_id, "parent")
    add_invitation(app, review_id, "child", stage="feedback")  # another stage does not count
    url = f"/admin/reviews/{review_id}/invitations/prepare?add=parent"
    data = _drawn(iro, url)
    assert data["drawn_after"] == str(first)
    data |= prepare_row(0, "parent", "parent_consultation", recipient_name="Dad")
    assert iro.post(url, data=data).status_code == 302
    assert [i.recipient_name for i in invitations_of(app, review_id) if i.role == "parent"] == [
        "Test parent",
        "Dad",
    ]


@pytest.mark.parametrize("mark", ["abc", "-1", "", "99999999999999999999999", "1e3"])
def test_a_tampered_page_mark_adds_nothing_and_is_not_an_error(app, iro, iro_id, mark):
    review_id = make_review(app, iro_id)
    add_invitation(app, review_id, "parent")
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    data = _drawn(iro, url) | {"drawn_after": mark} | prepare_row(0, "carer", "carer_consultation")
    response = iro.post(url, data=data)
    assert response.status_code == 302
    assert NOTHING_ADDED in iro.get(response.headers["Location"]).get_data(as_text=True)
    assert [i.role for i in invitations_of(app, review_id)] == ["parent"]


def test_revoking_a_link_stops_it_at_once(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(
        app, review_id, token_hash="a" * 64, sent_at=dt.datetime.now(dt.UTC)
    )
    token = csrf_token(iro, f"/admin/reviews/{review_id}")
    iro.post(
        f"/admin/invitations/{invitation_id}/revoke", data={"csrf_token": token, "confirm": "yes"}
    )
    invitation = get(app, Invitation, invitation_id)
    assert invitation.token_hash is None and invitation.revoked_at is not None
    assert "revoked" in iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)


def test_reissuing_to_a_corrected_address_queues_a_new_link(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(
        app,
        review_id,
        email="wrong@example.org",
        token_hash="b" * 64,
        sent_at=dt.datetime.now(dt.UTC),
    )
    url = f"/admin/invitations/{invitation_id}/reissue"
    token = csrf_token(iro, url)
    bad = iro.post(url, data={"csrf_token": token, "channel": "email", "language": "en",
                              "recipient_email": "still wrong"})  # fmt: skip
    assert bad.status_code == 400
    ok = iro.post(url, data={"csrf_token": token, "channel": "email", "language": "en",
                             "recipient_name": "Dad", "recipient_email": "right@example.org"})  # fmt: skip
    assert ok.status_code == 302
    invitation = get(app, Invitation, invitation_id)
    assert invitation.recipient_email == "right@example.org"
    assert invitation.token_hash is None and invitation.sent_at is None
    assert invitation.due_at <= dt.date.today()
    with app.app_context():
        event = _db.session.query(AuditEvent).filter_by(action="invitation_reissued").one()
        assert "right@example.org" not in str(event.detail)


def test_extending_a_link_gives_it_two_more_weeks(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    invitation_id = add_invitation(
        app, review_id, sent_at=dt.datetime.now(dt.UTC), expires_at=expires
    )
    token = csrf_token(iro, f"/admin/reviews/{review_id}")
    iro.post(f"/admin/invitations/{invitation_id}/extend", data={"csrf_token": token})
    assert get(app, Invitation, invitation_id).expires_at - expires == dt.timedelta(days=14)


def test_business_support_records_a_paper_return_once(app, make_staff, sign_in, iro_id):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id, channel="post", email=None)
    admin = app.test_client()
    sign_in(admin, make_staff("admin"))
    url = f"/admin/invitations/{invitation_id}/paper-return"
    token = csrf_token(admin, url)
    future = admin.post(url, data={"csrf_token": token, "returned_on": "2999-01-01"})
    assert future.status_code == 400
    assert get(app, Invitation, invitation_id).returned_at is None
    day = dt.date.today() - dt.timedelta(days=1)
    admin.post(url, data={"csrf_token": token, "returned_on": day.isoformat()})
    invitation = get(app, Invitation, invitation_id)
    assert (invitation.return_channel, invitation.returned_at.date()) == ("paper", day)
    again = admin.post(url, data={"csrf_token": token, "returned_on": dt.date.today().isoformat()},
                       follow_redirects=True)  # fmt: skip
    assert "already come back" in again.get_data(as_text=True)
    assert get(app, Invitation, invitation_id).returned_at.date() == day
    assert "returned on paper" in admin.get(f"/admin/reviews/{review_id}").get_data(as_text=True)


def test_an_unsent_invitation_has_no_link_to_extend(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    invitation_id = add_invitation(app, review_id)
    html = iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert f"/admin/invitations/{invitation_id}/extend" not in html
    token = csrf_token(iro, f"/admin/reviews/{review_id}")
    response = iro.post(f"/admin/invitations/{invitation_id}/extend", data={"csrf_token": token})
    assert response.status_code == 409
    assert get(app, Invitation, invitation_id).expires_at is None


def test_the_extend_button_names_the_days_the_view_adds(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    add_invitation(app, review_id, sent_at=dt.datetime.now(dt.UTC))
    html = iro.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert f"Extend by {invitation_rules.EXTEND_DAYS} days" in html
