"""The one way tests make an invitation: through the real rules, with a link the test can open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.extensions import db
from portal.models import Invitation, Review
from portal.questionnaires import catalogue
from portal.rules import invitations


@dataclass(frozen=True)
class Invited:
    """An invitation just made, with the raw token and short code only the test knows ("" if none)."""

    invitation: Invitation
    token: str
    code: str


def invite(
    review: Review,
    *,
    stage: str = "consultation",
    role: str = "child",
    form_key: str | None = None,
    recipient_name: str = "",
    recipient_email: str | None = None,
    language: str = "en",
    channel: str = "email",
    link: bool = True,
    **fields: Any,
) -> Invited:
    """`invitations.create` plus a fresh link (inside an app context; flushed, not committed).

    The form is the catalogue's default for the stage, role and review kind unless named.
    `fields` set anything else a test needs (sent_at, expires_at, returned_at, ...). With
    `link=False` it stays as staff first make it: no link until it is sent or printed.
    """
    if form_key is None:
        form = catalogue().choose(stage, role, review.kind)
        form_key = form.key if form else f"{role}_{stage}"
    invitation = invitations.create(
        review,
        stage=stage,
        role=role,
        form_key=form_key,
        recipient_name=recipient_name,
        recipient_email=recipient_email,
        language=language,
        channel=channel,
    )
    token, code, hashes = invitations.new_link_values() if link else ("", "", {})
    for name, value in {**hashes, **fields}.items():
        setattr(invitation, name, value)
    db.session.flush()
    return Invited(invitation, token, code)
