"""Single-line staff fields refuse line breaks and control characters.

A case reference with "\\r\\n" once reached an email header and stopped every alert and send.
Each form is posted with one bad value (400, a field error, no table changed), then with good
values (302), which shows the refusal came from that value alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from wtforms import EmailField, StringField

from portal.extensions import db as _db
from portal.models import AuditEvent, Child, Invitation, Review, StaffUser
from portal.web.admin import forms as admin_forms
from tests.conftest import csrf_token
from tests.integration.workspace import (
    add_invitation,
    get,
    make_review,
    working_days_ahead,
)

MESSAGE = "must be on one line, with no tabs or other hidden characters"
BAD = {
    "crlf header injection": "C-1\r\nBcc: someone@evil.example",
    "NUL": "C-1\x00",
    "tab": "C-1\tC-2",
    "line separator": "C-1\u2028C-2",
}
WATCHED = (Child, Review, Invitation, StaffUser, AuditEvent)


class Place:
    """The ids the forms below are posted against."""

    def __init__(self, app: Flask, iro: int) -> None:
        self.iro = iro
        self.review = make_review(app, iro)
        self.child = get(app, Review, self.review).child_id
        self.invitation = add_invitation(app, self.review, "parent")
        self.app = app

    def version(self, model: type, object_id: int) -> str:
        return str(get(self.app, model, object_id).version_id)


def _child(place: Place) -> dict[str, str]:
    return {"case_ref": "CE-1", "first_name": "Amira", "date_of_birth": "2012-05-04",
            "preferred_language": "en", "iro_id": str(place.iro)}  # fmt: skip


def _review(place: Place) -> dict[str, str]:
    return {"kind": "cared_for", "review_date": working_days_ahead(12).isoformat(),
            "start_time": "10:00", "venue": "Town Hall", "iro_id": str(place.iro)}  # fmt: skip


def _prepare_row(**fields: str) -> dict[str, str]:
    row = {"role": "parent", "form_key": "parent_consultation", "channel": "email",
           "language": "en", "recipient_name": "Mum", "recipient_email": "mum@example.org",
           "include": "y", **fields}  # fmt: skip
    return {f"rows-0-{name}": value for name, value in row.items()}


FORMS: dict[str, tuple[Callable[[Place], str], Callable[[Place], dict[str, str]]]] = {
    "child new": (lambda p: "/admin/children/new", _child),
    "child edit": (
        lambda p: f"/admin/children/{p.child}/edit",
        lambda p: _child(p) | {"version_id": p.version(Child, p.child)},
    ),
    "review new": (lambda p: f"/admin/children/{p.child}/reviews/new", _review),
    "review edit": (
        lambda p: f"/admin/reviews/{p.review}/edit",
        lambda p: _review(p) | {"version_id": p.version(Review, p.review)},
    ),
    "prepare": (
        lambda p: f"/admin/reviews/{p.review}/invitations/prepare",
        # drawn after the review's one invitation, as the page would have been
        lambda p: _prepare_row() | {"drawn_after": str(p.invitation)},
    ),
    "reissue": (
        lambda p: f"/admin/invitations/{p.invitation}/reissue",
        lambda p: {
            "channel": "email",
            "language": "en",
            "recipient_name": "Dad",
            "recipient_email": "dad@example.org",
        },
    ),
    "user new": (
        lambda p: "/admin/users/new",
        lambda p: {"email": "new@example.org", "name": "New Person", "role": "iro"},
    ),
    "user edit": (
        lambda p: f"/admin/users/{p.iro}",
        lambda p: {"name": "Priya Shah", "role": "iro", "active": "y"},
    ),
}
FIELDS = [
    ("child new", "case_ref"),
    ("child new", "first_name"),
    ("child edit", "case_ref"),
    ("child edit", "first_name"),
    ("review new", "venue"),
    ("review edit", "venue"),
    ("prepare", "rows-0-recipient_name"),
    ("prepare", "rows-0-recipient_email"),
    ("reissue", "recipient_name"),
    ("reissue", "recipient_email"),
    ("user new", "name"),
    ("user new", "email"),
    ("user edit", "name"),
]


@pytest.fixture
def admin(app: Flask, make_staff: Callable[..., int], sign_in: Any) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_staff("admin"))
    return client


def _snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    with app.app_context():
        return {
            model.__tablename__: [
                tuple(row) for row in _db.session.execute(_db.select(model.__table__))
            ]
            for model in WATCHED
        }


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize(("form", "field"), FIELDS, ids=[f"{f}: {n}" for f, n in FIELDS])
def test_a_single_line_field_refuses_line_breaks_and_control_characters(
    app: Flask, admin: FlaskClient, make_staff: Callable[..., int], form: str, field: str, bad: str
) -> None:
    place = Place(app, make_staff("iro", name="Priya Shah"))
    url_of, data_of = FORMS[form]
    url = url_of(place)
    token = csrf_token(admin, url)
    data = {"csrf_token": token, **data_of(place)}
    before = _snapshot(app)
    page = admin.post(url, data={**data, field: bad})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "There is a problem" in html and MESSAGE in html
    assert f'href="#{field}"' in html
    assert _snapshot(app) == before
    assert admin.post(url, data=data).status_code == 302


def test_every_single_line_field_on_the_staff_forms_has_the_rule() -> None:
    """A field added later is covered too: every text input either carries SingleLine or only
    accepts a date or a time."""
    missing = []
    for name in dir(admin_forms):
        form = getattr(admin_forms, name)
        if not isinstance(form, type) or not hasattr(form, "_unbound_fields"):
            continue
        for field_name in dir(form):
            unbound = getattr(form, field_name)
            if getattr(unbound, "field_class", None) not in (StringField, EmailField):
                continue
            validators = unbound.kwargs.get("validators") or ()
            kinds = {type(v) for v in validators} | set(validators)
            if not kinds & {admin_forms.SingleLine, admin_forms.DateInput, admin_forms.valid_time}:
                missing.append(f"{name}.{field_name}")
    assert missing == []
