"""Signed cookies and CSRF tokens without redoing the same signing work on every request (issue 8).

Flask builds a new session serializer (salt, key derivation, JSON tagger) twice a request, and
Flask-WTF signs the session's CSRF token afresh for each page: together a tenth of a respondent
page's CPU. Both results depend only on the secret key (and the raw token), so they are kept:

- the session serializer, once per secret key;
- the signed CSRF token, once per (secret key, raw token). With `WTF_CSRF_TIME_LIMIT = None` the
  timestamp inside it is never checked, so the token signed the first time stays valid. Checking
  a posted token is still Flask-WTF's own `validate_csrf`, unchanged.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf

CSRF_FIELD = "csrf_token"
MAX_SIGNED_TOKENS = 10_000  # one per live session in this worker; cleared (not grown) beyond


class CachedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the serializer built once per secret key."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], Any] = {}

    def get_signing_serializer(self, app: Flask) -> Any:
        key = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is not None:
                self._serializers[key] = serializer
        return serializer


_signed_tokens: dict[tuple[Any, str], str] = {}


def page_csrf_token() -> str:
    """The signed CSRF token for this session's forms (the `csrf_token()` of every template)."""
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    raw = session.get(CSRF_FIELD)
    signed = _signed_tokens.get((secret, raw)) if isinstance(raw, str) else None
    if signed is None:
        signed = generate_csrf()
        if current_app.config.get("WTF_CSRF_TIME_LIMIT") is None:  # else it must be re-stamped
            if len(_signed_tokens) >= MAX_SIGNED_TOKENS:
                _signed_tokens.clear()
            _signed_tokens[(secret, session[CSRF_FIELD])] = signed
    setattr(g, CSRF_FIELD, signed)  # where generate_csrf() leaves it, for anything else asking
    return signed


def init_app(app: Flask) -> None:
    """Install the cached session serializer and the cached CSRF token for templates."""
    app.session_interface = CachedSerializerSessionInterface()
    # Flask-WTF offers csrf_token() both as a global and from a context processor; replace both
    # (a later context processor wins).
    app.jinja_env.globals["csrf_token"] = page_csrf_token
    app.context_processor(lambda: {"csrf_token": page_csrf_token})
