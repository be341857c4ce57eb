"""Percent-encoded link tokens are redacted from request logs.

`/r/%62lMB…` is the same link as `/r/blMB…` (the server decodes the path before routing), so the
log must be redacted after decoding, however much of the token is encoded, even twice.
"""

from __future__ import annotations

import contextlib
import logging
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from portal.web.security import redact
from tests.security.gunicorn_server import gunicorn_serving


def encode_all(text: str) -> str:
    return "".join(f"%{byte:02X}" for byte in text.encode())


def encode_first(text: str) -> str:
    return encode_all(text[0]) + text[1:]


def encode_middle(text: str) -> str:
    middle = len(text) // 2
    return text[:middle] + encode_all(text[middle]).lower() + text[middle + 1 :]


def encode_twice(text: str) -> str:
    return encode_first(text).replace("%", "%25")


ENCODINGS: dict[str, Callable[[str], str]] = {
    "fully": encode_all,
    "first character": encode_first,
    "one in the middle, lower case": encode_middle,
    "twice": encode_twice,
}


def assert_no_part_of(secret: str, text: str) -> None:
    """Not the secret, and no run of 10 of its characters (a token partly in clear)."""
    windows = {secret[i : i + 10] for i in range(len(secret) - 9)}
    found = sorted(window for window in windows if window in text)
    assert found == [], f"token in the log: {text!r}"


TOKEN = "blMBx8Yk3QvZ0pR7sT2uW9aC4dE6fG1hJ5kL8mN0oPq"


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
@pytest.mark.parametrize("template", ["/r/{}", "/m/{}", "/q/{}", "/r/{}?x=1", "/auth/reset/{}"])
def test_redact_decodes_before_it_looks_for_a_secret(template, encode):
    line = f'127.0.0.1 - - "GET {template.format(encode(TOKEN))} HTTP/1.1" 404 -'
    redacted = redact(line)
    assert_no_part_of(TOKEN, redacted)
    assert "[redacted]" in redacted and redacted.endswith('HTTP/1.1" 404 -')


def test_an_encoded_prefix_is_decoded_too():
    assert_no_part_of(TOKEN, redact(f"GET /%72/{TOKEN} HTTP/1.1"))
    assert_no_part_of(TOKEN, redact(f"GET /r%2F{TOKEN} HTTP/1.1"))
    assert_no_part_of("ABCD2345", redact("GET /q?%63ode=ABCD2345 HTTP/1.1"))


def test_lines_without_a_secret_are_left_exactly_as_they_were():
    for line in ('"GET /static/app%20v2.css HTTP/1.1" 200', '"GET /r/page/2 HTTP/1.1" 302',
                 '"GET /admin/children?q=%0d%0aFAKE HTTP/1.1" 200'):  # fmt: skip
        assert redact(line) == line


def test_a_redacted_line_stays_one_line():
    redacted = redact(f'"GET /r/{encode_first(TOKEN)}%0D%0AFAKE%20LINE HTTP/1.1" 404')
    assert "\n" not in redacted and "\r" not in redacted and " LINE" not in redacted


@pytest.mark.parametrize("encode", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_the_real_http_server_redacts_an_encoded_real_token(live_server, world, caplog, encode):
    caplog.set_level(logging.INFO)
    link = world.links[0]
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(f"{live_server.url}/r/{encode(link.token)}", timeout=10).read()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert lines, "werkzeug logged the request line"
    assert_no_part_of(link.token, "\n".join(lines))


def test_an_encoded_real_token_is_served_as_the_link(app, world):
    """Why this matters: the server decodes the path, so the encoded link opens the form."""
    link = world.links[0]
    plain = app.test_client().get(f"/r/{link.token}")
    encoded = app.test_client().get(f"/r/{encode_first(link.token)}")
    assert plain.status_code == encoded.status_code == 302
    assert plain.location == encoded.location and plain.location.startswith("/r/")


def test_real_gunicorn_access_log_never_shows_an_encoded_real_token(tmp_path, database_url, world):
    token = world.links[0].token
    with gunicorn_serving(tmp_path, database_url) as get:
        for encode in ENCODINGS.values():
            get(f"/r/{encode(token)}")
    log = tmp_path / "access.log"
    text = log.read_text()
    assert text.count("[redacted]") >= len(ENCODINGS), text
    assert_no_part_of(token, text)
