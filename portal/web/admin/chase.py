"""The chase list: every form out and not back, across reviews, with bulk actions (ADR 0059).

Everyone on the team may read it (an IRO: their own reviews); admins and IROs act on it. A bulk
action takes the ticked ids all or none: one id the user may not see, or that is no longer on
the list, and the whole request is a 404 with nothing done.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.delivery import letters, sending
from portal.extensions import db
from portal.models import CHASE_KINDS, WRITE_ROLES, Invitation, StaffUser
from portal.reporting.exports import neutralise
from portal.rules import chasing, receipts
from portal.rules.dates import today
from portal.staff import audit
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.forms import CHANNEL_LABELS, DateInput, SingleLine, parse_date
from portal.web.admin.helpers import saved
from portal.web.admin.query import DB_INT_MAX, QueryError, query_int

ACTIONS = ("remind", "print", "record", "decline", "undecline")
ACTION_LABELS = {
    "remind": _l("Send a reminder now (email or text)"),
    "print": _l("Print letters (post and by hand)"),
    "record": _l("Record a phone call or visit"),
    "decline": _l("Mark as declined (they said no)"),
    "undecline": _l("Put back on the chase list (not declined after all)"),
}
KIND_LABELS = {"phone": _l("Phone call"), "visit": _l("Visit")}
MAX_TICKED = 1000  # one request's worth; more is refused before any database work


class ChaseActionForm(FlaskForm):
    """The bulk action under the table; the ticked ids are read separately (`_ticked_ids`)."""

    action = RadioField(
        _l("What to do with the ticked forms"),
        choices=list(ACTION_LABELS.items()),
        validators=[InputRequired(_l("Choose what to do with the ticked forms"))],
    )
    kind = RadioField(_l("How you chased"), choices=list(KIND_LABELS.items()),
                      validators=[Optional()])  # fmt: skip
    chased_on = StringField(_l("Date of the call or visit"), validators=[Optional()])
    note = StringField(
        _l("Note (optional)"),
        validators=[
            SingleLine(_l("The note")),
            Length(max=chasing.NOTE_MAX, message=_l("The note must be 200 characters or fewer")),
        ],
    )

    def validate_for_record(self) -> bool:
        """A call or visit needs how and when (not in the future)."""
        ok = True
        if self.kind.data not in CHASE_KINDS:
            self.kind.errors = [_("Choose phone call or visit")]
            ok = False
        try:
            DateInput(_("The date of the call or visit"), not_future=True)(self, self.chased_on)
        except ValidationError as error:
            self.chased_on.errors = [str(error)]
            ok = False
        return ok


def _filters() -> chasing.Filters:
    """The query string's filters, each checked (a value the page cannot use is a 400)."""
    args = request.args
    picked: dict[str, str | None] = {}
    for name, allowed in chasing.KNOWN.items():
        value = args.get(name, "").strip()
        if value and value not in allowed:
            raise QueryError(_("The %(name)s filter must be one of: %(allowed)s.",
                               name=name, allowed=", ".join(allowed)))  # fmt: skip
        picked[name] = value or None
    sort = picked["sort"] or "due"
    return chasing.Filters(
        iro_id=query_int("iro"),
        role=picked["role"],
        channel=picked["channel"],
        overdue_only=args.get("overdue") == "1",
        due_this_week=args.get("due") == "week",
        view=picked["view"] or "open",
        sort=sort,
        direction=picked["dir"] or ("desc" if sort == "overdue" else "asc"),
    )


def _iros() -> list[StaffUser]:
    """IROs to filter by (only someone who sees the whole team needs the choice)."""
    if not current_user.sees_everything:
        return []
    return list(
        db.session.execute(
            db.select(StaffUser).where(StaffUser.role == "iro").order_by(StaffUser.name)
        ).scalars()
    )


def _render(form: ChaseActionForm, status: int = 200, problem: str | None = None) -> Any:
    filters = _filters()
    page_number = query_int("page", 1, 100_000) or 1
    page = chasing.chase_page(current_user, today(), filters, page_number)
    errors = [(f"{name}", messages) for name, messages in form.errors.items()]
    if problem:
        errors.insert(0, ("ticked", [problem]))
    return render_template(
        "admin/chase.html",
        page=page,
        filters=filters,
        args=filters.as_args(),
        sort_args={k: v for k, v in filters.as_args().items() if k not in ("sort", "dir")},
        iros=_iros(),
        form=form,
        errors=errors,
        channel_labels=CHANNEL_LABELS,
        action_labels=ACTION_LABELS,
        today_iso=today().isoformat(),
    ), status


@bp.get("/chase")
@staff_required()
def chase() -> Any:
    """Every form not returned, sortable and filterable, a page at a time."""
    return _render(ChaseActionForm(formdata=None))


@bp.get("/chase.csv")
@staff_required()
def chase_csv() -> Response:
    """The whole list under the current filters, with a title row that records them."""
    filters = _filters()
    day = today()
    rows = chasing.all_rows(current_user, day, filters)
    audit.record("chase_exported", None, rows=len(rows), filters=filters.as_args())
    db.session.commit()
    response = make_response(_csv(rows, filters, day))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="chase-list-{day}.csv"'
    return response


def _filter_summary(filters: chasing.Filters) -> str:
    parts = [f"{name}={value}" for name, value in filters.as_args().items()]
    return ", ".join(parts) or _("no filters")


