"""Password hashing with argon2 (argon2-cffi's recommended parameters), and what a new password
must be: long enough and hard to guess (zxcvbn)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^10 guesses)
ZXCVBN_MAX_LENGTH = 72


@cache
def _hasher_with(parameters: tuple[tuple[str, int], ...]) -> PasswordHasher:
    return PasswordHasher(**dict(parameters))


def _hasher() -> PasswordHasher:
    """argon2-cffi's recommended parameters unless the app's config overrides them (tests only)."""
    overrides = current_app.config.get("PASSWORD_HASH_PARAMETERS") if has_app_context() else None
    return _hasher_with(tuple(sorted((overrides or {}).items())))


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verified against when the email is unknown, so a wrong email costs as long as a wrong
    password (made with the same parameters as a real hash)."""
    return hasher.hash("not-a-real-password-used-for-timing")


_dummy_hash(_hasher_with(()))  # made at import, so no first sign-in takes longer than the rest


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True if `password` matches; always does the full argon2 work."""
    hasher = _hasher()
    try:
        return hasher.verify(stored_hash or _dummy_hash(hasher), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why a new password is not acceptable, or None (guessable ones too).

    zxcvbn estimates how many guesses a password needs, knowing common passwords, words,
    keyboard patterns, repeats and dates; `user_inputs` (email, name) count as easy to guess.
    """
    if len(password) < MIN_LENGTH:
        return _("Enter a password of at least %(count)d characters", count=MIN_LENGTH)
    # zxcvbn refuses longer input (and slows down on it); the first 72 characters decide.
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= MIN_SCORE:
        return None
    reason = result["feedback"]["warning"] or _(
        "It would be easy to guess, for example because it contains your name or email address."
    )
    return _(
        "Choose a password that is harder to guess. %(reason)s Three or four random words "
        "make a strong password.",
        reason=reason,
    )
