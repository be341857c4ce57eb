"""Encryption at rest for the staff's TOTP secrets, with cryptography's Fernet.

The key comes from the `TOTP_ENCRYPTION_KEY` setting: one Fernet key, or several separated by
commas while rotating (the first encrypts, any of them decrypts). When it is unset, the key is
derived from `SECRET_KEY` with HKDF, so a stolen database alone never yields a working secret.
Changing the key without keeping the old one in the list makes every stored secret unreadable:
those staff then need an admin to reset their second factor.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

log = logging.getLogger(__name__)
_HKDF_INFO = b"review-voice-portal totp secrets v1"
FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so; base32 secrets never contain lower case


def derive_key(secret_key: str) -> bytes:
    """A Fernet key (urlsafe base64 of 32 bytes) derived from SECRET_KEY."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


def box_for(config: Mapping[str, Any]) -> MultiFernet:
    """The Fernet keys a configuration describes (TOTP_ENCRYPTION_KEY, else from SECRET_KEY)."""
    listed = [k.strip() for k in str(config.get("TOTP_ENCRYPTION_KEY") or "").split(",")]
    keys = [k.encode("ascii") for k in listed if k] or [derive_key(config["SECRET_KEY"])]
    return MultiFernet([Fernet(key) for key in keys])


def _box() -> MultiFernet:
    return box_for(current_app.config)


def encrypt(secret: str) -> str:
    """The Fernet token stored in place of `secret`."""
    return _box().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str | None:
    """The secret behind a stored token, or None when no configured key opens it."""
    try:
        return _box().decrypt(stored.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        log.warning("a stored TOTP secret cannot be decrypted with the configured key")
        return None
