"""Paper returns keyed in by business support through the form's own pages (the forms engine):
the same validation and show_if rules as online, stored once with source "paper".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from portal.extensions import db
from portal.models import Invitation, Response, StaffUser
from portal.questionnaires import FormDefinition, Screen, engine
from portal.rules.responses import Submitted, submit_response
from portal.rules.safeguarding import raise_alerts
from portal.staff import audit


def paper_screens(definition: FormDefinition) -> list[Screen]:
    """One screen per page of the form: a paper form is keyed in a page at a time, all at once.

    Numbers are negative so the engine's per-screen view cache never mixes them up with the
    respondent's screens.
    """
    return [
        Screen(-1 - index, index, page.key, page.title, tuple(page.questions))
        for index, page in enumerate(definition.pages)
    ]


def validate_paper(
    definition: FormDefinition, formdata: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers in stored shape and errors by question key, validating page by page."""
    forms = engine()
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for screen in paper_screens(definition):
        subset = MultiDict([(key, value) for key in screen.keys for value in formdata.getlist(key)])
        result = forms.validate_screen(definition, screen, None, subset, answers)
        errors.update(result.errors)
        answers = result.answers
    return answers, errors


def store_paper_response(
    invitation: Invitation,
    definition: FormDefinition,
    answers: dict[str, Any],
    *,
    returned_on: dt.date,
    entered_by: StaffUser,
    helped_by: str | None = None,
) -> bool:
    """Store keyed-in answers once; mark the invitation returned on paper on that date.

    Alerts are raised as they would be online. False if the form already had a response.
    """
    when = dt.datetime.combine(returned_on, dt.time(12, 0), tzinfo=dt.UTC)
    text_keys = [q.key for q in definition.questions if q.type == "text" and q.key in answers]
    outcome = submit_response(
        invitation,
        definition,
        answers,
        language=invitation.language,
        helped_by=helped_by,
        text_languages=dict.fromkeys(text_keys, invitation.language),
        source="paper",
    )
    if outcome is Submitted.ALREADY:
        return False
    db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id)
        .values(returned_at=when, return_channel="paper")
    )
    response_id = db.session.execute(
        db.select(Response.id).where(Response.invitation_id == invitation.id)
    ).scalar_one()
    db.session.execute(
        update(Response)
        .where(Response.id == response_id)
        .values(entered_by_id=entered_by.id, submitted_at=when)
    )
    audit.record("paper_answers_keyed", invitation, response_id=response_id, answers=len(answers))
    db.session.commit()
    invitation = db.session.get(Invitation, invitation.id)
    raise_alerts(invitation, definition, answers)
    return True
