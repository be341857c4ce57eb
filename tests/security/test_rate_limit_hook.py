"""Flask-Limiter is used as shipped: its per-request hook stays, limits sit on the routes."""

from __future__ import annotations

from portal.extensions import limiter


def test_the_limiters_own_request_hook_is_left_in_place(app):
    hooks = app.before_request_funcs.get(None, [])
    assert any(getattr(hook, "__self__", None) is limiter for hook in hooks)


def test_limits_are_per_route_with_no_default_application_or_blueprint_limit(app):
    manager = limiter.limit_manager
    assert not manager.default_limits and not manager.application_limits
    for name in app.blueprints:
        assert not manager.blueprint_limits(app, name), f"blueprint {name} has its own limit"
