"""The kept CSRF tokens (portal.web.signing) accept nothing Flask-WTF itself would refuse."""

from __future__ import annotations

import pytest

from portal.web import signing
from tests.respond_support import csrf_from, make_invitation

REFUSED = "Your page timed out"


@pytest.fixture
def respondent(app):
    def start():
        link = make_invitation(app, role="carer")
        client = app.test_client()
        page = client.get(link.url, follow_redirects=True)
        return client, csrf_from(page.get_data(as_text=True))

    return start


def _post(client, token):
    return client.post("/r/start", data={"csrf_token": token, "helped_by": ""})


def test_the_kept_token_is_accepted(respondent):
    client, token = respondent()
    assert _post(client, token).status_code == 302


def test_a_token_signed_before_this_worker_started_is_still_accepted(respondent):
    client, token = respondent()
    signing._signed_tokens.clear()  # another worker, or a restart: nothing kept
    assert _post(client, token).status_code == 302


def test_another_sessions_token_is_refused(respondent):
    mine, _my_token = respondent()
    _theirs, their_token = respondent()
    reply = _post(mine, their_token)
    assert reply.status_code == 400 and REFUSED in reply.get_data(as_text=True)


@pytest.mark.parametrize("token", ["", "forged", "x" * 5000])
def test_a_forged_token_is_refused(respondent, token):
    client, _token = respondent()
    reply = _post(client, token)
    assert reply.status_code == 400 and REFUSED in reply.get_data(as_text=True)
