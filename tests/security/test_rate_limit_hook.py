"""Flask-Limiter's per-request hook is dropped (portal.web.rate_limits): only route limits exist."""

from __future__ import annotations

from portal.extensions import limiter


def test_no_default_application_or_blueprint_limit_needs_the_hook(app):
    manager = limiter.limit_manager
    assert not manager.default_limits and not manager.application_limits
    for name in app.blueprints:
        assert not manager.blueprint_limits(app, name), f"blueprint {name} has its own limit"
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
