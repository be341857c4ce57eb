"""Shared set-up for the IRO workspace tests (on the real forms): data builders."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import Flask

from portal.extensions import db as _db
from portal.models import Child, Contact, Invitation, Review, SafeguardingAlert
from portal.rules.workdays import add_working_days
from tests.invitations import invite


def working_days_ahead(count: int, start: dt.date | None = None) -> dt.date:
    """A date `count` working days after today."""
    return add_working_days(start or dt.date.today(), count)


def make_review(
    app: Flask,
    iro_id: int | None,
    *,
    review_date: dt.date | None = None,
    kind: str = "cared_for",
    age: int = 10,
    language: str = "en",
    case_ref: str | None = None,
    status: str = "scheduled",
) -> int:
    """A child and one review; returns the review id."""
    today = dt.date.today()
    with app.app_context():
        child = Child(
            case_ref=case_ref or f"C-{secrets.token_hex(3)}",
            first_name="Maya",
            date_of_birth=today.replace(year=today.year - age) - dt.timedelta(days=30),
            preferred_language=language,
            iro_id=iro_id,
        )
        review = Review(
            child=child,
            kind=kind,
            review_date=review_date or working_days_ahead(15),
            start_time=dt.time(10, 0),
            venue="Town Hall",
            iro_id=iro_id,
            status=status,
        )
        _db.session.add_all([child, review])
        _db.session.commit()
        return review.id


def add_invitation(
    app: Flask,
    review_id: int,
    role: str = "parent",
    *,
    channel: str = "email",
    email: str | None = "parent@example.org",
    stage: str = "consultation",
    language: str = "en",
    **fields: Any,
) -> int:
    """An invitation made by `tests.invitations.invite`; returns its id."""
    with app.app_context():
        review = _db.session.get(Review, review_id)
        invitation = invite(
            review,
            stage=stage,
            role=role,
            recipient_name=fields.pop("recipient_name", f"Test {role}"),
            recipient_email=email,
            language=language,
            channel=channel,
            link=False,
            **fields,
        ).invitation
        _db.session.commit()
        return invitation.id


def prepare_row(index: int, role: str, form_key: str, **fields: Any) -> dict[str, str]:
    """Row `index` of the Prepare invitations form as a browser posts it: ticked, by post in
    English with no name or email unless `fields` say otherwise (include=False leaves it unticked)."""
    data = {
        f"rows-{index}-role": role,
        f"rows-{index}-form_key": form_key,
        f"rows-{index}-channel": "post",
        f"rows-{index}-language": "en",
        f"rows-{index}-recipient_name": "",
        f"rows-{index}-recipient_email": "",
    }
    data.update({f"rows-{index}-{name}": value for name, value in fields.items()})
    if fields.get("include", True):
        data[f"rows-{index}-include"] = "y"
    else:
        data.pop(f"rows-{index}-include")
    return data


def get(app: Flask, model: type, object_id: int) -> Any:
    """A fresh copy of a row, read outside any request."""
    with app.app_context():
        row = _db.session.get(model, object_id)
        if row is not None:
            _db.session.expunge(row)
        return row


def invitations_of(app: Flask, review_id: int) -> list[Invitation]:
    with app.app_context():
        rows = list(
            _db.session.execute(
                _db.select(Invitation)
                .where(Invitation.review_id == review_id)
                .order_by(Invitation.id)
            ).scalars()
        )
        for row in rows:
            _db.session.expunge(row)
        return rows


def mail_part(message: Any, subtype: str = "plain") -> str:
    """The decoded text/<subtype> part of a message received by the SMTP sink."""
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")


def due_review(app: Flask, iro_id: int | None, **kwargs: Any) -> int:
    """A review 8 working days away: its consultation invitations are already due."""
    return make_review(app, iro_id, review_date=working_days_ahead(8), **kwargs)


def add_contacts(app: Flask, review_id: int, *contacts: dict[str, Any]) -> None:
    """Contacts for the review's child, each given as Contact's fields."""
    with app.app_context():
        review = _db.session.get(Review, review_id)
        for values in contacts:
            _db.session.add(Contact(child_id=review.child_id, **values))
        _db.session.commit()


def add_alert(app: Flask, review_id: int, invitation_id: int | None) -> int:
    """A child's "not safe" answer on their consultation form, waiting to be emailed to the IRO;
    returns the alert's id."""
    with app.app_context():
        alert = SafeguardingAlert(review_id=review_id, invitation_id=invitation_id,
                                  form_key="child_consultation", question_key="home_feeling",
                                  option_key="not_safe")  # fmt: skip
        _db.session.add(alert)
        _db.session.commit()
        return alert.id
