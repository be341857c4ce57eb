"""GOV.UK Notify: the second delivery provider (ADR 0068), through the official client only.

Chosen by configuration: with `NOTIFY_API_KEY` set, texts go to Notify, and so does email when
NOTIFY_EMAIL_TEMPLATE_ID is set too; otherwise email goes by SMTP (portal.delivery.mail), and
without a key texts wait (they have no other way out). Notify holds one template
per channel, "((subject))"/"((body))" for email and "((body))" for texts, so every word stays in
our gettext catalogues. Errors name Notify's status and error class, never an address.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError
from requests.exceptions import ReadTimeout

from portal.delivery.mail import MailError
from portal.models import SEND_UNCERTAIN

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20
RETRY_LATER = (429, 500, 502, 503, 504)  # Notify's own advice: try again later


class NotifyError(MailError):
    """Notify refused the message or could not be reached; `retry` when trying again may work."""

    def __init__(self, reason: str, status: int, *, uncertain: bool = False) -> None:
        super().__init__(reason)
        self.status = status
        # Sent, but no answer came in time: Notify may well have taken it. Sending it again
        # could text someone twice, so the claim is kept (at most once, as ADR 0044).
        self.uncertain = uncertain

    @property
    def retry(self) -> bool:
        return self.status in RETRY_LATER


@dataclass(frozen=True)
class Status:
    """What Notify says of one message."""

    status: str
    completed_at: dt.datetime | None


def configured() -> bool:
    """Texts can be sent (email may still go by SMTP: see `sends_email`)."""
    return bool(current_app.config.get("NOTIFY_API_KEY"))


def sends_email() -> bool:
    """Email goes through Notify too: a key and an email template (else SMTP, as before)."""
    config = current_app.config
    return bool(config.get("NOTIFY_API_KEY") and config.get("NOTIFY_EMAIL_TEMPLATE_ID"))


def _client() -> NotificationsAPIClient:
    config = current_app.config
    return NotificationsAPIClient(
        config["NOTIFY_API_KEY"],
        base_url=config["NOTIFY_BASE_URL"],
        timeout=config.get("NOTIFY_TIMEOUT_SECONDS", TIMEOUT_SECONDS),
    )


def _template(channel: str) -> str:
    name = f"NOTIFY_{channel.upper()}_TEMPLATE_ID"
    template = current_app.config.get(name)
    if not template:
        raise NotifyError(f"{name} is not set", 0)
    return template


def _call(kind: str, call: Any) -> dict[str, Any]:
    """Run one client call; any failure becomes NotifyError with a reason free of personal data."""
    try:
        return call() or {}
    except APIError as error:
        if isinstance(error.__cause__, ReadTimeout):
            log.warning("notify %s: no answer in time, may have been sent", kind)
            raise NotifyError(SEND_UNCERTAIN, 504, uncertain=True) from error
        reason = f"Notify {error.status_code} {_error_names(error)}"
        log.warning("notify %s not sent: %s", kind, reason)
        raise NotifyError(reason[:300], error.status_code) from error
    except (OSError, ValueError) as error:  # connection refused, DNS, bad key format
        log.warning("notify %s not sent: %s", kind, type(error).__name__)
        raise NotifyError(f"Notify not reached ({type(error).__name__})", 503) from error


def _error_names(error: APIError) -> str:
    """Notify's error classes and messages (e.g. "ValidationError: phone_number Not a UK
    mobile number"): Notify's words about the request, which quote no address."""
    message = error.message
    if isinstance(message, list):
        return "; ".join(
            f"{item.get('error', '')}: {item.get('message', '')}"
            for item in message
            if isinstance(item, dict)
        )
    return str(message)


def send_email(to: str, subject: str, body: str, *, reference: str, kind: str) -> str:
    """Send an email through the email template; Notify's notification id."""
    personalisation = {"subject": subject, "body": body}
    return _send("email", kind, reference, email_address=to, personalisation=personalisation)


def send_sms(to: str, body: str, *, reference: str, kind: str) -> str:
    """Send a text through the SMS template; Notify's notification id."""
    return _send("sms", kind, reference, phone_number=to, personalisation={"body": body})


def _send(channel: str, kind: str, reference: str, **message: Any) -> str:
    """Send `message` (address and personalisation) through the template of `channel`."""
    template = _template(channel)

    def call() -> Any:
        # The client is made inside the call: a malformed key is a NotifyError like any other.
        client = _client()
        send = (
            client.send_email_notification if channel == "email" else client.send_sms_notification
        )
        return send(template_id=template, reference=reference or None, **message)

    answer = _call(kind, call)
    log.info("notify %s sent", kind)
    return str(answer["id"])


def status_of(notification_id: str) -> Status:
    """Notify's current status of one message (for `portal notify-status`)."""
    answer = _call("status", lambda: _client().get_notification_by_id(notification_id))
    return Status(str(answer.get("status", "")), parse_time(answer.get("completed_at")))


def parse_time(value: Any) -> dt.datetime | None:
    """Notify's timestamps ("2026-12-02T06:01:02.000000Z") as aware UTC datetimes."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
