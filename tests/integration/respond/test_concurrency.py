"""Two submissions of the same form at the same moment: the database constraint keeps exactly one.

On PostgreSQL (TEST_DATABASE_URL) these are real concurrent connections; on SQLite, writers queue.
"""

from __future__ import annotations

import threading

from portal.extensions import db
from portal.models import Invitation, Response
from portal.rules.responses import Submitted, submit_response
from portal.web.respond import journey
from tests.respond_support import csrf_from, make_invitation, post_page, press_together


def count_responses(app, link):
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count(Response.id)).where(
                Response.invitation_id == link.invitation_id
            )
        )


def test_two_threads_submitting_at_once_store_exactly_one_response(app):
    link = make_invitation(app, role="carer")
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[Submitted] = []

    def submit() -> None:
        with app.app_context():
            state, invitation = journey.find_by_token(link.token)
            assert state is journey.LinkState.OK
            form = journey.journey_for(invitation).form
            barrier.wait()  # both have checked the link before either inserts
            outcomes.append(
                submit_response(invitation, form, {"settled": "settled"}, language="en")
            )
            db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [Submitted.ALREADY, Submitted.SENT]
    assert count_responses(app, link) == 1
    with app.app_context():
        assert db.session.get(Invitation, link.invitation_id).return_channel == "online"


def test_two_devices_pressing_send_together_over_http_store_one_response(app):
    link = make_invitation(app, role="carer")
    phones = [app.test_client(), app.test_client()]
    tokens = []
    for phone in phones:
        phone.get(link.url)
        phone.post(
            "/r/start", data={"csrf_token": csrf_from(phone.get("/r/start").get_data(as_text=True))}
        )
        tokens.append(csrf_from(phone.get("/r/check").get_data(as_text=True)))
    post_page(phones[0], 1, {"settled": "mostly_settled"})
    statuses = press_together("/r/check", phones, tokens)
    assert sorted(statuses) == [302, 409]
    assert count_responses(app, link) == 1
