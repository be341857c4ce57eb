"""Safeguarding alerts: an answer marked `alert: true` reaches a person at once, and so do any
words typed into a safety question's text box (`more_about`, ADR 0066).

An alert is raised as soon as the page with that answer is saved (not at submit), and emailed
straight away to the review's IRO and the duty inbox (SAFEGUARDING_EMAIL). The email carries the
case reference and a link to the alert page only: no answers, no names. A failed send leaves
`emailed_at` empty with the reason in `email_error`; `retry_alerts()` (run from cron) tries
again. Sending never raises to the respondent's page, and one alert that cannot be sent never
stops the others (ADR 0044).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from portal.delivery.mail import Mail, MailError, send
from portal.extensions import db
from portal.models import (
    ALERT_WORDS,
    HELP_OPTION_KEY,
    HELP_QUESTION_KEY,
    Review,
    SafeguardingAlert,
    utcnow,
)
from portal.questionnaires import FormDefinition, Question
from portal.rules.alert_reasons import REASON_LABELS
from portal.rules.text import shown_on_one_line
from portal.staff import audit

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 20


class AlertSource(Protocol):
    """What an alert needs of its invitation: an ORM Invitation or a respondent link snapshot."""

    @property
    def id(self) -> int: ...

    @property
    def review_id(self) -> int: ...


def alert_choices(
    form: FormDefinition, questions: Iterable[Question], answers: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(question key, option key) for every chosen option marked `alert: true`, and
    (question key, ALERT_WORDS) for every safety question's text box with words in it."""
    found = []
    for question in questions:
        answer = answers.get(question.key)
        if form.tells_more_about_safety(question):
            # Any words at all: a person reads them; guessing at keywords would miss some.
            if isinstance(answer, str) and answer.strip():
                found.append((question.key, ALERT_WORDS))
            continue
        chosen = answer if isinstance(answer, list) else [answer]
        found.extend(
            (question.key, option.key)
            for option in question.options
            if option.alert and option.key in chosen
        )
    return found


def raise_alerts(
    invitation: AlertSource,
    form: FormDefinition,
    answers: Mapping[str, Any],
    questions: Iterable[Question] | None = None,
) -> list[SafeguardingAlert]:
    """Record an alert for each alerting answer not already alerted, commit, then email them.

    Returns the alerts created now (empty when there was nothing new).
    """
    chosen = alert_choices(form, form.questions if questions is None else questions, answers)
    if not chosen:  # most pages: no alerting answer, so no need to ask what was raised before
        return []
    existing = {
        (alert.question_key, alert.option_key)
        for alert in db.session.scalars(
            select(SafeguardingAlert).where(SafeguardingAlert.invitation_id == invitation.id)
        )
    }
    created = [
        SafeguardingAlert(
            invitation_id=invitation.id,
            review_id=invitation.review_id,
            form_key=form.key,
            question_key=question_key,
            option_key=option_key,
        )
        for question_key, option_key in chosen
        if (question_key, option_key) not in existing
    ]
    if not created:
        return []
    db.session.add_all(created)
    db.session.commit()
    for alert in created:
        email_alert(alert)
    return created


def alert_raised(invitation_id: int) -> bool:
    """Whether any alert has been raised from this invitation's answers (sent or not yet)."""
    found = db.session.scalar(
        select(SafeguardingAlert.id)
        .where(SafeguardingAlert.invitation_id == invitation_id)
        .limit(1)
    )
    return found is not None


def _open_help_alert(invitation_id: int) -> SafeguardingAlert | None:
    return db.session.scalars(
        select(SafeguardingAlert).where(
            SafeguardingAlert.invitation_id == invitation_id,
            SafeguardingAlert.question_key == HELP_QUESTION_KEY,
            SafeguardingAlert.acknowledged_at.is_(None),
        )
    ).first()


