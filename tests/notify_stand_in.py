"""A local stand-in for the GOV.UK Notify API, served by a real threaded WSGI server.

It checks what Notify checks before it accepts a message: a JWT in `Authorization: Bearer`,
signed HS256 with the API key's secret, `iss` = the service id and `iat` within 30 seconds;
the JSON body of POST /v2/notifications/email and /v2/notifications/sms (template id,
address, every placeholder of the template filled). It answers with Notify's documented shapes
(201 with id/content/template/uri; 400 ValidationError, 403 AuthError, 429 RateLimitError,
500 Exception) and keeps what it received. `fail_next(429)` makes the next requests fail;
`settle(id, status)` moves a notification on, as Notify's providers would, for GET
/v2/notifications/<id> (the poll) to read.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import jwt
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

SERVICE_ID = "6c2a9c3e-0bd5-4cf2-9a43-5f86a5b1c9d0"
SECRET = "f4c1d2e3-a4b5-4c6d-8e7f-90a1b2c3d4e5"
EMAIL_TEMPLATE_ID = "11111111-2222-4333-8444-555555555555"
SMS_TEMPLATE_ID = "99999999-8888-4777-8666-555555555555"
TEMPLATES = {  # id -> (type, placeholders), as the README tells a council to create them
    EMAIL_TEMPLATE_ID: ("email", ("subject", "body")),
    SMS_TEMPLATE_ID: ("sms", ("body",)),
}
UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")
ERRORS = {
    400: "ValidationError",
    403: "AuthError",
    429: "RateLimitError",
    500: "Exception",
}
MESSAGES = {
    429: "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    500: "Internal server error",
}


@dataclass
class Received:
    """One accepted notification, as Notify would keep it."""

    id: str
    type: str  # email | sms
    to: str
    template_id: str
    personalisation: dict[str, str]
    reference: str | None
    status: str = "created"
    created_at: float = field(default_factory=time.time)
    completed_at: float | None = None


class _Quiet(WSGIRequestHandler):
    """No access log: a soak sends thousands of requests."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class NotifyStandIn:
    """The stand-in server; `api_key` is what the portal is configured with."""

    def __init__(self) -> None:
        self.notifications: dict[str, Received] = {}
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status) of every call
        self._failures: list[int] = []
        self._delays: list[float] = []
        self._lock = threading.Lock()
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Quiet
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # What a test uses.
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def api_key(self) -> str:
        return f"portal_test-{SERVICE_ID}-{SECRET}"

    def fail_next(self, status: int, times: int = 1) -> None:
        """The next `times` notification requests answer `status` (429, 500, 403...)."""
        with self._lock:
            self._failures.extend([status] * times)

    def delay_next(self, seconds: float) -> None:
        """The next notification is accepted, but the answer comes `seconds` late (a timeout)."""
        with self._lock:
            self._delays.append(seconds)

    def settle(self, notification_id: str, status: str) -> None:
        """Move a notification to a status (e.g. delivered, permanent-failure)."""
        with self._lock:
            received = self.notifications[notification_id]
            received.status = status
            received.completed_at = time.time()

    def of_type(self, kind: str) -> list[Received]:
        with self._lock:
            return [item for item in self.notifications.values() if item.type == kind]

    def start(self) -> NotifyStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    # The service.
    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        status, body = self._answer(request)
        with self._lock:
            self.requests.append((request.method, request.path, status))
        response = Response(json.dumps(body), status=status, mimetype="application/json")
        return response(environ, start_response)

    def _answer(self, request: Request) -> tuple[int, dict[str, Any]]:
        problem = _token_problem(request.headers.get("Authorization", ""))
        if problem:
            return _error(403, problem)
        match = re.fullmatch(r"/v2/notifications/([0-9a-f-]{36})", request.path)
        if request.method == "GET" and match:
            with self._lock:
                found = self.notifications.get(match.group(1))
            if found is None:
                return _error(404, "No result found", kind="NoResultFound")
            return 200, _as_notification(found)
        kind = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(
            request.path
        )
        if request.method != "POST" or kind is None:
            return _error(404, "Not found", kind="NotFound")
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure:
            return _error(failure, MESSAGES.get(failure, "Forced failure"))
        try:
            data = json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            return _error(400, "Invalid JSON supplied in POST data", kind="BadRequestError")
        if not isinstance(data, dict):
            return _error(400, "Invalid JSON supplied in POST data", kind="BadRequestError")
        problem = _body_problem(kind, data)
        if problem:
            return _error(400, problem)
        received = Received(
            id=str(uuid.uuid4()),
            type=kind,
            to=data["email_address" if kind == "email" else "phone_number"],
            template_id=data["template_id"],
            personalisation=data["personalisation"],
            reference=data.get("reference"),
        )
        with self._lock:
            self.notifications[received.id] = received
            delay = self._delays.pop(0) if self._delays else 0.0
        time.sleep(delay)
        return 201, self._created(received)

    def _created(self, received: Received) -> dict[str, Any]:
        values = received.personalisation
        content: dict[str, Any] = {"body": values["body"]}
        if received.type == "email":
            content.update(
                subject=values["subject"],
                from_email="review.voice@notifications.service.gov.uk",
                one_click_unsubscribe_url=None,
            )
        else:
            content["from_number"] = "GOVUK"
        return {
            "id": received.id,
            "reference": received.reference,
            "content": content,
            "uri": f"{self.url}/v2/notifications/{received.id}",
            "template": {
                "id": received.template_id,
                "version": 1,
                "uri": f"{self.url}/services/{SERVICE_ID}/templates/{received.template_id}",
            },
            "scheduled_for": None,
        }


