"""Other ways in: a short code typed from a letter (/q) and a meeting QR code (/m/<token>)."""

from __future__ import annotations

import re
from typing import Any

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired

from portal.crypto.tokens import (
    SHORT_CODE_LENGTH,
    characters_codes_never_use,
    normalise_short_code,
)
from portal.extensions import db, limiter
from portal.languages.i18n import current_language
from portal.models import MeetingQR
from portal.rules import outcomes
from portal.rules.meeting_qr import (
    QRState,
    available_roles,
    find_meeting_qr,
    qr_state,
    start_qr_response,
)
from portal.web.respond import bp, journey, pages
from portal.web.respond.journey import LinkState

CODE_RATE_LIMIT = "10 per minute"
QR_RATE_LIMIT = "20 per minute"
QR_SESSION_KEY = "meeting_qr"

QR_PROBLEMS = {
    QRState.UNKNOWN: (
        _l("We cannot find this QR code"),
        _l("Try scanning it again. If it still does not work, ask the person chairing the "
           "meeting for a feedback form."),
        404,
    ),
    QRState.EXPIRED: (
        _l("This QR code has expired"),
        _l("Feedback through this code has closed. If you still want to tell us how the "
           "meeting went, ask the IRO who chaired it."),
        410,
    ),
    QRState.REVOKED: (
        _l("This QR code is no longer in use"),
        _l("If you still want to tell us how the meeting went, ask the IRO who chaired it."),
        410,
    ),
    QRState.FULL: (
        _l("This QR code has been used as many times as it allows"),
        _l("Thank you to everyone who answered. If you have not, ask the IRO who chaired the "
           "meeting for a feedback form."),
        410,
    ),
}  # fmt: skip


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"), validators=[InputRequired(message=_l("Enter the code from your letter"))]
    )


class RoleForm(FlaskForm):
    role = RadioField(
        _l("Who are you?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose who you are"))],
        invalid_choice_message=_l("Choose who you are"),
    )


def _code_problem(typed: str, state: LinkState) -> str:
    """What is wrong with a typed code, as the person can fix it."""
    if state is not LinkState.MALFORMED:
        return _("We cannot find a form with that code. Check the code on your letter")
    unused = characters_codes_never_use(typed)
    if unused and len(re.sub(r"[\s-]", "", typed)) == SHORT_CODE_LENGTH:
        # Codes leave out look-alikes (O and 0, I and 1): say which ones were typed.
        return _(
            "Codes never use %(characters)s. Check the code on your letter",
            characters=", ".join(unused),
        )
    return _("The code must be 8 letters and numbers, like the one on your letter")


@bp.route("/q", methods=["GET", "POST"])
@limiter.limit(CODE_RATE_LIMIT, methods=["POST"])
def code() -> Any:
    """Type the 8-character code from a letter: the same as opening the link."""
    form = CodeForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("respond/code.html", form=form), status
    state, invitation = journey.find_by_short_code(form.code.data or "")
    if state in (LinkState.MALFORMED, LinkState.UNKNOWN) or invitation is None:
        form.code.errors = [_code_problem(form.code.data or "", state)]
        return render_template("respond/code.html", form=form), 400
    if state is not LinkState.OK:
        return pages.link_problem(state)
    journey.remember(
        session,
        invitation,
        journey.access_for(invitation, by_code=True),
        typed_code=normalise_short_code(form.code.data or ""),
    )
    if outcomes.message_for(invitation) is not None:
        return redirect(url_for("respond.message"))  # the IRO's message comes first
    return redirect(url_for("respond.start"))


def qr_problem(state: QRState) -> tuple[str, int]:
    """The page for a QR code that cannot start a response."""
    title, body, status = QR_PROBLEMS[state]
    return pages.problem_page(f"qr_{state}", title, body), status


@bp.get("/m/<token>")
@limiter.limit(QR_RATE_LIMIT)
def open_meeting_qr(token: str) -> Any:
    """A scan: check the code, keep it in the session, move away from the token URL."""
    qr = find_meeting_qr(token)
    state = qr_state(qr)
    if state is not QRState.OK or qr is None:
        return qr_problem(state)
    session[QR_SESSION_KEY] = {"q": qr.id, "h": qr.token_hash}
    return redirect(url_for("respond.meeting_role"))


def _held_qr() -> MeetingQR | None:
    held = session.get(QR_SESSION_KEY)
    if not isinstance(held, dict):
        return None
    qr = db.session.get(MeetingQR, held.get("q")) if isinstance(held.get("q"), int) else None
    return qr if qr is not None and qr.token_hash == held.get("h") else None


@bp.route("/m/role", methods=["GET", "POST"])
@limiter.limit(QR_RATE_LIMIT, methods=["POST"])
def meeting_role() -> Any:
    """Each scan starts a fresh anonymous feedback form for the role the person picks."""
    qr = _held_qr()
    state = qr_state(qr)
    if state is not QRState.OK or qr is None:
        return qr_problem(state if qr is not None else QRState.UNKNOWN)
    form = RoleForm()
    form.role.choices = available_roles(qr.review)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("respond/qr_role.html", form=form), status
    invitation = start_qr_response(qr, form.role.data or "", current_language())
    if invitation is None:
        return qr_problem(QRState.UNKNOWN)
    journey.remember(session, invitation, journey.QR_ACCESS)
    return redirect(url_for("respond.start"))
