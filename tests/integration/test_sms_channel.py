"""SMS as a channel: UK mobiles checked where they are typed (import, Prepare,
reissue), Prepare proposes a text for a young person of 13+ with a mobile and for an adult
with a mobile but no email."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.extensions import db
from portal.importing.contacts import plan_import
from portal.importing.csvfile import preview
from portal.models import Child, Contact, Invitation, Review
from portal.rules import invitations as rules
from tests.conftest import csrf_token
from tests.integration.csv_files import write_rows
from tests.integration.workspace import add_invitation, make_review

HEADER = ["case_ref", "role", "name", "email", "postal_address", "language", "mobile"]


def test_import_keeps_a_uk_mobile_normalised_and_refuses_a_landline_or_foreign_number(
    app, runner, tmp_path
):
    with app.app_context():
        db.session.add(Child(case_ref="C1", first_name="Sam", date_of_birth=dt.date(2010, 5, 1)))
        db.session.commit()
    base = {"case_ref": "C1", "role": "parent", "language": "en"}
    rows = [
        {**base, "name": "A", "mobile": "020 7946 0000"},
        {**base, "name": "B", "mobile": "+33 6 12 34 56 78"},
        {**base, "name": "C", "mobile": "07700 9001"},
    ]
    with app.app_context():
        planned = preview(plan_import, write_rows(tmp_path / "bad.csv", rows, HEADER))
    assert planned.problems == [
        "line 2: mobile '020 7946 0000' is not a UK mobile number (07…): a landline cannot "
        "receive texts",
        "line 3: mobile '+33 6 12 34 56 78' is not a UK number (texts go to UK mobiles only)",
        "line 4: mobile '07700 9001' is not a phone number",
    ]
    good = write_rows(
        tmp_path / "good.csv", [{**base, "name": "A", "mobile": "07700 900123"}], HEADER
    )
    result = runner.invoke(args=["import", "contacts", str(good), "--quiet"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(Contact.mobile).scalar() == "+447700900123"


def _proposed(app, review_id):
    with app.app_context():
        review = db.session.get(Review, review_id)
        return {
            (p.role, p.recipient_name): (p.channel, p.recipient_mobile)
            for p in rules.propose(review, "consultation")
        }


def _contacts(app, review_id, *contacts):
    with app.app_context():
        review = db.session.get(Review, review_id)
        for values in contacts:
            db.session.add(Contact(child_id=review.child_id, **values))
        db.session.commit()


@pytest.mark.parametrize(
    ("age", "email", "channel"),
    [(13, "m@example.org", "sms"), (12, "m@example.org", "email"), (12, None, "hand")],
)
def test_a_young_person_of_13_or_over_with_a_mobile_is_texted(app, iro_id, age, email, channel):
    review_id = make_review(app, iro_id, age=age)
    _contacts(app, review_id, {"role": "child", "name": "Maya", "email": email,
                               "mobile": "+447700900111"})  # fmt: skip
    assert _proposed(app, review_id)[("child", "Maya")][0] == channel


def test_an_adult_is_texted_only_without_an_email_address(app, iro_id):
    review_id = make_review(app, iro_id)
    _contacts(
        app,
        review_id,
        {"role": "parent", "name": "Mum", "email": "mum@example.org", "mobile": "+447700900112"},
        {"role": "parent", "name": "Dad", "mobile": "+447700900113"},
    )
    found = _proposed(app, review_id)
    assert found[("parent", "Mum")] == ("email", "+447700900112")
    assert found[("parent", "Dad")] == ("sms", "+447700900113")


def _prepare_data(iro, url, **row):
    return {
        "csrf_token": csrf_token(iro, url),
        "rows-0-include": "y",
        "rows-0-role": "parent",
        "rows-0-form_key": "parent_consultation",
        "rows-0-channel": "sms",
        "rows-0-language": "en",
        **{f"rows-0-{name}": value for name, value in row.items()},
    }


@pytest.mark.parametrize(
    ("mobile", "message"),
    [
        ("020 7946 0000", "Enter a UK mobile number, like 07700 900123"),
        ("", "Enter a mobile number, or choose another way to send"),
    ],
)
def test_prepare_refuses_a_text_without_a_uk_mobile_next_to_the_field(
    app, iro, iro_id, mobile, message
):
    url = f"/admin/reviews/{make_review(app, iro_id)}/invitations/prepare"
    response = iro.post(url, data=_prepare_data(iro, url, recipient_mobile=mobile))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Invitation).count() == 0


def test_prepare_saves_a_text_with_the_mobile_normalised(app, iro, iro_id):
    url = f"/admin/reviews/{make_review(app, iro_id)}/invitations/prepare"
    response = iro.post(url, data=_prepare_data(iro, url, recipient_mobile="07700 900 124"))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        invitation = db.session.query(Invitation).one()
        assert (invitation.channel, invitation.recipient_mobile) == ("sms", "+447700900124")


def test_reissue_can_change_the_mobile(app, iro, iro_id):
    invitation_id = add_invitation(app, make_review(app, iro_id), "parent")
    url = f"/admin/invitations/{invitation_id}/reissue"
    data = {"csrf_token": csrf_token(iro, url), "recipient_name": "Mum", "recipient_email": "",
            "recipient_mobile": "+44 7700 900125", "channel": "sms", "language": "en"}  # fmt: skip
    assert iro.post(url, data=data).status_code == 302
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert (invitation.channel, invitation.recipient_mobile) == ("sms", "+447700900125")
