"""Link tokens: >=128 bits, only hashes in the database, rate limits on /r/ and /q (memory and
Redis storage), expired and revoked links refused, answered links cannot change a response, and
one invitation's session cannot reach another invitation's pages."""

from __future__ import annotations

import datetime as dt
import math
import secrets

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.crypto.tokens import hash_token, new_short_code, new_token
from portal.extensions import db
from portal.models import Draft, Invitation, Response
from portal.rules.invitations import issue_link
from tests.conftest import _config, csrf_token
from tests.security.forms import page_forms

MARKER = "private-answer-of-link-a"


def _has_respondent_routes(app) -> bool:
    return any(rule.rule.startswith("/r/") for rule in app.url_map.iter_rules())


@pytest.fixture
def respond(app):
    if not _has_respondent_routes(app):
        pytest.skip("the respondent journey (/r/<token>) is not built yet")


def _answer_first_page(client, token: str, text: str = MARKER):
    """Open a link, answer its first page (text fields get `text`); the page URLs seen."""
    page = client.get(f"/r/{token}", follow_redirects=True)
    url = page.request.path
    forms = [f for f in page_forms(page.get_data(as_text=True), url) if f.method == "POST"]
    if not forms:
        return url, None
    form = forms[-1]
    data = {}
    for name, offered in form.fields.items():
        data[name] = (
            form.csrf_token
            if name == "csrf_token"
            else next((value for value in offered if value), text)
        )
    for name in data:
        if name != "csrf_token" and (not form.fields[name] or form.fields[name] == [""]):
            data[name] = text
    response = client.post(form.action, data=data)
    return url, (form.action, data, response)


def test_tokens_carry_at_least_128_bits_and_short_codes_are_unguessable_over_a_letter():
    token = new_token()
    assert len(token) * 6 >= 128 and len({new_token() for _ in range(1000)}) == 1000
    code = new_short_code()
    assert len(code) * math.log2(23) >= 36  # with rate limits, not for use alone


def test_the_database_holds_only_hashes_of_every_link_token(app, world):
    raw = [value for link in world.links for value in (link.token, link.code)]
    raw.append(world.meeting_token)
    with app.app_context():
        dumped = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)).all():
                dumped.append(" ".join(str(value) for value in row))
        text = "\n".join(dumped)
    assert [token for token in raw if token in text] == []
    assert hash_token(world.links[0].token) in text


def _type_code(app, code: str) -> int:
    """POST a short code at /q as a fresh browser; the answer's status."""
    client = app.test_client()
    token = csrf_token(client, "/q")
    return client.post("/q", data={"csrf_token": token, "code": code}).status_code


def _new_code_for(app, invitation_id: int) -> tuple[str, str | None]:
    """Issue a fresh link (the real path) and return its short code and stored hash."""
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        code = issue_link(invitation).short_code
        db.session.commit()
        return code, invitation.short_code_hash


def test_new_short_codes_are_stored_under_a_keyed_hash(app, world, database_url, tmp_path):
    code, stored = _new_code_for(app, world.links[2].invitation_id)
    assert stored and stored != hash_token(code)
    assert _type_code(app, code) == 302
    # The same database under another key: the code no longer opens anything.
    other = create_app(_config(database_url, tmp_path, SHORT_CODE_KEY="a-different-key"))
    try:
        assert _type_code(other, code) == 400
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_short_code_key_is_never_stored_in_the_database(app_config, request):
    app_config["SHORT_CODE_KEY"] = key = f"short-code-key-{secrets.token_hex(8)}"
    app, world = request.getfixturevalue("app"), request.getfixturevalue("world")
    _new_code_for(app, world.links[2].invitation_id)
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)).all():
                assert key not in " ".join(str(value) for value in row), table.name


def test_a_legacy_unkeyed_short_code_still_opens_until_it_expires(app, world):
    legacy = world.links[2]
    with app.app_context():  # stored as a code issued before codes were keyed: sha256(code)
        db.session.get(Invitation, legacy.invitation_id).short_code_hash = hash_token(legacy.code)
        db.session.commit()
    assert _type_code(app, legacy.code) == 302
    with app.app_context():
        invitation = db.session.get(Invitation, legacy.invitation_id)
        invitation.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.session.commit()
    assert _type_code(app, legacy.code) == 410


@pytest.fixture(params=["memory://", "redis://127.0.0.1:6379"])
def limiter_storage(request, app_config):
    """Rate-limit storage for the app about to be built (a unique Redis key prefix per test)."""
    app_config["RATELIMIT_STORAGE_URI"] = request.param
    app_config["RATELIMIT_KEY_PREFIX"] = f"test-{secrets.token_hex(4)}"
    return request.param


def test_guessing_links_at_r_and_q_is_rate_limited(limiter_storage, respond, app):
    client = app.test_client()
    guesses = [client.get(f"/r/{new_token()}").status_code for _ in range(100)]
    assert 429 in guesses and all(status < 500 for status in guesses), "/r/"
    token = csrf_token(client, "/q")
    codes = [
        client.post("/q", data={"csrf_token": token, "code": new_short_code()}).status_code
        for _ in range(100)
    ]
    assert 429 in codes and all(status < 500 for status in codes), "/q"


def test_expired_and_revoked_links_are_refused(app, world, respond):
    expired, revoked = world.links[2], world.links[3]
    with app.app_context():
        db.session.get(Invitation, expired.invitation_id).expires_at = dt.datetime.now(
            dt.UTC
        ) - dt.timedelta(days=1)
        db.session.get(Invitation, revoked.invitation_id).revoked_at = dt.datetime.now(dt.UTC)
        db.session.commit()
    for link in (expired, revoked):
        client = app.test_client()
        page = client.get(f"/r/{link.token}", follow_redirects=True)
        forms = page_forms(page.get_data(as_text=True), page.request.path)
        questions = [f for f in forms if f.method == "POST" and set(f.fields) - {"csrf_token"}]
        assert page.status_code >= 400 or not questions, link.form_key
    with app.app_context():
        assert (
            db.session.query(Draft)
            .filter(Draft.invitation_id.in_([expired.invitation_id, revoked.invitation_id]))
            .count()
            == 0
        )


def test_an_answered_link_cannot_change_its_response(app, world, respond):
    link = world.answered
    with app.app_context():
        before = db.session.scalars(sa.select(Response)).one().answers
    client = app.test_client()
    _answer_first_page(client, link.token, text="changed afterwards")
    with app.app_context():
        responses = db.session.scalars(sa.select(Response)).all()
        assert len(responses) == 1 and responses[0].answers == before


def test_one_links_session_cannot_read_or_change_another_links_pages(app, world, respond):
    link_a, link_b = world.link_for("iro"), world.link_for("other_iro")
    owner = app.test_client()
    page_a, posted = _answer_first_page(owner, link_a.token)
    intruder = app.test_client()
    intruder.get(f"/r/{link_b.token}", follow_redirects=True)
    seen = intruder.get(page_a, follow_redirects=True)
    assert MARKER not in seen.get_data(as_text=True)
    if posted:
        action, data, _ = posted
        intruder.post(action, data={**data, "csrf_token": ""})
    with app.app_context():
        draft = db.session.scalars(
            sa.select(Draft).where(Draft.invitation_id == link_b.invitation_id)
        ).first()
        assert draft is None or MARKER not in str(draft.answers)
