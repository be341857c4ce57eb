"""CSRF tokens are Flask-WTF's own, used through its public interface: every page's token is
`generate_csrf()` and every post is checked by `CSRFProtect`, nothing accepted that it refuses."""

from __future__ import annotations

import pytest
from flask_wtf.csrf import CSRFProtect, generate_csrf

from portal.extensions import csrf
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


def test_templates_and_posts_use_flask_wtf_as_shipped(app):
    assert type(csrf) is CSRFProtect
    assert app.jinja_env.globals["csrf_token"] is generate_csrf
    with app.test_request_context():
        assert app.jinja_env.from_string("{{ csrf_token() }}").render() == generate_csrf()


def test_a_token_from_an_earlier_page_is_still_accepted(respondent):
    client, token = respondent()
    client.get("/r/start")  # another page in between, its token signed afresh
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
