"""The responses inbox: every response across reviews, one response's answers with
pasted translations beside the free text, and who has read what (per staff member)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as HTTPResponse

from portal.extensions import db
from portal.models import RESPONSE_SOURCES, WRITE_ROLES, Response, SafeguardingAlert
from portal.questionnaires import catalogue
from portal.reporting.periods import PeriodError, parse_period
from portal.rules import inbox
from portal.rules.digest import answer_lines, language_label
from portal.rules.text import free_text_problem
from portal.staff import audit
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.helpers import iro_choices, saved
from portal.web.admin.query import QueryError, query_int

SOURCE_LABELS = {"online": "Online", "paper": "Paper", "meeting_qr": "Meeting QR code",
                 "import": "Imported"}  # fmt: skip
FLAGS = ("alert", "translate", "unread")


def _flag(name: str) -> bool:
    """A tick-box filter: absent or "1"; anything else is a 400 naming it."""
    value = request.args.get(name, "")
    if value not in ("", "1"):
        raise QueryError(_("The %(name)s filter must be 1 or left out.", name=name))
    return value == "1"


def _filters() -> inbox.InboxFilters:
    """The query string, checked: every bad value is a 400 saying which filter and why."""
    form_key = request.args.get("form", "").strip() or None
    if form_key is not None and form_key not in catalogue():
        raise QueryError(_("The form filter must be one of the forms in the list."))
    source = request.args.get("source", "").strip() or None
    if source is not None and source not in RESPONSE_SOURCES:
        raise QueryError(_("The source filter must be online, paper, meeting_qr or import."))
    period_text = request.args.get("period", "").strip()
    try:
        period = parse_period(period_text) if period_text else None
    except PeriodError as error:
        raise QueryError(_("The period filter: %(problem)s.", problem=str(error))) from error
    iro_id = query_int("iro")
    if not current_user.sees_everything:
        iro_id = None  # an IRO's inbox is already only their reviews: the filter cannot widen it
    return inbox.InboxFilters(
        form_key=form_key, iro_id=iro_id, period=period, source=source,
        alert=_flag("alert"), needs_translating=_flag("translate"), unread=_flag("unread"),
    )  # fmt: skip


@bp.get("/responses")
@staff_required()
def responses() -> str:
    """Every response the signed-in person may see, newest first, with filters."""
    filters = _filters()
    page = inbox.inbox_page(current_user, filters, query_int("page", 1, 100_000) or 1)
    forms = catalogue()
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "admin/responses.html",
        page=page,
        filters=filters,
        args=args,
        form_titles={form.key: form.title for form in forms},
        iro_choices=iro_choices()[1:] if current_user.sees_everything else [],
        source_labels=SOURCE_LABELS,
        language_label=language_label,
    )


def _response_page(
    found: Response, status: int = 200, error: str | None = None, error_key: str | None = None
) -> tuple[str, int]:
    alerted: set[str] = set()
    if found.invitation_id is not None:
        alerted = set(
            db.session.execute(
                db.select(SafeguardingAlert.question_key).where(
                    SafeguardingAlert.invitation_id == found.invitation_id
                )
            ).scalars()
        )
    definition = catalogue().get(found.form_key)
    return render_template(
        "admin/response.html",
        response=found,
        definition=definition,
        lines=answer_lines(definition, found, alerted),
        source_labels=SOURCE_LABELS,
        error=error,
        error_key=error_key,
        translation_max=inbox.TRANSLATION_MAX,
    ), status


@bp.get("/responses/<int:response_id>")
@staff_required()
def response_view(response_id: int) -> tuple[str, int]:
    """One response's answers; opening it marks it read for this staff member only."""
    found = inbox.get_response_or_404(response_id, current_user)
    inbox.mark_read(found, current_user)
    audit.record("response_viewed", found)
    db.session.commit()
    return _response_page(found)


@bp.post("/responses/<int:response_id>/translation")
@staff_required(*WRITE_ROLES)
def response_translation(response_id: int) -> HTTPResponse | tuple[str, int]:
    """Keep a pasted translation beside one free-text answer (audited, never the text itself)."""
    found = inbox.get_response_or_404(response_id, current_user)
    question_key = request.form.get("question_key", "")
    text = request.form.get("translation", "")
    problem = inbox.translation_problem(found, question_key, text)
    if problem is None and free_text_problem(text):
        problem = _("Remove the hidden characters (such as NUL) from the text")
    if problem:
        return _response_page(found, 400, problem, question_key)
    inbox.set_translation(found, question_key, text)
    audit.record("response_translated", found, question_key=question_key, removed=not text.strip())
    db.session.commit()
    saved(_("Translation saved beside the original."))
    return redirect(url_for("admin.response_view", response_id=found.id))
