"""Signed session cookies without rebuilding Flask's serializer on every request.

Flask builds a new session serializer (salt, key derivation, JSON tagger) twice a request. It
depends only on the secret key, so it is built once per key through `get_signing_serializer`, the
method Flask's session interface offers for this. CSRF tokens are Flask-WTF's own, unchanged:
`csrf_token()` in templates is its `generate_csrf` and `CSRFProtect` checks every post
(docs/adr/0051).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


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


def init_app(app: Flask) -> None:
    """Install the cached session serializer."""
    app.session_interface = CachedSerializerSessionInterface()
