"""Rate limits sit on the routes that need them, each one an `@limiter.limit` beside its view.

Flask-Limiter also adds a before_request hook for default, application and blueprint-wide
limits. That hook resolves them on every request, static files included, and it was 8% of a
respondent page's CPU (issue 8). The portal sets none of those limits; a decorated limit checks
itself when its view runs. So the hook is dropped while there is nothing for it to do.
`tests/security/test_rate_limit_hook.py` fails if a blueprint-wide limit is ever added, because
such a limit would need the hook.
"""

from __future__ import annotations

from flask import Flask

from .extensions import limiter


def init_app(app: Flask) -> None:
    """Initialise Flask-Limiter; drop its per-request hook when only route limits exist."""
    limiter.init_app(app)
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits:
        return  # the hook has work to do
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
