"""Who may do what: the declared roles of every admin route, pinned in one table, and objects that
are not yours. tests/security/test_access_control.py checks every route against these roles for real."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portal.crypto.tokens import hash_token
from portal.extensions import db as _db
from portal.models import MeetingQR, SafeguardingAlert
from tests.integration.workspace import add_invitation, make_review

ANY = ("admin", "iro", "manager")
WRITE = ("admin", "iro")
ADMIN = ("admin",)
# Every admin endpoint and the roles allowed to use it. A new route must be added here.
EXPECTED_ROLES = {
    "admin.dashboard": ANY,
    "admin.alerts": ANY,
    "admin.alert": ANY,
    "admin.advocacy_request": ANY,
    "admin.advocacy_referred": WRITE,
    "admin.settings_page": ADMIN,
    "admin.alert_acknowledge": ANY,  # a manager covers an absent IRO (ADR 0059)
    "admin.chase": ANY,
    "admin.chase_csv": ANY,
    "admin.chase_action": WRITE,
    "admin.audit_log": ("admin", "manager"),
    "admin.children": ANY,
    "admin.child": ANY,
    "admin.child_edit": ADMIN,
    "admin.child_new": ADMIN,
    "admin.review_new": ADMIN,
    "admin.reviews": ANY,
    "admin.review": ANY,
    "admin.review_digest": ANY,
    "admin.review_edit": ADMIN,
    "admin.review_held": WRITE,
    "admin.review_stood_down": WRITE,
    "admin.review_rearrange": WRITE,
    "admin.prepare_invitations": WRITE,
    "admin.prepare_all": WRITE,
    "admin.send_now": WRITE,
    "admin.review_letters": WRITE,
    "admin.outcome_message": ANY,
    "admin.outcome_message_save": WRITE,
    "admin.outcome_translation_save": WRITE,
    "admin.outcome_print": WRITE,
    "admin.meeting_qr_create": WRITE,
    "admin.meeting_qr_revoke": WRITE,
    "admin.invitation_extend": WRITE,
    "admin.invitation_letter": WRITE,
    "admin.invitation_paper_form": WRITE,
    "admin.invitation_paper_return": ADMIN,
    "admin.invitation_paper_answers": ADMIN,
    "admin.invitation_reissue": WRITE,
    "admin.invitation_revoke": WRITE,
    "admin.letters_due": WRITE,
    "admin.letters_print_due": WRITE,
    "admin.security_settings": ADMIN,
    "admin.users_list": ADMIN,
    "admin.imports": ADMIN,
    "admin.imports_confirm": ADMIN,
    "admin.user_edit": ADMIN,
    "admin.user_new": ADMIN,
    "admin.user_password_link": ADMIN,
    "admin.user_reset_second_factor": ADMIN,
    "admin.responses": ANY,
    "admin.response_view": ANY,
    "admin.response_translation": WRITE,
    "admin.weekly": ANY,
}
OBJECT_ARGS = ("review_id", "child_id", "invitation_id", "alert_id", "meeting_qr_id")


def admin_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") and not rule.endpoint.startswith("admin.report")
    ]


# The one thing a read-only manager may do: acknowledge a child's alert for an absent IRO.
MANAGER_MAY_POST = {"admin.alert_acknowledge"}


def test_managers_have_no_route_that_changes_anything(app):
    writable = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin")
        and "POST" in rule.methods
        and "manager" in app.view_functions[rule.endpoint].staff_roles
        and rule.endpoint not in MANAGER_MAY_POST
    ]
    assert writable == []


def test_the_table_below_covers_every_admin_route(app):
    endpoints = {rule.endpoint for rule in admin_rules(app)}
    assert endpoints == set(EXPECTED_ROLES)
    for endpoint, roles in EXPECTED_ROLES.items():
        assert set(app.view_functions[endpoint].staff_roles) == set(roles), endpoint


@pytest.fixture
def world(app, make_staff):
    """A review chaired by one IRO, with an invitation, an alert and a meeting QR."""
    people = {
        "admin": make_staff("admin"),
        "manager": make_staff("manager"),
        "iro_owner": make_staff("iro"),
        "iro_other": make_staff("iro"),
    }
    review_id = make_review(app, people["iro_owner"], status="held")
    invitation_id = add_invitation(app, review_id, "parent")
    with app.app_context():
        alert = SafeguardingAlert(
            review_id=review_id, invitation_id=invitation_id, form_key="parent_consultation",
            question_key="safe", option_key="no",
        )  # fmt: skip
        meeting_qr = MeetingQR(
            review_id=review_id,
            token_hash=hash_token("x" * 43),
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=14),
        )
        _db.session.add_all([alert, meeting_qr])
        _db.session.commit()
        from portal.models import Review

        child_id = _db.session.get(Review, review_id).child_id
        ids = {
            "review_id": review_id,
            "child_id": child_id,
            "invitation_id": invitation_id,
            "alert_id": alert.id,
            "meeting_qr_id": meeting_qr.id,
            "user_id": people["iro_owner"],
        }
    return people, ids


def _url(rule, ids):
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(ids[m.group(1)]), rule.rule)


def test_an_iro_asking_for_another_iros_review_by_id_gets_not_found(app, world, sign_in):
    people, ids = world
    client = app.test_client()
    sign_in(client, people["iro_other"])
    assert client.get(f"/admin/reviews/{ids['review_id']}").status_code == 404
    assert client.get(f"/admin/reviews/{ids['review_id']}/digest").status_code == 404
    assert client.get(f"/admin/children/{ids['child_id']}").status_code == 404
    assert client.get("/admin/reviews/999999").status_code == 404


def test_an_iro_sees_only_their_own_children_in_lists(app, world, sign_in):
    people, _ids = world
    other = app.test_client()
    sign_in(other, people["iro_other"])
    assert "Maya" not in other.get("/admin/children").get_data(as_text=True)
    assert "Maya" not in other.get("/admin/reviews").get_data(as_text=True)
    owner = app.test_client()
    sign_in(owner, people["iro_owner"])
    assert "Maya" in owner.get("/admin/children").get_data(as_text=True)
    assert "Maya" in owner.get("/admin/reviews").get_data(as_text=True)
