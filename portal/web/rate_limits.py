"""Rate limits sit on the routes that need them, each one an `@limiter.limit` beside its view.

Flask-Limiter is initialised as shipped: its before_request hook (for default, application and
blueprint-wide limits, none of which the portal sets) stays, and each decorated limit checks
itself when its view runs (docs/adr/0051).

When the shared store (Redis) is unreachable, limits fall back to each process's memory
(`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`, docs/adr/0045) and Flask-Limiter itself checks, now and
then, whether the store answers again. Short socket timeouts keep a store that stopped answering
from holding every request for the operating system's TCP timeout.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask import Flask, current_app

from portal.extensions import limiter

# Seconds: Redis answers in well under a millisecond, so a second means it is not answering.
REDIS_TIMEOUTS: dict[str, Any] = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}


class StoreState(StrEnum):
    """What /healthz says about the rate-limit store."""

    OK = "ok"  # the shared store answers
    DOWN = "down"  # the shared store does not answer: each process counts on its own
    MEMORY = "memory"  # configured to count in each process's memory (no shared store)


def init_app(app: Flask) -> None:
    """Initialise Flask-Limiter, with short timeouts for a Redis store."""
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("redis"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(REDIS_TIMEOUTS))
    limiter.init_app(app)


def _is_memory(uri: str) -> bool:
    return not uri or uri.startswith("memory://")


def store_state() -> StoreState:
    """Whether the configured rate-limit store answers now (one round trip)."""
    if _is_memory(current_app.config.get("RATELIMIT_STORAGE_URI", "")):
        return StoreState.MEMORY
    return StoreState.OK if limiter.storage.check() else StoreState.DOWN
