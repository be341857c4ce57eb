"""Delivery receipts: Notify's callback (bearer token, 401 otherwise), `portal
notify-status` polling the stand-in, duplicates and reordering harmless, unknown ids ignored
and logged without personal data; the review page and the chase list show what happened."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import uuid

import pytest

from portal.delivery.sending import send_due
from portal.extensions import db as _db
from portal.models import Invitation
from tests.conftest import csrf_token, notify_config
from tests.integration.workspace import add_invitation, get, make_review, working_days_ahead

TOKEN = "callback-token-set-in-notify-0123456789"
MOBILE = "+447700900123"


@pytest.fixture
def app_config(notify_stand_in):
    return {**notify_config(notify_stand_in), "NOTIFY_CALLBACK_TOKEN": TOKEN}


@pytest.fixture
def texted(app, iro_id):
    """A parent's text, sent through the stand-in: (invitation id, Notify's id)."""
    review_id = make_review(app, iro_id, review_date=working_days_ahead(8))
    invitation_id = add_invitation(
        app, review_id, "parent", channel="sms", email=None, recipient_mobile=MOBILE,
        recipient_name="Jo Parent",
    )  # fmt: skip
    with app.app_context():
        assert send_due(dt.date.today()).sent == 1
    return invitation_id, get(app, Invitation, invitation_id).notify_id


def _receipt(client, notify_id, status, completed="2026-12-02T10:15:30.000000Z", token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = {"id": notify_id, "reference": "invitation-1", "to": MOBILE, "status": status,
            "created_at": "2026-12-02T10:15:00.000000Z", "completed_at": completed,
            "sent_at": "2026-12-02T10:15:01.000000Z", "notification_type": "sms",
            "template_id": "x", "template_version": 1}  # fmt: skip
    return client.post("/notify/callback", json=body, headers=headers)


@pytest.mark.parametrize("token", [None, "wrong", TOKEN[:-1], ""])
def test_a_wrong_or_missing_bearer_token_is_a_401_and_changes_nothing(app, client, texted, token):
    invitation_id, notify_id = texted
    assert _receipt(client, notify_id, "delivered", token=token).status_code == 401
    assert get(app, Invitation, invitation_id).delivery_status == "created"


def test_no_callback_token_configured_refuses_every_receipt(app, client, texted):
    app.config["NOTIFY_CALLBACK_TOKEN"] = ""
    assert _receipt(client, texted[1], "delivered", token="").status_code == 401


def test_a_receipt_records_the_status_and_time_and_repeats_are_harmless(app, client, texted):
    invitation_id, notify_id = texted
    for _ in range(2):
        answer = _receipt(client, notify_id, "delivered")
        assert answer.status_code == 200
    assert answer.get_json() == {"result": "unchanged"}
    invitation = get(app, Invitation, invitation_id)
    assert invitation.delivery_status == "delivered"
    assert invitation.delivery_status_at == dt.datetime(2026, 12, 2, 10, 15, 30, tzinfo=dt.UTC)


def test_an_earlier_status_arriving_late_never_replaces_a_final_one(app, client, texted):
    invitation_id, notify_id = texted
    _receipt(client, notify_id, "permanent-failure")
    _receipt(client, notify_id, "sending", completed=None)
    _receipt(client, notify_id, "delivered")  # a second final status does not replace the first
    assert get(app, Invitation, invitation_id).delivery_status == "permanent-failure"


def test_an_unknown_id_is_ignored_and_logged_without_personal_data(app, client, texted, caplog):
    caplog.set_level(logging.INFO)
    unknown = str(uuid.uuid4())
    answer = _receipt(client, unknown, "delivered")
    assert answer.status_code == 200 and answer.get_json() == {"result": "unknown"}
    assert unknown in caplog.text
    assert "7700" not in caplog.text and "Jo Parent" not in caplog.text


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"id": "x", "status": "delivered"}'])
def test_a_malformed_receipt_is_a_400(client, texted, body):
    answer = client.post("/notify/callback", data=body, content_type="application/json",
                         headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert answer.status_code == 400


def test_notify_status_polls_messages_without_a_final_status(app, runner, texted, notify_stand_in):
    invitation_id, notify_id = texted
    result = runner.invoke(args=["notify-status"])
    assert result.exit_code == 0 and "updated 0, unchanged 1" in result.output
    notify_stand_in.settle(notify_id, "delivered")
    result = runner.invoke(args=["notify-status"])
    assert "asked 1, updated 1" in result.output, result.output
    assert get(app, Invitation, invitation_id).delivery_status == "delivered"
    assert "asked 0" in runner.invoke(args=["notify-status"]).output  # final: not asked again


def test_the_review_page_shows_delivered_or_failed_with_the_time(
    app, client, texted, iro_id, sign_in
):
    invitation_id, notify_id = texted
    sign_in(client, iro_id)
    review_id = get(app, Invitation, invitation_id).review_id
    _receipt(client, notify_id, "delivered")
    page = client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "delivered, Wednesday 2 December 2026 at 10:15" in page
    assert "07700 900123" in page and "Text message" in page
    with app.app_context():
        _db.session.get(Invitation, invitation_id).delivery_status = "sending"
        _db.session.commit()
    _receipt(client, notify_id, "temporary-failure")
    page = client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "failed: the inbox or phone was not available (temporary failure)" in page


def test_a_permanent_failure_is_on_the_chase_list_with_another_way_to_send(
    app, client, texted, make_staff, sign_in
):
    invitation_id, notify_id = texted
    _receipt(client, notify_id, "permanent-failure")
    sign_in(client, make_staff("admin"))
    page = client.get("/admin/chase").get_data(as_text=True)
    assert "Not delivered: the address or number does not exist." in page
    assert f"/admin/invitations/{invitation_id}/reissue" in page


def test_the_chase_list_csv_has_the_delivery_status_as_the_review_page_words_it(
    app, client, texted, iro_id, make_staff, sign_in
):
    invitation_id, notify_id = texted
    review_id = get(app, Invitation, invitation_id).review_id
    add_invitation(app, review_id, "carer", channel="post", email=None)
    _receipt(client, notify_id, "permanent-failure")
    sign_in(client, make_staff("admin"))
    exported = client.get("/admin/chase.csv").get_data(as_text=True).lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(exported)))[1:]
    by_role = {row[header.index("For")]: row[header.index("Delivery")] for row in rows}
    assert by_role == {
        "parent": "failed: the address or number does not exist (permanent failure)",
        "carer": "",  # a letter: Notify never carried it
    }


def _remind(client, invitation_id):
    """Tick one form on the chase list and choose "Send a reminder now"."""
    data = {"csrf_token": csrf_token(client, "/admin/chase"), "action": "remind",
            "ids": [str(invitation_id)]}  # fmt: skip
    return client.post("/admin/chase", data=data)


def test_the_chase_list_reminds_a_texted_form_by_text_once(
    app, client, texted, make_staff, sign_in, notify_stand_in
):
    invitation_id, _notify_id = texted
    with app.app_context():  # sent yesterday by the scheduled run
        row = _db.session.get(Invitation, invitation_id)
        row.sent_at = row.sent_at - dt.timedelta(days=1)
        _db.session.commit()
    sign_in(client, make_staff("admin"))
    assert _remind(client, invitation_id).status_code == 303
    texts = notify_stand_in.of_type("sms")
    assert len(texts) == 2 and texts[-1].personalisation["body"].startswith("Reminder: ")
    reminded = get(app, Invitation, invitation_id)
    assert reminded.reminders_sent == 1 and reminded.notify_id == texts[-1].id
    assert _remind(client, invitation_id).status_code == 303  # a second click sends nothing
    assert len(notify_stand_in.of_type("sms")) == 2


def test_the_chase_list_reminds_a_texted_feedback_form_after_the_review(
    app, client, iro_id, make_staff, sign_in, notify_stand_in
):
    held = make_review(app, iro_id, review_date=dt.date.today() - dt.timedelta(days=3),
                       status="held")  # fmt: skip
    invitation_id = add_invitation(
        app, held, "parent", stage="feedback", channel="sms", email=None,
        recipient_mobile=MOBILE, due_at=dt.date.today() - dt.timedelta(days=2),
    )  # fmt: skip
    with app.app_context():
        assert send_due(dt.date.today() - dt.timedelta(days=1)).sent == 1
        row = _db.session.get(Invitation, invitation_id)
        row.sent_at = row.sent_at - dt.timedelta(days=1)  # sent yesterday
        _db.session.commit()
    sign_in(client, make_staff("admin"))
    assert _remind(client, invitation_id).status_code == 303
    texts = notify_stand_in.of_type("sms")
    assert len(texts) == 2
    assert texts[-1].personalisation["body"].startswith("Reminder: Tell us how a review went at")
    assert get(app, Invitation, invitation_id).notify_id == texts[-1].id


def test_the_chase_list_will_not_remind_a_number_that_does_not_exist(
    app, client, texted, make_staff, sign_in, notify_stand_in
):
    invitation_id, notify_id = texted
    _receipt(client, notify_id, "permanent-failure")
    sign_in(client, make_staff("admin"))
    answer = _remind(client, invitation_id)
    assert answer.status_code == 400 and "Untick 1 forms" in answer.get_data(as_text=True)
    assert len(notify_stand_in.of_type("sms")) == 1
