"""Link tokens and short codes: generate, hash, verify. Nothing else touches raw tokens.

A token carries 256 bits from `secrets`; the database keeps only its SHA-256, so a copy of the
database cannot be turned back into working links. Lookups are by hash (an indexed equality), so
timing reveals nothing about how close a guess was.
"""

from __future__ import annotations

import hashlib
import re
import secrets

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


def format_short_code(code: str) -> str:
    """Print a code as two groups of four (easier to read aloud and type)."""
    return f"{code[:4]}-{code[4:]}"
