"""The per-review digest an IRO reads before the meeting: every returned form's answers with
question labels in English, free text in its original language, alerts first and highlighted,
and who has not replied yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from portal.extensions import db
from portal.languages.i18n import staff_language_name
from portal.models import Invitation, Response, Review, SafeguardingAlert
from portal.questionnaires import FormDefinition, Question, catalogue


@dataclass
class AnswerLine:
    key: str
    label: str
    answer: str
    language: str | None = None  # set for free text not in English
    alert: bool = False
    translation: str | None = None  # pasted by staff, shown beside the original (ADR 0062)

    @property
    def needs_translating(self) -> bool:
        return self.language is not None and not self.translation


@dataclass
class ReturnedForm:
    response: Response
    role: str
    title: str
    source: str
    lines: list[AnswerLine] = field(default_factory=list)
    recipient_name: str = ""

    @property
    def has_alert(self) -> bool:
        return any(line.alert for line in self.lines)


@dataclass
class Digest:
    review: Review
    returned: list[ReturnedForm]
    not_replied: list[Invitation]
    alerts: list[SafeguardingAlert]


def language_label(code: str) -> str:
    """A language's English name (the IRO reads English), from the team's table of names."""
    return staff_language_name(code)


def _option_label(question: Question, key: Any) -> str:
    for option in question.options:
        if option.key == key:
            return option.label
    return str(key)


def _answer_text(question: Question, value: Any) -> str:
    if question.type in ("choice", "feelings"):
        return _option_label(question, value)
    if question.type == "multi":
        values = value if isinstance(value, list) else [value]
        return "; ".join(_option_label(question, item) for item in values)
    if question.type == "scale":
        return f"{value} (from {question.min} to {question.max})"
    return str(value)


def _is_alert(question: Question, value: Any) -> bool:
    chosen = value if isinstance(value, list) else [value]
    return any(option.alert and option.key in chosen for option in question.options)


def answer_lines(
    definition: FormDefinition | None, response: Response, alerted: set[str]
) -> list[AnswerLine]:
    """One line per answered question, in the form's order (unknown keys last, by key)."""
    answers = response.answers or {}
    text_languages = response.text_languages or {}
    translations = response.translations or {}
    lines = []
    known = set()
    for question in definition.questions if definition else []:
        known.add(question.key)
        value = answers.get(question.key)
        if value in (None, "", []):
            continue
        language = None
        if question.type == "text":
            code = text_languages.get(question.key) or response.language or "en"
            language = None if code.split("_")[0] == "en" else language_label(code)
        lines.append(
            AnswerLine(
                key=question.key,
                label=question.label,
                answer=_answer_text(question, value),
                language=language,
                alert=_is_alert(question, value) or question.key in alerted,
                translation=translations.get(question.key) if language else None,
            )
        )
    for key in sorted(set(answers) - known):
        lines.append(AnswerLine(key=key, label=key, answer=str(answers[key]), alert=key in alerted))
    return lines


def build_digest(review: Review) -> Digest:
    """Everything returned for a review (invitations and meeting QR), and who is still to reply."""
    invitation_ids = [inv.id for inv in review.invitations]
    responses = db.session.execute(
        select(Response)
        .where(or_(Response.review_id == review.id, Response.invitation_id.in_(invitation_ids)))
        .order_by(Response.submitted_at)
    ).scalars()
    alerts = list(
        db.session.execute(
            select(SafeguardingAlert)
            .where(SafeguardingAlert.review_id == review.id)
            .order_by(SafeguardingAlert.created_at)
        ).scalars()
    )
    forms = catalogue()
    returned = []
    for response in responses:
        invitation = response.invitation
        alerted = {
            a.question_key for a in alerts if invitation and a.invitation_id == invitation.id
        }
        definition = forms.get(response.form_key)
        returned.append(
            ReturnedForm(
                response=response,
                role=response.role or (invitation.role if invitation else ""),
                title=definition.title if definition else response.form_key,
                source=response.source,
                lines=answer_lines(definition, response, alerted),
                recipient_name=invitation.recipient_name if invitation else "",
            )
        )
    returned.sort(
        key=lambda form: (not form.has_alert, form.response.submitted_at or dt.datetime.min)
    )
    not_replied = [
        inv
        for inv in review.invitations
        if inv.returned_at is None and inv.revoked_at is None and inv.meeting_qr_id is None
    ]
    return Digest(review=review, returned=returned, not_replied=not_replied, alerts=alerts)
