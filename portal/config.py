"""Settings from environment variables, with safe defaults.

`PORTAL_ENV` is `production` unless told otherwise, so a forgotten setting fails closed:
production refuses to start without `SECRET_KEY` and sends cookies only over HTTPS.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

# Respondent languages. Right-to-left is read from Babel's locale data, never listed by hand.
LANGUAGES = (
    "en", "cy", "ar", "ps", "fa", "fa_AF", "ckb", "ku", "ti", "am", "vi", "sq", "so", "pl", "om",
    "en_ER",  # Easy-read English, a catalogue of its own (docs/adr/0021)
)  # fmt: skip

ENVIRONMENTS = ("production", "development", "testing")


class ConfigError(RuntimeError):
    """The environment does not describe a safe, runnable configuration."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret(instance_dir: Path) -> str:
    """A per-checkout secret so development sessions survive restarts; never used in production."""
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _totp_encryption_key(value: str) -> str:
    """TOTP_ENCRYPTION_KEY: empty (derived from SECRET_KEY) or comma-separated Fernet keys."""
    for key in filter(None, (k.strip() for k in value.split(","))):
        try:
            valid = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
        except (binascii.Error, UnicodeError):
            valid = False
        if not valid:
            raise ConfigError(
                "TOTP_ENCRYPTION_KEY must be a Fernet key (32 bytes, urlsafe base64), or several "
                "separated by commas"
            )
    return value.strip()


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CALLBACK_TOKEN_MIN = 20


def _notify_settings(env: Mapping[str, str]) -> dict[str, str]:
    """GOV.UK Notify (ADR 0068): with an API key, texts (and, with an email template, email) go
    through Notify; one template per channel carries our wording in ((subject))/((body)).

    A mistyped key or template id is refused at start-up: the official client would otherwise
    slice a wrong key into a wrong service id and every send would fail later with a 403."""
    values = {
        name: env.get(name, "").strip()
        for name in ("NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID",
                     "NOTIFY_CALLBACK_TOKEN")
    }  # fmt: skip
    key = values["NOTIFY_API_KEY"]
    if key and not re.search(rf"-{_UUID}-{_UUID}$", key):
        raise ConfigError(
            "NOTIFY_API_KEY is not a GOV.UK Notify API key (name-serviceid-secret): copy it "
            "whole from Notify's API keys page"
        )
    for name in ("NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID"):
        if values[name] and not re.fullmatch(_UUID, values[name]):
            raise ConfigError(f"{name} must be a template ID from Notify, like {'0' * 8}-…")
    token = values["NOTIFY_CALLBACK_TOKEN"]
    if token and len(token) < CALLBACK_TOKEN_MIN:
        raise ConfigError(
            f"NOTIFY_CALLBACK_TOKEN must be at least {CALLBACK_TOKEN_MIN} characters (random)"
        )
    # The bearer token Notify sends with delivery receipts to /notify/callback.
    return {
        **values,
        "NOTIFY_BASE_URL": env.get("NOTIFY_BASE_URL", "").strip()
        or "https://api.notifications.service.gov.uk",
    }


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config from environment variables (or any mapping, for tests)."""
    env = os.environ if env is None else env
    environment = env.get("PORTAL_ENV", "production").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}")
    production = environment == "production"
    instance_dir = Path(env.get("PORTAL_INSTANCE_DIR") or INSTANCE_DIR)

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. Set it to a long random value before running in production."
            )
        secret_key = (
            secrets.token_urlsafe(32)
            if environment == "testing"
            else _development_secret(instance_dir)
        )

    return {
        "PORTAL_ENV": environment,
        "TESTING": environment == "testing",
        "SECRET_KEY": secret_key,
        # Encrypts TOTP secrets at rest (portal.crypto.secret_box); derived from SECRET_KEY if unset
        "TOTP_ENCRYPTION_KEY": _totp_encryption_key(env.get("TOTP_ENCRYPTION_KEY", "")),
        "INSTANCE_DIR": str(instance_dir),
        # HMAC key for short codes (docs/adr/0045); derived from SECRET_KEY when unset.
        "SHORT_CODE_KEY": env.get("SHORT_CODE_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL")
        or f"sqlite:///{instance_dir / 'portal.db'}",
        # A pooled connection the server closed (restart, idle timeout) is replaced, not used.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PORTAL_BASE_URL": env.get("PORTAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_URL": env.get("MAIL_URL", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "Review voice portal <no-reply@localhost>"),
        "SAFEGUARDING_EMAIL": env.get("SAFEGUARDING_EMAIL", "duty@localhost"),
        "OUTBOX_DIR": env.get("OUTBOX_DIR") or str(instance_dir / "outbox"),
        **_notify_settings(env),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # A rate-limit store outage must not lock anyone out. Limits fall back to each
        # process's memory (with Flask-Limiter's warning) and any other store error is logged and
        # swallowed, so a page never fails because Redis did (docs/adr/0045).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        # argon2-cffi's recommended parameters (None) everywhere but the test suite, whose
        # hashes test the flow, not the cost of guessing (argon2 verifies by the stored hash's own).
        "PASSWORD_HASH_PARAMETERS": (
            {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
            if environment == "testing"
            else None
        ),
        "WTF_CSRF_TIME_LIMIT": None,  # a form left open for hours must still submit
        # Flask-WTF's HTTPS check wants a Referer, but Referrer-Policy: no-referrer (portal.web.security,
        # so link tokens never leak) means browsers send none: every form behind TLS would fail.
        # The session-bound token, SameSite=Lax, Secure cookies and HSTS still stand.
        "WTF_CSRF_SSL_STRICT": False,
        "SESSION_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag(env.get("SESSION_COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": int(env.get("STAFF_SESSION_MINUTES", "30")) * 60,
        # However busy, a staff session ends after this: a stolen cookie kept in use dies too.
        "STAFF_SESSION_MAX_HOURS": int(env.get("STAFF_SESSION_MAX_HOURS", "12")),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(256 * 1024))),
        "PROXY_FIX_HOPS": int(env.get("PROXY_FIX_HOPS", "0")),
        "RETENTION_DAYS": int(env.get("RETENTION_DAYS", str(2 * 365))),
        "DRAFT_RETENTION_DAYS": int(env.get("DRAFT_RETENTION_DAYS", "90")),
        # Outbox .eml files hold live links: kept two weeks, not the two years of RETENTION_DAYS.
        "OUTBOX_RETENTION_DAYS": int(env.get("OUTBOX_RETENTION_DAYS", "14")),
        # Consultation reminders, working days before the review (at most two)
        "REMINDER_WORKING_DAYS": tuple(
            int(d)
            for d in env.get("REMINDER_WORKING_DAYS", "5,2").split(",")
            if d.strip().isdigit()
        ),
    }
