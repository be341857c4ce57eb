"""The access log's lean logger prints exactly what gunicorn's own Logger would."""

from __future__ import annotations

import datetime as dt

import pytest
from gunicorn import glogging
from gunicorn.config import Config

from portal.web.access_log import AccessLogger, fields_named

PORTAL_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
EVERY_SIMPLE_FIELD = " ".join(f"%({name})s" for name in "hlrsmUqHbBfaTDMLp")


class _Response:
    status = "404 NOT FOUND"
    sent = 5491
    headers = [("Content-Type", "text/html; charset=utf-8"), ("X-Frame-Options", "DENY")]


class _Request:
    headers = [("HOST", "127.0.0.1:8000"), ("USER-AGENT", "Mozilla/5.0")]


ENVIRON = {
    "REQUEST_METHOD": "GET", "RAW_URI": "/r/page/2?return=check", "PATH_INFO": "/r/page/2",
    "QUERY_STRING": "return=check", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.7",
    "HTTP_USER_AGENT": "Mozilla/5.0", "HTTP_REFERER": "https://example.org/",
}  # fmt: skip
TOOK = dt.timedelta(seconds=2, microseconds=34567)


def _atoms(logger_class: type[glogging.Logger], access_log_format: str) -> dict[str, object]:
    cfg = Config()
    cfg.set("access_log_format", access_log_format)
    return logger_class(cfg).atoms(_Response(), _Request(), ENVIRON, TOOK)


@pytest.mark.parametrize("access_log_format", [PORTAL_FORMAT, EVERY_SIMPLE_FIELD])
def test_each_field_a_format_prints_is_what_gunicorn_would_print(access_log_format):
    lean = _atoms(AccessLogger, access_log_format)
    full = _atoms(glogging.Logger, access_log_format)
    assert set(lean) == set(fields_named(access_log_format) or ())
    for name, value in lean.items():
        if name != "t":  # the time, to the second: the two calls may straddle one
            assert value == full[name], name
    if "t" in lean:
        assert str(lean["t"]).startswith("[") and str(lean["t"]).endswith("]")


def test_only_the_printed_fields_are_built():
    assert set(_atoms(AccessLogger, PORTAL_FORMAT)) == {"h", "t", "r", "s", "b", "M"}


def test_a_format_naming_a_header_or_the_user_gets_every_gunicorn_field():
    for access_log_format in ('%(h)s "%({user-agent}i)s"', "%(u)s %(r)s"):
        lean = _atoms(AccessLogger, access_log_format)
        assert lean == {**_atoms(glogging.Logger, access_log_format), "t": lean["t"]}
        assert lean["{user-agent}i"] == "Mozilla/5.0"


def test_a_reloaded_format_is_followed():
    cfg = Config()
    cfg.set("access_log_format", PORTAL_FORMAT)
    logger = AccessLogger(cfg)
    assert "{user-agent}i" not in logger.atoms(_Response(), _Request(), ENVIRON, TOOK)
    cfg.set("access_log_format", "%({user-agent}i)s")
    assert logger.atoms(_Response(), _Request(), ENVIRON, TOOK)["{user-agent}i"] == "Mozilla/5.0"
