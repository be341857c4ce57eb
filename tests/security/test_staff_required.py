"""Meta-test: every admin route carries `staff_required` (it marks the view with staff_roles)."""

from __future__ import annotations

from portal.models import STAFF_ROLES


def test_every_admin_route_requires_staff(app):
    admin_rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin") or rule.endpoint.startswith("admin.")
    ]
    assert admin_rules, "the admin blueprint has at least the dashboard"
    unguarded = [
        rule.rule
        for rule in admin_rules
        if not getattr(app.view_functions[rule.endpoint], "staff_roles", None)
    ]
    assert unguarded == [], f"admin routes without @staff_required: {unguarded}"


def test_staff_roles_named_by_admin_routes_exist(app):
    for rule in app.url_map.iter_rules():
        roles = getattr(app.view_functions[rule.endpoint], "staff_roles", ())
        assert set(roles) <= set(STAFF_ROLES), rule.rule
