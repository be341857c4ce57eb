"""Secure headers on every response, and logs that never carry link tokens.

The Content-Security-Policy allows nothing inline and nothing from another origin: every script,
style sheet, picture and sound is a static file served by the portal itself.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, unquote

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Tokens live in URLs: never leak them to another site through the Referer header.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# Anything after these prefixes is a secret (a link token, a short code, a reset token).
# Link tokens are 43 characters; the journey's own pages (/r/page/2, /r/check) stay readable.
_SECRET_PATH = re.compile(r"(/(?:r|m)/)[A-Za-z0-9_-]{16,}|(/(?:q|reset|auth/reset)/)[^\s/?\"]+")
_SECRET_QUERY = re.compile(r"([?&](?:code|token)=)[^\s&\"]+")
# A run of non-space text holding a percent escape: /r/%62lMB… is the same link as /r/blMB…
_ENCODED_RUN = re.compile(r"[^\s\"]*%[0-9A-Fa-f]{2}[^\s\"]*")
_DECODE_ROUNDS = 4  # enough for %2562 (encoded twice) and more
# Printable ASCII that may stay as it is when a decoded, redacted run is encoded again.
_KEEP = "/?&=[]:@!$'()*+,;-._~"


def _redact_plain(text: str) -> str:
    text = _SECRET_PATH.sub(lambda m: f"{m.group(1) or m.group(2)}[redacted]", text)
    return _SECRET_QUERY.sub(r"\1[redacted]", text)


def _redact_encoded(match: re.Match[str]) -> str:
    """A percent-encoded run, redacted after decoding; left exactly as it was if nothing is
    secret. A redacted run is encoded again, so a decoded line break cannot split the line."""
    raw = decoded = match.group(0)
    for _round in range(_DECODE_ROUNDS):
        decoded, previous = unquote(decoded), decoded
        if decoded == previous:
            break
    redacted = _redact_plain(decoded)
    return raw if redacted == decoded else quote(redacted, safe=_KEEP)


# Every secret above sits after one of these (or behind a percent escape): a line without any of
# them is returned untouched without running the patterns.
_MAY_HOLD_SECRET = re.compile(r"/[rmq]|reset|code=|token=|%")


def redact(text: str) -> str:
    """Replace link tokens and codes in a URL or log line with a marker, also when they are
    percent-encoded (the server decodes a path before routing it)."""
    if not _MAY_HOLD_SECRET.search(text):
        return text
    if "%" in text:  # decode first: part of a token may be in clear beside an escape
        text = _ENCODED_RUN.sub(_redact_encoded, text)
    return _redact_plain(text)


class _RedactedAtoms(Mapping[str, Any]):
    """gunicorn's access-log atoms, each redacted when the log line reads it.

    gunicorn passes every request header and environ entry as an atom; a line prints a handful,
    so only those are redacted, not all of them.
    """

    def __init__(self, atoms: Mapping[str, Any]) -> None:
        self._atoms = atoms

    def __getitem__(self, key: str) -> Any:
        value = self._atoms[key]
        return redact(value) if isinstance(value, str) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._atoms)

    def __len__(self) -> int:
        return len(self._atoms)


@functools.lru_cache(maxsize=16)
def _redact_format(access_log_format: str) -> str:
    """`redact` for a log format: a handful of configured strings, each redacted once."""
    return redact(access_log_format)


class RedactSecretsFilter(logging.Filter):
    """A logging filter that strips tokens from request lines (werkzeug, gunicorn access logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            # gunicorn's access log passes its atoms as one mapping (LogRecord unwraps it), with
            # its configured format as the message: the same string every time.
            if not isinstance(record.args, _RedactedAtoms):
                record.args = _RedactedAtoms(record.args)
            if isinstance(record.msg, str):
                record.msg = _redact_format(record.msg)
            return True
        if record.args:
            record.args = tuple(
                redact(arg) if isinstance(arg, str) else arg
                for arg in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_log_redaction() -> None:
    """Attach the redacting filter to the loggers that print request paths."""
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretsFilter) for f in logger.filters):
            logger.addFilter(RedactSecretsFilter())


def init_app(app: Flask) -> None:
    """Add security headers to every response and redact secrets from request logs."""
    install_log_redaction()
    hsts = app.config.get("SESSION_COOKIE_SECURE")

    always = dict(SECURITY_HEADERS)
    if hsts:
        always["Strict-Transport-Security"] = "max-age=31536000"
    # Pages behind a token or a sign-in must never be stored by a shared phone's browser.
    dynamic = {**always, "Cache-Control": "no-store"}

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # Like headers.setdefault for each, but one pass over the response's headers instead of
        # one per header: every response, static files included, passes through here.
        present = {key.lower() for key, _value in response.headers.items()}
        wanted = always if request.path.startswith("/static/") else dynamic
        for header, value in wanted.items():
            if header.lower() not in present:
                response.headers.add(header, value)
        return response
