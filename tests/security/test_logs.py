"""No link token, short code, email address or name ever reaches a log line."""

from __future__ import annotations

import contextlib
import logging
import urllib.error
import urllib.request

import pytest

from portal.extensions import db
from portal.models import Child, Invitation
from tests.security.routes import routes


def _secrets(app, world) -> list[str]:
    with app.app_context():
        names = [child.first_name for child in db.session.scalars(db.select(Child))]
        recipients = [
            value
            for invitation in db.session.scalars(db.select(Invitation))
            for value in (invitation.recipient_name, invitation.recipient_email)
        ]
    links = [value for link in world.links for value in (link.token, link.code)]
    return [*names, *recipients, *links, world.meeting_token, *world.emails.values()]


def _assert_clean(records: list[logging.LogRecord], secrets: list[str]) -> None:
    text = "\n".join(record.getMessage() for record in records)
    leaked = sorted({secret for secret in secrets if secret and secret in text})
    assert leaked == [], f"personal data or tokens in logs: {leaked}"


def test_walking_every_page_as_every_role_logs_no_tokens_or_personal_data(
    app, world, client_as, caplog
):
    caplog.set_level(logging.DEBUG)
    for who in (None, "admin", "iro", "other_iro", "manager"):
        client = client_as(who)
        for route in routes(app, world):
            for method in ("GET", "POST"):
                client.open(route.url, method=method)
        for link in world.links[:3]:
            client.get(f"/r/{link.token}")
            client.get(f"/q?code={link.code}")
            client.post("/q", data={"code": link.code})
            client.get(f"/m/{world.meeting_token}")
    failed = app.test_client()
    failed.post("/auth/sign-in", data={"email": world.emails["iro"], "password": "wrong"})
    assert caplog.records, "the walk logged something (sign-ins, errors)"
    _assert_clean(caplog.records, _secrets(app, world))


@pytest.mark.parametrize("path", ["/r/{token}", "/q?code={code}", "/m/{meeting}", "/r/{token}/1"])
def test_the_real_http_server_redacts_link_tokens_from_request_logs(
    live_server, world, caplog, path
):
    caplog.set_level(logging.INFO)
    link = world.links[0]
    url = live_server.url + path.format(
        token=link.token, code=link.code, meeting=world.meeting_token
    )
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(url, timeout=10).read()
    request_lines = [r for r in caplog.records if r.name == "werkzeug"]
    assert request_lines, "werkzeug logged the request line"
    _assert_clean(request_lines, [link.token, link.code, world.meeting_token])