def _token_problem(header: str) -> str | None:
    """Why Notify would refuse this Authorization header, or None."""
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        return "Unauthorized: authentication token must be provided"
    try:
        unverified = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "Invalid token: signature, api token not found"
    if unverified.get("alg") != "HS256":
        return "Invalid token: algorithm used is not HS256"
    if claims.get("iss") != SERVICE_ID:
        return "Invalid token: service not found"
    try:
        jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    except jwt.PyJWTError:
        return "Invalid token: signature, api token not found"
    issued = claims.get("iat")
    if not isinstance(issued, int | float):
        return "Invalid token: iat field not provided"
    if abs(time.time() - issued) > 30:
        return "Error: Your system clock must be accurate to within 30 seconds"
    return None


def _body_problem(kind: str, data: dict[str, Any]) -> str | None:
    template_id = data.get("template_id")
    if not isinstance(template_id, str):
        return "template_id is a required property"
    try:
        uuid.UUID(template_id)
    except ValueError:
        return "template_id is not a valid UUID"
    template = TEMPLATES.get(template_id)
    if template is None or template[0] != kind:
        return "Template not found"
    if kind == "sms":
        number = re.sub(r"[\s()-]", "", str(data.get("phone_number", "")))
        if not UK_MOBILE.match(number):
            return "phone_number Not a UK mobile number"
    elif "@" not in str(data.get("email_address", "")):
        return "email_address Not a valid email address"
    values = data.get("personalisation")
    if not isinstance(values, dict):
        values = {}
    missing = [name for name in template[1] if not isinstance(values.get(name), str)]
    if missing:
        return f"Missing personalisation: {', '.join(missing)}"
    if kind == "sms" and len(values["body"]) > 918:  # Notify's limit: 6 fragments
        return "Text messages cannot be longer than 918 characters"
    return None


def _error(status: int, message: str, kind: str | None = None) -> tuple[int, dict[str, Any]]:
    return status, {
        "status_code": status,
        "errors": [{"error": kind or ERRORS.get(status, "Exception"), "message": message}],
    }


def _iso(when: float | None) -> str | None:
    if when is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(when))


def _as_notification(received: Received) -> dict[str, Any]:
    """GET /v2/notifications/<id>, the fields the portal reads and a few more."""
    return {
        "id": received.id,
        "reference": received.reference,
        "type": received.type,
        "status": received.status,
        "email_address": received.to if received.type == "email" else None,
        "phone_number": received.to if received.type == "sms" else None,
        "template": {"id": received.template_id, "version": 1},
        "body": received.personalisation.get("body"),
        "subject": received.personalisation.get("subject"),
        "created_at": _iso(received.created_at),
        "sent_at": _iso(received.created_at),
        "completed_at": _iso(received.completed_at),
    }


def running() -> Iterator[NotifyStandIn]:
    """For a fixture: a started stand-in, stopped afterwards."""
    stand_in = NotifyStandIn().start()
    try:
        yield stand_in
    finally:
        stand_in.stop()
