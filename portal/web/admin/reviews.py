"""Reviews: the upcoming list, a review's page, add, edit, held, stood down, re-arrange."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import Field

from portal.extensions import db
from portal.models import ADMIN_ROLES, WRITE_ROLES, MeetingQR, Review, SafeguardingAlert
from portal.rules import participation
from portal.rules.dates import today
from portal.rules.invitations import EXTEND_DAYS, invited_roles, young_persons_form_returned
from portal.rules.meeting_qr import DEFAULT_LIFETIME as MEETING_QR_LIFETIME
from portal.rules.meeting_qr import responses_received
from portal.rules.participation import CODE_LABELS
from portal.rules.reviews import mark_held, mark_stood_down, move_review, upcoming_reviews
from portal.rules.roles import ROLE_LABELS
from portal.staff import audit
from portal.staff.access import get_child_or_404, get_review_or_404, staff_required
from portal.web.admin import bp
from portal.web.admin.forms import (
    HeldForm,
    MeetingQRForm,
    RearrangeForm,
    ReviewForm,
    StandDownForm,
    parse_date,
    parse_time,
)
from portal.web.admin.helpers import conflict, form_page, iro_choices, saved
from portal.web.admin.query import query_int


@bp.get("/reviews")
@staff_required()
def reviews() -> str:
    """Upcoming reviews in the next four weeks, for the team or one IRO."""
    choices = iro_choices()[1:]
    iro_id = query_int("iro")
    if str(iro_id) not in {value for value, _label in choices}:
        iro_id = None  # not an active IRO: the whole team's list
    if not current_user.sees_everything:
        iro_id = None  # an IRO's list is already only theirs
    found = upcoming_reviews(current_user, today=today(), iro_id=iro_id)
    return render_template("admin/reviews.html", reviews=found, iro_choices=choices, iro_id=iro_id)


def _review_form(review: Review | None = None) -> ReviewForm:
    form = ReviewForm(obj=None if request.method == "POST" else review)
    form.iro_id.choices = iro_choices()
    if review is not None and request.method != "POST":
        form.iro_id.data = str(review.iro_id or "")
        form.review_date.data = review.review_date.isoformat()
        form.start_time.data = review.start_time.strftime("%H:%M") if review.start_time else ""
        form.version_id.data = str(review.version_id)
    return form


@bp.route("/children/<int:child_id>/reviews/new", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def review_new(child_id: int) -> str | Response | tuple[str, int]:
    """Add a review for a child."""
    child = get_child_or_404(child_id, current_user)
    form = _review_form()
    if request.method == "GET":
        form.iro_id.data = str(child.iro_id or "")
    if form.validate_on_submit():
        review = Review(
            child=child,
            kind=form.kind.data,
            review_date=parse_date(form.review_date.data),
            start_time=parse_time(form.start_time.data),
            venue=(form.venue.data or "").strip(),
            iro_id=int(form.iro_id.data),
        )
        db.session.add(review)
        db.session.flush()
        audit.record("review_created", review, kind=review.kind)
        db.session.commit()
        if review.review_date < today():
            saved(_("Review added. It has already happened: mark it as held, then prepare its "
                    "feedback invitations."))  # fmt: skip
        else:
            saved(_("Review added. Now prepare the invitations."))
        return redirect(url_for("admin.review", review_id=review.id))
    return form_page("admin/review_form.html", form, child=child, review=None)


def review_context(review: Review) -> dict[str, object]:
    """What the review page shows."""
    meeting_qrs = db.session.execute(
        select(MeetingQR).where(MeetingQR.review_id == review.id).order_by(MeetingQR.id)
    ).scalars()
    alerts = db.session.execute(
        select(SafeguardingAlert).where(SafeguardingAlert.review_id == review.id)
    ).scalars()
    invitations = sorted(
        (inv for inv in review.invitations if inv.meeting_qr_id is None),
        key=lambda inv: (inv.stage != "consultation", inv.id),
    )
    return {
        "review": review,
        "invitations": invitations,
        "meeting_qrs": [(qr, responses_received(qr)) for qr in meeting_qrs],
        "alerts": list(alerts),
        "participation_labels": CODE_LABELS,
        "stand_down_labels": participation.STAND_DOWN_REASON_LABELS,
        "extend_days": EXTEND_DAYS,
        "meeting_qr_days": MEETING_QR_LIFETIME.days,
        "qr_form": MeetingQRForm(formdata=None),
    }


@bp.get("/reviews/<int:review_id>")
@staff_required()
def review(review_id: int) -> str:
    """A review: details, invitations and their state, meeting QR codes, alerts."""
    found = get_review_or_404(review_id, current_user)
    return render_template("admin/review.html", **review_context(found))


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def review_edit(review_id: int) -> str | Response | tuple[str, int]:
    """Change a review; a new date or kind moves its invitations with it."""
    found = get_review_or_404(review_id, current_user)
    form = _review_form(found)
    context = {"form": form, "child": found.child, "review": found}
    if form.validate_on_submit():
        if form.version_id.data != str(found.version_id):
            return conflict("admin/review_form.html", **context)
        found.iro_id = int(form.iro_id.data)
        move_review(
            found,
            parse_date(form.review_date.data),
            start_time=parse_time(form.start_time.data),
            kind=form.kind.data,
            venue=(form.venue.data or "").strip(),
        )
        audit.record("review_changed", found)
        return _save(_("Review saved."), "admin/review_form.html", **context)
    return form_page("admin/review_form.html", **context)


def _save(
    message: str, template: str, review: Review, **context: object
) -> Response | tuple[str, int]:
    """Commit the change to `review` and say so on its page; if someone else saved it first,
    show `template` again with the conflict message."""
    try:
        db.session.commit()
    except StaleDataError:
        return conflict(template, review=review, **context)
    saved(message)
    return redirect(url_for("admin.review", review_id=review.id))


def _held_form(review: Review) -> HeldForm:
    """The mark-held questions for this review: only the codes the child's age allows, the
    suggested code preselected, and the roles invited to this review."""
    child = review.child
    form = HeldForm(formdata=request.form if request.method == "POST" else None)
    form.participation.choices = [
        (code, CODE_LABELS[code])
        for code in participation.allowed_codes(child.date_of_birth, review.review_date)
    ]
    form.attended.choices = [(role, ROLE_LABELS[role]) for role in invited_roles(review)]
    if request.method != "POST":
        form.held_on.data = min(review.review_date, today()).isoformat()
        form.participation.data = participation.suggested_code(
            child.date_of_birth,
            review.review_date,
            attended=False,
            form_returned=young_persons_form_returned(review),
        )
    return form


def _add_error(field: Field, message: str) -> None:
    field.errors = [*field.errors, message]


def _check_held(form: HeldForm, review: Review) -> bool:
    """Every value checked again on the server, against the rules (not the offered choices)."""
    valid = form.validate()
    now = today()
    held_on = parse_date(form.held_on.data)
    if held_on is not None and not form.held_on.errors:
        problem = participation.held_on_problem(held_on, review.review_date, now)
        if problem:
            _add_error(form.held_on, problem)
    if form.participation.data and not form.participation.errors:
        problem = participation.code_problem(
            form.participation.data, review.child.date_of_birth, review.review_date
        )
        if problem:
            _add_error(form.participation, problem)
    if form.chaired.data and form.chaired.data not in {"yes", "no"}:
        _add_error(form.chaired, _("Choose yes or no"))
    offered = {value for value, _label in form.attended.choices}
    if not set(form.attended.data or ()) <= offered:
        _add_error(form.attended, _("Choose who attended from the list"))
    saw_on = parse_date(form.iro_saw_child_on.data)
    if saw_on is not None and held_on is not None and not form.iro_saw_child_on.errors:
        problem = participation.saw_child_problem(saw_on, held_on, now)
        if problem:
            _add_error(form.iro_saw_child_on, problem)
    return valid and not form.errors


@bp.route("/reviews/<int:review_id>/held", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def review_held(review_id: int) -> str | Response | tuple[str, int]:
    """Mark a review held: the date and how the child took part (feedback becomes due)."""
    found = get_review_or_404(review_id, current_user)
    if not found.can_mark_held:
        abort(409)
    form = _held_form(found)
    if request.method == "POST" and _check_held(form, found):
        held_on = parse_date(form.held_on.data)
        assert held_on is not None  # checked above
        mark_held(
            found,
            held_on,
            participation=form.participation.data,
            chaired_by_young_person=form.chaired.data == "yes",
            attended_roles=form.attended.data or [],
            iro_saw_child_on=parse_date(form.iro_saw_child_on.data),
        )
        message = _(
            "Review marked as held. You can now prepare feedback invitations and show the "
            "meeting QR code."
        )
        return _save(message, "admin/review_held.html", form=form, review=found)
    return form_page("admin/review_held.html", form, review=found)


@bp.route("/reviews/<int:review_id>/stood-down", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def review_stood_down(review_id: int) -> str | Response | tuple[str, int]:
    """Stand a review down, saying why (it can be re-arranged to a new date)."""
    found = get_review_or_404(review_id, current_user)
    if not found.can_stand_down:
        abort(409)
    form = StandDownForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        valid = form.validate()
        note = form.note.data or ""
        problem = participation.stand_down_problem(form.reason.data, note)
        if problem and not form.errors:
            _add_error(form.note if form.reason.data == "other" else form.reason, problem)
        if valid and not form.errors:
            mark_stood_down(found, form.reason.data, note)
            message = _(
                "Review stood down. Re-arrange it when a new date is set: its invitations move "
                "with it."
            )
            return _save(message, "admin/review_stand_down.html", form=form, review=found)
    return form_page("admin/review_stand_down.html", form, review=found)


@bp.route("/reviews/<int:review_id>/rearrange", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def review_rearrange(review_id: int) -> str | Response | tuple[str, int]:
    """Give a review a new date; its invitations move with it."""
    found = get_review_or_404(review_id, current_user)
    form = RearrangeForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.version_id.data = str(found.version_id)
    context = {"form": form, "review": found}
    if request.method == "POST" and form.validate():
        if form.version_id.data != str(found.version_id):
            return conflict("admin/review_rearrange.html", **context)
        moved = move_review(
            found, parse_date(form.review_date.data), start_time=parse_time(form.start_time.data)
        )
        message = _("Review re-arranged. %(count)d invitations moved to the new date.", count=moved)
        return _save(message, "admin/review_rearrange.html", **context)
    return form_page("admin/review_rearrange.html", **context)