def _csv(rows: list[chasing.Row], filters: chasing.Filters, day: dt.date) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    title = _("Chase list on %(day)s, %(who)s; filters: %(filters)s",
              day=day.isoformat(), who=current_user.display_name,
              filters=_filter_summary(filters))  # fmt: skip
    writer.writerow([neutralise(title)])
    writer.writerow([_("Send by"), _("Days overdue (working days)"), _("Case reference"),
                     _("First name"), _("Review date"), _("Form"), _("For"), _("Recipient"),
                     _("Channel"), _("Sent"), _("Delivery"), _("Reminders"), _("Last chased"), _("IRO")])  # fmt: skip
    for row in rows:
        values = [
            row.due_at.isoformat() if row.due_at else "",
            row.days_overdue,
            row.case_ref,
            row.first_name,
            row.review_date.isoformat(),
            row.stage,
            row.role,
            row.recipient_name,
            row.channel,
            row.sent_at.date().isoformat() if row.sent_at else "",
            _delivery(row.delivery_status),
            row.reminders_sent,
            row.last_chased_on.isoformat() if row.last_chased_on else "",
            row.iro_name,
        ]
        writer.writerow([neutralise(value) for value in values])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 names


def _delivery(status: str | None) -> str:
    """What GOV.UK Notify last said of the message, in the review page's words ("" if nothing)."""
    return str(receipts.LABELS.get(status, status)) if status else ""


def _ticked_ids() -> list[int]:
    """The ticked ids from the form: whole numbers in the id range, or the request is a 400."""
    raw = request.form.getlist("ids")
    if len(raw) > MAX_TICKED:
        raise QueryError(_("Tick at most %(num)d forms at a time.", num=MAX_TICKED))
    ids = []
    for value in raw:
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= DB_INT_MAX):
            raise QueryError(_("A ticked row is not a form on this list."))
        ids.append(int(value))
    return ids


@bp.post("/chase")
@staff_required(*WRITE_ROLES)
def chase_action() -> Any:
    """Do one thing to every ticked row, or to none of them."""
    form = ChaseActionForm()
    if not form.validate_on_submit():
        return _render(form, 400)
    action = form.action.data
    if action == "record" and not form.validate_for_record():
        return _render(form, 400)
    ids = _ticked_ids()
    if not ids:
        return _render(form, 400, _("Tick at least one form on the list"))
    day = today()
    chosen = chasing.chosen(current_user, day, ids, declined=action == "undecline")
    if chosen is None:
        abort(404)  # an id not on this user's list: nothing at all is done
    if action == "remind":
        return _remind(form, chosen, day)
    if action == "print":
        return _print(form, chosen)
    if action == "record":
        chasing.record_chase(chosen, current_user, kind=form.kind.data,
                             chased_on=parse_date(form.chased_on.data), note=form.note.data or "")  # fmt: skip
        message = _("Recorded the call or visit for %(num)d forms.", num=len(chosen))
    else:
        changed = chasing.set_declined(chosen, current_user, declined=action == "decline")
        message = (_("%(num)d forms marked as declined.", num=changed) if action == "decline"
                   else _("%(num)d forms put back on the chase list.", num=changed))  # fmt: skip
    db.session.commit()
    return _done(message)


def _done(message: str) -> Response:
    """Say what was done on the list again, its filters kept (303: a reload does not repeat it)."""
    saved(message)
    return redirect(url_for("admin.chase", **request.args), code=303)


def _remind(form: ChaseActionForm, chosen: list[Invitation], day: dt.date) -> Any:
    """Email or text each ticked form now, claimed like a scheduled reminder: exactly once."""
    unable = sum(1 for invitation in chosen if not chasing.can_email_now(invitation))
    if unable:
        return _render(form, 400, _(
            "Reminders go only to email or text forms with an address or number that works. "
            "Untick %(num)d forms, then print their letters or record a call instead.",
            num=unable))  # fmt: skip
    report = sending.SendReport()
    for invitation in chosen:
        if chasing.reminded_today(invitation, day):
            report.skipped += 1  # a second click, or the scheduled run got there first
        elif invitation.sent_at is None:
            sending.send_one(invitation, report)
        else:
            sending.remind_one(invitation, report)
    audit.record("chase_reminders", None, invitations=[i.id for i in chosen], sent=report.sent,
                 reminded=report.reminded, failed=report.failed, skipped=report.skipped)  # fmt: skip
    db.session.commit()
    message = _("Emails and texts sent: %(sent)d. Already sent today, not sent again: %(skipped)d. "
                "Failed (will show on the review): %(failed)d.",
                sent=report.sent + report.reminded, skipped=report.skipped,
                failed=report.failed)  # fmt: skip
    return _done(message)


def _print(form: ChaseActionForm, chosen: list[Invitation]) -> Any:
    """Letters for the ticked post and by-hand forms, through the one letters builder."""
    wrong = chasing.wrong_channel(chosen, chasing.PRINTABLE_CHANNELS)
    if wrong:
        return _render(form, 400, _(
            "Letters are printed for post and by-hand forms only. Untick %(num)d email or QR "
            "forms, or send them a reminder instead.", num=wrong))  # fmt: skip
    built = letters.build(chosen)
    db.session.commit()
    return render_template("letters/print.html", letters=built,
                           back_url=url_for("admin.chase", **request.args))  # fmt: skip
