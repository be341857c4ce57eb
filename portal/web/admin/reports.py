"""Report screens: return rates, feedback results, the per-IRO monthly view, participation, and
their exports.

Managers and admins see every figure; an IRO sees the figures for the reviews they chair.
Drilling down from a figure to the invitations behind it is for admins (business support).
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.languages.i18n import staff_language_name
from portal.models import (
    ADMIN_ROLES,
    CHANNELS,
    RESPONSE_SOURCES,
    REVIEW_KINDS,
    ROLES,
    STAGES,
    StaffUser,
)
from portal.questionnaires import catalogue
from portal.reporting.exports import XLSX_MIMETYPE, ExportTable, csv_bytes, xlsx_bytes
from portal.reporting.feedback import (
    FEEDBACK_AGE_BANDS,
    FeedbackFilters,
    busiest_form,
    comments,
    feedback_results,
)
from portal.reporting.monthly import monthly_view
from portal.reporting.participation import ParticipationFilters
from portal.reporting.periods import (
    Period,
    PeriodError,
    financial_year,
    fy_start_year,
    parse_period,
)
from portal.reporting.published import shown_feedback
from portal.reporting.returns import TARGET_PCT, Filters
from portal.reporting.tables import comments_table, feedback_table
from portal.reporting.views import (
    invitation_list,
    invitation_table,
    participation_screen,
    returns_screen,
)
from portal.rules.dates import today
from portal.rules.participation import CODE_LABELS
from portal.rules.roles import REVIEW_KIND_LABELS
from portal.staff import audit
from portal.staff.access import sees_everything, staff_required
from portal.web.admin import bp
from portal.web.admin.query import QueryError, query_int

FORMATS = ("csv", "xlsx")


def _iros() -> list[StaffUser]:
    return list(
        db.session.execute(
            db.select(StaffUser).where(StaffUser.role == "iro").order_by(StaffUser.email)
        ).scalars()
    )


def _period(default: Period | None = None) -> tuple[Period, str | None]:
    text = request.args.get("period", "").strip()
    fallback = default or financial_year(fy_start_year(today()))
    if not text:
        return fallback, None
    try:
        return parse_period(text), None
    except PeriodError as error:
        return fallback, str(error)


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name) or None
    return value if value in allowed else None


def _own_iro() -> int | None:
    return None if sees_everything(current_user) else current_user.id


def _return_filters() -> Filters:
    return Filters(
        stage=_choice("stage", STAGES),
        iro_id=query_int("iro") if sees_everything(current_user) else None,
        channel=_choice("channel", CHANNELS),
        language=_choice("language", tuple(current_app.config["LANGUAGES"])),
        review_kind=_choice("review_kind", REVIEW_KINDS),
        own_iro_id=_own_iro(),
    )


def _iro_shown() -> str | None:
    """Whose reviews an export counts, in words (an IRO's own, one IRO's, or everyone's)."""
    if not sees_everything(current_user):
        return f"{current_user.display_name} (own reviews only)"
    iro_id = query_int("iro")
    user = db.session.get(StaffUser, iro_id) if iro_id is not None else None
    return user.display_name if user else None


def _heading(title: str, period: Period, **filters: str | None) -> list[str]:
    """An export's first lines: what it is, its period, and every filter (chosen or "all")."""
    described = "; ".join(
        f"{name.replace('_', ' ')}: {value or 'all'}" for name, value in filters.items()
    )
    publication = request.args.get("publication") == "1"
    return [
        f"{title}, {period.label} ({period.start.isoformat()} to {period.end.isoformat()})",
        f"Filters: {described}",
        "For publication: counts of 1 to 4 shown as <5" if publication else "Not for publication",
    ]


def _return_heading(title: str, period: Period, filters: Filters) -> list[str]:
    return _heading(
        title, period, IRO=_iro_shown(), stage=filters.stage, review_kind=filters.review_kind,
        channel=filters.channel,
        language=staff_language_name(filters.language) if filters.language else None,
    )  # fmt: skip


def _export(
    tables: list[ExportTable], name: str, fmt: str, heading: list[str], **detail: Any
) -> Response:
    audit.record("report_exported", None, report=name, format=fmt, filters=heading[1], **detail)
    db.session.commit()
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes(tables, heading), XLSX_MIMETYPE
    else:
        body, mimetype = csv_bytes(tables, heading), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _common() -> dict[str, Any]:
    iros = _iros() if sees_everything(current_user) else []
    return {
        "iro_options": [
            (user.id, user.display_name + ("" if user.active else _(" (inactive)")))
            for user in iros
        ],
        "channel_options": [(value, value) for value in CHANNELS],
        "stage_options": [(value, value) for value in STAGES],
        "language_options": [
            (value, staff_language_name(value)) for value in current_app.config["LANGUAGES"]
        ],
        "kinds": REVIEW_KINDS,
        "kind_options": [(kind, REVIEW_KIND_LABELS[kind]) for kind in REVIEW_KINDS],
        "target": TARGET_PCT,
        "publication": request.args.get("publication") == "1",
        "args": request.args,
    }


@bp.get("/reports/returns")
@staff_required()
def report_returns() -> Any:
    """Return rates by role x review kind, year on year, with charts and exports."""
    period, error = _period()
    filters = _return_filters()
    publication = request.args.get("publication") == "1"
    screen = returns_screen(period, filters, publication)
    fmt = request.args.get("format")
    if fmt in FORMATS and not error:
        heading = _return_heading("Return rates", period, filters)
        return _export(screen.export_tables(publication), f"return-rates-{period.start}",
                       fmt, heading, publication=publication)  # fmt: skip
    page = render_template(
        "admin/reports/returns.html", screen=screen, error=error, filters=filters, **_common()
    )
    return (page, 400) if error else page


@bp.get("/reports/returns/invitations")
@staff_required(*ADMIN_ROLES)
def report_invitations() -> Any:
    """The invitations behind one figure of the return-rates table."""
    period, error = _period()
    if error:
        raise QueryError(error)
    role = _choice("role", ROLES)
    kind = _choice("review_kind", REVIEW_KINDS)
    filters = _return_filters()
    rows = invitation_list(period, filters, role, kind)
    fmt = request.args.get("format")
    if fmt in FORMATS:
        scope = f"{role or 'all roles'}, {kind or 'all review kinds'}"
        table = invitation_table(
            rows, f"Forms sent {period.label}",
            lambda review_id: url_for("admin.review", review_id=review_id, _external=True),
        )  # fmt: skip
        heading = _return_heading(f"Forms sent: {scope}", period, filters)
        return _export([table], f"forms-sent-{period.start}", fmt, heading, role=role, kind=kind)
    return render_template(
        "admin/reports/invitations.html", period=period, rows=rows, role=role, kind=kind,
        **_common(),
    )  # fmt: skip


def _feedback_forms() -> list[Any]:
    forms = list(catalogue())
    return sorted(forms, key=lambda form: (form.stage != "feedback", form.key))


@bp.get("/reports/feedback")
@staff_required()
def report_feedback() -> Any:
    """Answers to one form in a period: counts and percentages per option, scale, comments."""
    forms = _feedback_forms()
    period, error = _period()
    filters = FeedbackFilters(
        iro_id=query_int("iro") if sees_everything(current_user) else None,
        own_iro_id=_own_iro(),
        review_kind=_choice("review_kind", REVIEW_KINDS),
        source=_choice("source", RESPONSE_SOURCES),
        age_band=_choice("age_band", FEEDBACK_AGE_BANDS),
    )
    # With no form chosen, open on the one people answered most in the period.
    chosen = request.args.get("form") or busiest_form(period, filters) or ""
    form = catalogue().get(chosen) or (forms[0] if forms else None)
    if form is None:
        abort(404)
    results = feedback_results(form, period, filters)
    publication = request.args.get("publication") == "1"
    labels = {q.key: q.label for q in form.questions}
    fmt = request.args.get("format")
    if fmt in FORMATS and not error:
        tables = [feedback_table(results, publication, f"{form.key} {period.label}", form)]
        if not publication:
            said = [{**c, "question": labels.get(c["question"], c["question"])}
                    for c in comments(form, period, filters)]  # fmt: skip
            tables.append(comments_table(said))
        heading = _heading(
            f"Feedback results: {form.title} ({form.key})", period, IRO=_iro_shown(),
            review_kind=filters.review_kind, age_band=filters.age_band, channel=filters.source,
        )  # fmt: skip
        return _export(tables, f"feedback-{form.key}-{period.start}", fmt, heading,
                       form=form.key, publication=publication, comments=not publication)  # fmt: skip
    listed = comments(form, period, filters, limit=200)
    if listed:
        audit.record("report_comments_viewed", None, form=form.key, count=len(listed))
        db.session.commit()
    previous = period.year_before()
    page = render_template(
        "admin/reports/feedback.html", form=form, forms=forms, period=period, previous=previous,
        results=shown_feedback(results, publication),
        before=_by_option(shown_feedback(feedback_results(form, previous, filters), publication)),
        comments=listed, error=error, questions={q.key: q for q in form.questions},
        source_options=[(source, source.replace("_", " ")) for source in RESPONSE_SOURCES],
        band_options=[(band, band) for band in FEEDBACK_AGE_BANDS],
        **_common(),
    )  # fmt: skip
    return (page, 400) if error else page


def _by_option(shown: dict[str, Any]) -> dict[str, Any]:
    """A year earlier's results by (question, option or band) key, for the comparison column."""
    found: dict[Any, Any] = {"responses": shown["responses"]}
    for question in shown["questions"]:
        found[question["key"]] = question
        for item in question.get("options", []) + question.get("bands", []):
            found[(question["key"], item["key"])] = item
    return found


@bp.get("/reports/monthly")
@staff_required()
def report_monthly() -> Any:
    """One IRO's (or the team's) month-by-month figures for a financial year, for team meetings."""
    period, error = _period()
    if period.kind != "year" and not error:
        error = _("Choose a financial year, like 2016/17")
        period = financial_year(fy_start_year(period.start))
    iro_id = query_int("iro") if sees_everything(current_user) else current_user.id
    rows = monthly_view(period, iro_id)
    fmt = request.args.get("format")
    publication = request.args.get("publication") == "1"
    if fmt in FORMATS and not error:
        table = rows.export(publication)
        heading = _heading("Monthly figures", period, IRO=_iro_shown())
        return _export([table], f"monthly-{period.start}", fmt, heading, publication=publication)
    page = render_template(
        "admin/reports/monthly.html", period=period, rows=rows.shown(publication), iro_id=iro_id,
        error=error,
        **_common(),
    )  # fmt: skip
    return (page, 400) if error else page


@bp.get("/reports/participation")
@staff_required()
def report_participation() -> Any:
    """How children took part in the reviews held in a period, year on year, by IRO."""
    period, error = _period()
    filters = ParticipationFilters(
        kind=_choice("kind", REVIEW_KINDS),
        # An IRO's own reviews only, whatever the query string says (the iro filter is ignored).
        iro_id=query_int("iro") if sees_everything(current_user) else None,
        own_iro_id=_own_iro(),
    )
    publication = request.args.get("publication") == "1"
    screen = participation_screen(period, filters, publication)
    fmt = request.args.get("format")
    if fmt in FORMATS and not error:
        kind = REVIEW_KIND_LABELS[filters.kind] if filters.kind else None
        heading = _heading("Participation", period, IRO=_iro_shown(), review_kind=kind)
        return _export(screen.export_tables(), f"participation-{period.start}", fmt, heading,
                       publication=publication)  # fmt: skip
    page = render_template(
        "admin/reports/participation.html", screen=screen, error=error, code_labels=CODE_LABELS,
        **_common(),
    )  # fmt: skip
    return (page, 400) if error else page
