"""Prepare uses the child's contacts: email when there is an email address,
post when there is a postal address, by hand otherwise; one proposal per contact; no contact is
never a refusal. The postal address is copied onto the invitation and printed on the letter.
"""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Invitation, Review
from portal.rules import invitations as rules
from tests.conftest import csrf_token
from tests.integration.workspace import add_contacts, make_review, prepare_row

ADDRESS = "1 High Street\nTown\nAB1 2CD"


def proposals(app, review_id: int) -> list[tuple]:
    with app.app_context():
        review = db.session.get(Review, review_id)
        return [
            (p.role, p.recipient_name, p.channel, p.recipient_email, p.postal_address, p.language)
            for p in rules.propose(review, "consultation")
        ]


def test_contacts_become_the_recipients_email_post_or_by_hand(app, iro_id):
    review_id = make_review(app, iro_id, language="ar")
    add_contacts(
        app,
        review_id,
        {"role": "parent", "name": "Mum", "email": "mum@example.org", "postal_address": ADDRESS},
        {"role": "parent", "name": "Dad", "postal_address": ADDRESS, "language": "ps"},
        {"role": "carer", "name": "Foster Carer"},
    )
    assert proposals(app, review_id) == [
        ("child", "Maya", "hand", None, None, "ar"),  # no contact: by hand, in the child's language
        ("parent", "Mum", "email", "mum@example.org", ADDRESS, "en"),
        ("parent", "Dad", "post", None, ADDRESS, "ps"),  # two parents: one proposal each
        ("carer", "Foster Carer", "hand", None, None, "en"),
        ("health", "", "hand", None, None, "en"),
        ("education", "", "hand", None, None, "en"),
    ]


def test_another_childs_contacts_and_other_roles_are_not_proposed(app, iro_id):
    review_id = make_review(app, iro_id)
    other_id = make_review(app, iro_id)
    add_contacts(app, other_id, {"role": "parent", "name": "Not Mine", "email": "x@example.org"})
    add_contacts(app, review_id, {"role": "health", "name": "LAC Nurse", "email": "n@nhs.net"})
    found = {row[0]: row[1:3] for row in proposals(app, review_id)}
    assert found["parent"] == ("", "hand")
    assert found["health"] == ("LAC Nurse", "email")


def test_the_prepare_screen_fills_in_contacts_and_saves_the_postal_address(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    add_contacts(app, review_id, {"role": "parent", "name": "Dad", "postal_address": ADDRESS})
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    page = iro.get(url).get_data(as_text=True)
    index = re.search(r'name="rows-(\d+)-role" type="hidden" value="parent"', page).group(1)
    assert re.search(rf'name="rows-{index}-recipient_name"[^>]*value="Dad"', page)
    assert "1 High Street\nTown\nAB1 2CD</textarea>" in page
    token = csrf_token(iro, url)
    data = {"csrf_token": token}
    data |= prepare_row(int(index), "parent", "parent_consultation", recipient_name="Dad",
                        postal_address="1 High Street\r\nTown\r\n\r\nAB1 2CD")  # fmt: skip
    response = iro.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        invitation = db.session.query(Invitation).one()
        assert (invitation.channel, invitation.postal_address) == ("post", ADDRESS)


def test_an_address_too_long_for_the_envelope_is_a_400_next_to_the_field(app, iro, iro_id):
    review_id = make_review(app, iro_id)
    url = f"/admin/reviews/{review_id}/invitations/prepare"
    data = {"csrf_token": csrf_token(iro, url)}
    address = "\n".join(f"line {n}" for n in range(9))
    data |= prepare_row(0, "parent", "parent_consultation", postal_address=address)
    response = iro.post(url, data=data)
    assert response.status_code == 400
    assert "Enter a postal address of up to 7 lines" in response.get_data(as_text=True)


def test_a_posted_letter_shows_the_name_and_address_for_the_window(app, iro, iro_id):
    review_id = make_review(app, iro_id, language="ar")
    with app.app_context():
        review = db.session.get(Review, review_id)
        parent = rules.create(review, stage="consultation", role="parent",
                              form_key="parent_consultation", recipient_name="Dad <b>",
                              postal_address=ADDRESS, channel="post")  # fmt: skip
        db.session.commit()
        parent_id = parent.id
    token = csrf_token(iro, f"/admin/reviews/{review_id}")
    page = iro.post(f"/admin/invitations/{parent_id}/letter", data={"csrf_token": token})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    address = re.search(r'<address class="letter__address">(.*?)</address>', html, re.S).group(1)
    assert re.sub(r"\s+", " ", address).strip() == (
        '<span class="letter__to">Dad &lt;b&gt;</span><br>1 High Street<br>Town<br>AB1 2CD'
    )
