"""Rate limits sit on the routes that need them, each one an `@limiter.limit` beside its view.

Flask-Limiter also adds a before_request hook for default, application and blueprint-wide
limits. That hook resolves them on every request, static files included, and it was 8% of a
respondent page's CPU (issue 8). The portal sets none of those limits; a decorated limit checks
itself when its view runs. So the hook is dropped while there is nothing for it to do.
`tests/security/test_rate_limit_hook.py` fails if a blueprint-wide limit is ever added, because
such a limit would need the hook.

When the shared store (Redis) is unreachable, limits fall back to each process's memory
(`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`, docs/adr/0045). Short socket timeouts keep a store
that stopped answering from holding every request for the operating system's TCP timeout.
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
    """Initialise Flask-Limiter; drop its per-request hook when only route limits exist."""
    if str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("redis"):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(REDIS_TIMEOUTS))
    limiter.init_app(app)
    # The limiter object is shared by every app built in one process (tests build many): a new
    # app starts by trusting its own store, not a store an earlier app found down.
    limiter._storage_dead = False
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits:
        return  # the hook has work to do
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)


def _is_memory(uri: str) -> bool:
    return not uri or uri.startswith("memory://")


def store_state() -> StoreState:
    """Whether the configured rate-limit store answers now (one round trip)."""
    if _is_memory(current_app.config.get("RATELIMIT_STORAGE_URI", "")):
        return StoreState.MEMORY
    return StoreState.OK if limiter.storage.check() else StoreState.DOWN
