"""POST /notify/callback: GOV.UK Notify's delivery receipts (ADR 0068).

Notify sends JSON with `Authorization: Bearer <the token set in Notify>`; we compare it with
NOTIFY_CALLBACK_TOKEN in constant time. No CSRF token (Notify is not a browser and carries
none: the bearer token is the proof), no session, and a 401 for a wrong, missing or
unconfigured token. Duplicates and reordering are harmless (portal.rules.receipts).
"""

from __future__ import annotations

import hmac
import logging
import uuid

from flask import Blueprint, current_app, request
from werkzeug.wrappers import Response

from portal.delivery.notify import parse_time
from portal.extensions import csrf, db
from portal.rules import receipts

bp = Blueprint("notify", __name__)
log = logging.getLogger(__name__)


def _authorised() -> bool:
    expected = current_app.config.get("NOTIFY_CALLBACK_TOKEN") or ""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@bp.post("/notify/callback")
@csrf.exempt
def callback() -> tuple[dict[str, str], int] | Response:
    if not _authorised():
        return {"error": "a valid bearer token is required"}, 401
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return {"error": "the body must be a JSON object"}, 400
    notify_id, status = data.get("id"), data.get("status")
    if not isinstance(status, str) or not _is_uuid(notify_id):
        return {"error": "id (a UUID) and status are required"}, 400
    at = parse_time(data.get("completed_at")) or parse_time(data.get("sent_at"))
    outcome = receipts.record(str(notify_id), status, at)
    db.session.commit()
    return {"result": outcome.value}, 200


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)