def ask_for_help(invitation: AlertSource, form_key: str) -> SafeguardingAlert | None:
    """A young person pressed "Tell my IRO I need help": raise an "asked for help" alert, audit
    and email it like any alert. Returns the new alert, or None when one is already open for this
    invitation (a second press, or a second phone: the partial unique index keeps one)."""
    if _open_help_alert(invitation.id) is not None:
        return None
    alert = SafeguardingAlert(
        invitation_id=invitation.id,
        review_id=invitation.review_id,
        form_key=form_key,
        question_key=HELP_QUESTION_KEY,
        option_key=HELP_OPTION_KEY,
    )
    db.session.add(alert)
    try:
        db.session.flush()
    except IntegrityError:  # another press got there first: theirs is the open alert
        db.session.rollback()
        return None
    # No actor: the young person did this. Identifiers only, as for every audit event.
    audit.record("alert_raised", alert, reason=HELP_OPTION_KEY, invitation_id=invitation.id)
    db.session.commit()
    log.info("safeguarding alert %s raised: %s", alert.id, HELP_OPTION_KEY)
    email_alert(alert)
    return alert


def _recipients(alert: SafeguardingAlert) -> list[str]:
    review = db.session.get(Review, alert.review_id) if alert.review_id else None
    recipients = []
    if review is not None and review.iro is not None and review.iro.active:
        recipients.append(review.iro.email)
    duty = current_app.config.get("SAFEGUARDING_EMAIL")
    if duty and duty not in recipients:
        recipients.append(duty)
    return recipients


def alert_mail(alert: SafeguardingAlert) -> Mail:
    """The alert email: case reference and a link, nothing a respondent wrote."""
    review = db.session.get(Review, alert.review_id) if alert.review_id else None
    # A legacy case reference with a line break is shown escaped: the alert must still go out.
    case_ref = shown_on_one_line(review.child.case_ref) if review is not None else "unknown"
    link = f"{current_app.config['PORTAL_BASE_URL']}/admin/alerts/{alert.id}"
    labels = REASON_LABELS[alert.reason]
    text = (
        f"{labels.email_opening}\n\n"
        f"Case reference: {case_ref}\n"
        f"Alert: {link}\n\n"
        "Sign in to see what was answered and record what you did. Please act on it today.\n"
    )
    return Mail(
        to=_recipients(alert),
        subject=f"Safeguarding alert: case {case_ref}{labels.email_subject_note}",
        text=text,
        kind="alert",
    )


def _failure_reason(error: Exception) -> str:
    """What to record when an alert was not sent (MailError reasons name no personal data)."""
    if isinstance(error, MailError):
        return str(error)[:300] or "not sent"
    return f"could not be built ({type(error).__name__})"


def email_alert(alert: SafeguardingAlert) -> bool:
    """Try to email one alert now; record the outcome. True if it was sent.

    Never raises for this alert's own content: the respondent's page must not fail, and the
    cron run must go on to the next alert. A database failure still raises.
    """
    alert.email_attempts = (alert.email_attempts or 0) + 1
    try:
        send(alert_mail(alert))
    except SQLAlchemyError:
        raise
    except Exception as error:  # any one message that cannot be built or sent stays pending
        alert.email_error = _failure_reason(error)
        log.warning("safeguarding alert %s not emailed: %s", alert.id, alert.email_error)
        db.session.commit()
        return False
    alert.emailed_at = utcnow()
    alert.email_error = None
    db.session.commit()
    return True


@dataclass
class AlertRun:
    sent: int = 0
    failed: int = 0


def retry_alerts() -> AlertRun:
    """Email every alert not yet emailed (for the cron command), each on its own."""
    pending = db.session.scalars(
        select(SafeguardingAlert)
        .where(
            SafeguardingAlert.emailed_at.is_(None),
            SafeguardingAlert.email_attempts < MAX_EMAIL_ATTEMPTS,
        )
        .order_by(SafeguardingAlert.id)
    ).all()
    run = AlertRun()
    for alert in pending:
        if email_alert(alert):
            run.sent += 1
        else:
            run.failed += 1
    if pending:
        log.info("safeguarding alerts: %d of %d pending sent", run.sent, len(pending))
    return run


def send_pending_alerts() -> int:
    """Email every alert not yet emailed; returns how many were sent."""
    return retry_alerts().sent
