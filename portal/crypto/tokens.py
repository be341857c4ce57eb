"""Link tokens and short codes: generate, hash, verify. Nothing else touches raw tokens.

A token carries 256 bits from `secrets`; the database keeps only its SHA-256, so a copy of the
database cannot be turned back into working links. Lookups are by hash (an indexed equality), so
timing reveals nothing about how close a guess was.

A short code has only about 36 bits, so an unkeyed hash of one can be reversed by trying every
code. Short codes are therefore hashed with HMAC-SHA256 under a key from configuration, which is
never in the database (docs/adr/0045). Codes issued before that were stored as plain SHA-256;
they are still looked up that way until they expire.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any

from flask import current_app

TOKEN_BYTES = 32
# Short codes printed on letters: no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V so they survive handwriting.
SHORT_CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
SHORT_CODE_LENGTH = 8
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def new_token() -> str:
    """A fresh URL-safe link token (256 bits of entropy)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(raw: str) -> str:
    """The SHA-256 hex digest stored in place of a token or short code."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def short_code_key(config: Mapping[str, Any]) -> bytes:
    """The HMAC key for short codes: SHORT_CODE_KEY, or else one derived from SECRET_KEY."""
    configured = config.get("SHORT_CODE_KEY") or ""
    if configured:
        return str(configured).encode("utf-8")
    # Derived, not SECRET_KEY itself: a key is used for one purpose only.
    secret = str(config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, b"portal short-code key v1", hashlib.sha256).digest()


def hash_short_code(code: str, key: bytes) -> str:
    """The HMAC-SHA256 hex digest stored in place of a short code."""
    return hmac.new(key, code.encode("utf-8"), hashlib.sha256).hexdigest()


def short_code_hashes(code: str) -> tuple[str, str]:
    """The keyed hash a code is stored under now, then the legacy unkeyed one (app context)."""
    return hash_short_code(code, short_code_key(current_app.config)), hash_token(code)


def looks_like_token(raw: str) -> bool:
    """True when `raw` has the shape of a token we issue (cheap rejection of junk)."""
    return bool(_TOKEN_SHAPE.match(raw))


def new_short_code() -> str:
    """An 8-character code from an unambiguous alphabet, for typing in at /q."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def normalise_short_code(typed: str) -> str | None:
    """Upper-case a typed code and drop spaces and dashes; None if it cannot be one of ours."""
    code = re.sub(r"[\s-]", "", typed).upper()
    if len(code) != SHORT_CODE_LENGTH or any(ch not in SHORT_CODE_ALPHABET for ch in code):
        return None
    return code


def characters_codes_never_use(typed: str) -> list[str]:
    """The characters of a typed code that no code contains (O for 0, 1 for I…), in order."""
    code = re.sub(r"[\s-]", "", typed).upper()
    return list(dict.fromkeys(ch for ch in code if ch not in SHORT_CODE_ALPHABET))


def format_short_code(code: str) -> str:
    """Print a code as two groups of four (easier to read aloud and type)."""
    return f"{code[:4]}-{code[4:]}"
