"""The Notify stand-in checks what GOV.UK Notify checks, talked to through the official client."""

from __future__ import annotations

import time

import jwt
import pytest
import requests
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import HTTPError

from tests.notify_stand_in import EMAIL_TEMPLATE_ID, SERVICE_ID, SMS_TEMPLATE_ID


def _client(stand_in, key=None):
    return NotificationsAPIClient(key or stand_in.api_key, base_url=stand_in.url)


def test_a_text_is_accepted_with_notifys_response_shape_and_recorded(notify_stand_in):
    answer = _client(notify_stand_in).send_sms_notification(
        phone_number="07700 900123", template_id=SMS_TEMPLATE_ID, personalisation={"body": "Hi"}
    )
    assert answer["content"]["body"] == "Hi" and answer["template"]["id"] == SMS_TEMPLATE_ID
    [received] = notify_stand_in.of_type("sms")
    assert (received.id, received.to) == (answer["id"], "07700 900123")
    assert _client(notify_stand_in).get_notification_by_id(answer["id"])["status"] == "created"


def test_an_email_needs_both_placeholders(notify_stand_in):
    with pytest.raises(HTTPError) as refused:
        _client(notify_stand_in).send_email_notification(
            email_address="a@example.org", template_id=EMAIL_TEMPLATE_ID,
            personalisation={"body": "no subject"},
        )  # fmt: skip
    assert refused.value.status_code == 400
    assert refused.value.message == [
        {"error": "ValidationError", "message": "Missing personalisation: subject"}
    ]


@pytest.mark.parametrize("number", ["01632 960001", "+33 6 12 34 56 78", "0770090012"])
def test_a_landline_or_foreign_number_gets_a_validation_error(notify_stand_in, number):
    with pytest.raises(HTTPError) as refused:
        _client(notify_stand_in).send_sms_notification(
            phone_number=number, template_id=SMS_TEMPLATE_ID, personalisation={"body": "Hi"}
        )
    assert refused.value.status_code == 400
    assert refused.value.message[0]["error"] == "ValidationError"
    assert notify_stand_in.of_type("sms") == []


def test_a_key_with_the_wrong_secret_gets_an_auth_error(notify_stand_in):
    wrong = f"portal_test-{SERVICE_ID}-00000000-0000-4000-8000-000000000000"
    with pytest.raises(HTTPError) as refused:
        _client(notify_stand_in, wrong).get_notification_by_id(SMS_TEMPLATE_ID)
    assert refused.value.status_code == 403
    assert refused.value.message[0]["error"] == "AuthError"


def test_a_token_issued_more_than_30_seconds_ago_is_refused(notify_stand_in):
    from tests.notify_stand_in import SECRET

    stale = jwt.encode({"iss": SERVICE_ID, "iat": int(time.time()) - 31}, SECRET, "HS256")
    answer = requests.post(
        f"{notify_stand_in.url}/v2/notifications/sms",
        json={"phone_number": "07700900123", "template_id": SMS_TEMPLATE_ID,
              "personalisation": {"body": "Hi"}},
        headers={"Authorization": f"Bearer {stale}"},
        timeout=5,
    )  # fmt: skip
    assert answer.status_code == 403 and "30 seconds" in answer.json()["errors"][0]["message"]
    missing = requests.post(f"{notify_stand_in.url}/v2/notifications/sms", json={}, timeout=5)
    assert missing.status_code == 403


@pytest.mark.parametrize(("status", "kind"), [(429, "RateLimitError"), (500, "Exception")])
def test_failures_on_demand(notify_stand_in, status, kind):
    notify_stand_in.fail_next(status)
    client = _client(notify_stand_in)
    with pytest.raises(HTTPError) as refused:
        client.send_sms_notification(
            phone_number="07700900123", template_id=SMS_TEMPLATE_ID, personalisation={"body": "x"}
        )
    assert refused.value.status_code == status and refused.value.message[0]["error"] == kind
    client.send_sms_notification(
        phone_number="07700900123", template_id=SMS_TEMPLATE_ID, personalisation={"body": "x"}
    )
    assert len(notify_stand_in.of_type("sms")) == 1
