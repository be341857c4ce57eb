"""Signed cookies and CSRF tokens without redoing the same signing work on every request (issue 8).

Flask builds a new session serializer (salt, key derivation, JSON tagger) twice a request, and
Flask-WTF signs the session's CSRF token afresh for each page: together a tenth of a respondent
page's CPU. Both results depend only on the secret key (and the raw token), so they are kept:

- the session serializer, once per secret key;
- the signed CSRF token, once per (secret key, raw token). With `WTF_CSRF_TIME_LIMIT = None` the
  timestamp inside it is never checked, so the token signed the first time stays valid.

A posted token that is exactly the one kept for this session is accepted without verifying its
signature again (`KnownTokenCSRFProtect`); any other token goes through Flask-WTF's own checks,
so nothing is accepted that Flask-WTF would refuse.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, generate_csrf

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


def _token_key() -> tuple[Any, Any]:
    """What a signed token is kept by: the CSRF secret and this session's raw token."""
    secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    return secret, session.get(CSRF_FIELD)


def _kept_token() -> str | None:
    key = _token_key()
    return _signed_tokens.get(key) if isinstance(key[1], str) else None


def page_csrf_token() -> str:
    """The signed CSRF token for this session's forms (the `csrf_token()` of every template)."""
    signed = _kept_token()
    if signed is None:
        signed = generate_csrf()  # creates the session's raw token if it had none
        if current_app.config.get("WTF_CSRF_TIME_LIMIT") is None:  # else it must be re-stamped
            if len(_signed_tokens) >= MAX_SIGNED_TOKENS:
                _signed_tokens.clear()
            _signed_tokens[_token_key()] = signed
    setattr(g, CSRF_FIELD, signed)  # where generate_csrf() leaves it, for anything else asking
    return signed


class KnownTokenCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, accepting the token kept for this session without re-signing.

    Only a form post whose token equals the kept one takes the short way; where Flask-WTF would
    also check the Referer (HTTPS with WTF_CSRF_SSL_STRICT), or for any other token, its own
    `protect` decides.
    """

    def protect(self, apply_exemptions: bool = False) -> None:
        if self._posted_kept_token():
            g.csrf_valid = True
            return
        super().protect(apply_exemptions=apply_exemptions)

    @staticmethod
    def _posted_kept_token() -> bool:
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return False
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            return False
        posted = request.form.get(config["WTF_CSRF_FIELD_NAME"])
        kept = _kept_token()
        return bool(posted and kept) and hmac.compare_digest(str(posted), str(kept))


def init_app(app: Flask) -> None:
    """Install the cached session serializer and the cached CSRF token for templates."""
    app.session_interface = CachedSerializerSessionInterface()
    # Flask-WTF offers csrf_token() both as a global and from a context processor; replace both
    # (a later context processor wins).
    app.jinja_env.globals["csrf_token"] = page_csrf_token
    app.context_processor(lambda: {"csrf_token": page_csrf_token})
