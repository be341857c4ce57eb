"""`send-due` through GOV.UK Notify (the local stand-in, through the official client): email and
texts, Notify's id kept, and exactly once across two copies and Notify's rate limit."""

from __future__ import annotations

import re

import pytest

from portal.models import Invitation
from tests.conftest import notify_config
from tests.integration.sending import send_from_two_copies_at_once, send_today
from tests.integration.workspace import add_invitation, due_review, get

BASE = "https://portal.example"
MOBILE = "+447700900123"


@pytest.fixture
def app_config(notify_stand_in):
    return {**notify_config(notify_stand_in), "PORTAL_BASE_URL": BASE}


def _text(app, review_id, role="parent", mobile=MOBILE, **fields):
    return add_invitation(
        app, review_id, role, channel="sms", email=None, recipient_mobile=mobile, **fields
    )


def test_an_email_goes_through_notifys_email_template_and_keeps_its_id(
    app, iro_id, notify_stand_in
):
    invitation_id = add_invitation(app, due_review(app, iro_id), "parent", email="mum@example.org")
    assert send_today(app).sent == 1
    [email] = notify_stand_in.of_type("email")
    assert email.to == "mum@example.org"
    assert email.personalisation["subject"] == "Have your say about a review"
    assert f"{BASE}/r/" in email.personalisation["body"]
    assert email.reference == f"invitation-{invitation_id}"
    invitation = get(app, Invitation, invitation_id)
    assert invitation.notify_id == email.id and invitation.delivery_status == "created"
    assert send_today(app).sent == 0 and len(notify_stand_in.notifications) == 1


def test_a_parents_text_carries_the_short_address_and_code_but_no_childs_name(
    app, iro_id, notify_stand_in
):
    invitation_id = _text(app, due_review(app, iro_id), "parent")
    assert send_today(app).sent == 1
    [text] = notify_stand_in.of_type("sms")
    assert text.to == MOBILE
    body = text.personalisation["body"]
    assert re.search(rf"at {BASE}/q, code [A-Z0-9]{{4}}-[A-Z0-9]{{4}}$", body), body
    assert "Maya" not in body
    assert get(app, Invitation, invitation_id).notify_id == text.id


def test_a_young_persons_text_is_in_their_language_with_the_code_isolated(
    app, iro_id, notify_stand_in
):
    _text(app, due_review(app, iro_id, age=15), "child", language="ar")
    send_today(app)
    [text] = notify_stand_in.of_type("sms")
    assert re.search("\u2066[A-Z0-9]{4}-[A-Z0-9]{4}\u2069", text.personalisation["body"])


def test_texts_wait_while_notify_is_not_configured(app, iro_id, notify_stand_in):
    invitation_id = _text(app, due_review(app, iro_id))
    app.config["NOTIFY_API_KEY"] = ""
    assert send_today(app).sent == 0
    assert get(app, Invitation, invitation_id).sent_at is None
    app.config["NOTIFY_API_KEY"] = notify_stand_in.api_key
    assert send_today(app).sent == 1


@pytest.mark.parametrize(("status", "reason"), [(429, "RateLimitError"), (500, "Exception")])
def test_a_rate_limit_or_fault_leaves_the_item_for_the_next_run_with_its_reason(
    app, iro_id, notify_stand_in, status, reason
):
    review_id = due_review(app, iro_id)
    ids = [_text(app, review_id, role) for role in ("parent", "carer", "health")]
    notify_stand_in.fail_next(status)
    report = send_today(app)
    assert report.failed == 1
    first = get(app, Invitation, ids[0])
    assert first.sent_at is None and f"Notify {status} {reason}" in first.send_error
    if status == 429:  # the rest wait instead of each meeting the limit, as if never tried
        assert (report.sent, report.deferred) == (0, 2)
        assert [get(app, Invitation, i).send_attempts for i in ids] == [1, 0, 0]
    else:
        assert report.sent == 2
    again = send_today(app)
    assert again.failed == 0
    texts = notify_stand_in.of_type("sms")
    assert len(texts) == 3 and {t.reference for t in texts} == {f"invitation-{i}" for i in ids}
    assert get(app, Invitation, ids[0]).send_error is None


def test_a_number_notify_refuses_is_recorded_not_retried_as_sent(app, iro_id, notify_stand_in):
    invitation_id = _text(app, due_review(app, iro_id), mobile="+447911123456")
    notify_stand_in.fail_next(400)
    assert send_today(app).failed == 1
    assert "Notify 400 ValidationError" in get(app, Invitation, invitation_id).send_error


def test_two_copies_running_at_once_send_each_text_exactly_once_across_the_rate_limit(
    app, iro_id, notify_stand_in
):
    review_ids = [due_review(app, iro_id, age=14) for _ in range(3)]
    expected = {
        _text(app, review_id, role) for review_id in review_ids for role in ("parent", "child")
    }
    notify_stand_in.fail_next(429, times=2)
    for _run in range(3):  # the rate limit leaves some for a later run, never twice
        send_from_two_copies_at_once(app)
    references = [text.reference for text in notify_stand_in.of_type("sms")]
    assert sorted(references) == sorted(f"invitation-{i}" for i in expected)


def test_without_an_email_template_email_still_goes_by_smtp(
    app, iro_id, notify_stand_in, smtp_sink
):
    app.config.update(NOTIFY_EMAIL_TEMPLATE_ID="", MAIL_URL=smtp_sink.url)
    review_id = due_review(app, iro_id)
    add_invitation(app, review_id, "carer", email="carer@example.org")
    _text(app, review_id, "parent")
    assert send_today(app).sent == 2
    assert len(smtp_sink.messages) == 1 and len(notify_stand_in.of_type("sms")) == 1
    assert notify_stand_in.of_type("email") == []


def test_no_answer_in_time_is_never_sent_again(app, iro_id, notify_stand_in, sign_in):
    """Notify took the text but its answer came too late: sending again could text twice."""
    app.config["NOTIFY_TIMEOUT_SECONDS"] = 0.5
    review_id = due_review(app, iro_id)
    invitation_id = _text(app, review_id)
    notify_stand_in.delay_next(1.5)
    assert send_today(app).failed == 1
    assert send_today(app).sent == 0
    assert len(notify_stand_in.of_type("sms")) == 1
    invitation = get(app, Invitation, invitation_id)
    assert invitation.sent_at is not None and invitation.send_uncertain
    client = app.test_client()
    sign_in(client, iro_id)
    page = client.get(f"/admin/reviews/{review_id}").get_data(as_text=True)
    assert "It is not sent again, so nobody gets it twice" in page
