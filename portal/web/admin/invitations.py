"""Invitations: prepare for a review, send now, revoke, reissue, extend, record a paper return."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.validators import ValidationError

from portal.delivery.sending import send_due
from portal.extensions import db
from portal.models import ADMIN_ROLES, WRITE_ROLES, Review
from portal.questionnaires import catalogue
from portal.rules import invitations as rules
from portal.rules.dates import today
from portal.rules.roles import is_young_person
from portal.staff import audit
from portal.staff.access import get_invitation_or_404, get_review_or_404, staff_required
from portal.web.admin import bp
from portal.web.admin.forms import (
    EMAIL_MESSAGE,
    NO_ADDRESS_MESSAGE,
    PaperReturnForm,
    PrepareForm,
    RecipientForm,
    language_choices,
    parse_date,
)
from portal.web.admin.helpers import keep_if, saved


def _email_ok(address: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _prepare_form(review: Review, stage: str, extra: list[str]) -> PrepareForm:
    form = PrepareForm()
    if request.method == "GET":
        for proposal in rules.propose(review, stage, extra):
            form.rows.append_entry(
                {
                    "include": proposal.form_key is not None,
                    "role": proposal.role,
                    "form_key": proposal.form_key or "",
                    "recipient_name": proposal.recipient_name,
                    "recipient_email": proposal.recipient_email,
                    "recipient_mobile": proposal.recipient_mobile,
                    "postal_address": proposal.postal_address,
                    "channel": proposal.channel,
                    "language": proposal.language,
                }
            )
    choices = language_choices()
    for row in form.rows:
        row.language.choices = choices
        band = None
        if is_young_person(row.role.data):
            band = rules.proposal_for(review, stage, row.role.data).age_band
        fitting = rules.forms_for(stage, row.role.data or "", review.kind, band)
        row.form_key.choices = [(f.key, f.title) for f in fitting] or [("", _("No form yet"))]
    return form


def _check_rows(form: PrepareForm, review: Review, stage: str) -> bool:
    """Server-side checks the form classes cannot make alone; errors go next to the field."""
    ok = form.validate()
    forms = catalogue()
    languages = {code for code, _label in language_choices()}
    for row in form.rows:
        if not row.include.data:
            continue
        if rules.gets_no_form(review, row.role.data or ""):
            # A crafted or stale POST: the proposal never offers it, the rule refuses it here.
            row.include.errors = [*row.include.errors, under_four_note(review)]
            ok = False
            continue
        definition = forms.get(row.form_key.data or "")
        allowed = {key for key, _title in row.form_key.choices}
        if definition is None or row.form_key.data not in allowed:
            row.include.errors = [*row.include.errors, _("There is no form for this person yet")]
            ok = False
        if row.language.data not in languages:
            row.language.errors = [*row.language.errors, _("Choose a language from the list")]
            ok = False
        email = (row.recipient_email.data or "").strip()
        if rules.lacks_address(row.channel.data, email):
            row.recipient_email.errors = [*row.recipient_email.errors, str(NO_ADDRESS_MESSAGE)]
            ok = False
        elif email and not _email_ok(email):
            row.recipient_email.errors = [*row.recipient_email.errors, str(EMAIL_MESSAGE)]
            ok = False
    if not any(row.include.data for row in form.rows):
        form.form_errors.append(_("Choose at least one person to invite"))
        ok = False
    return ok


def under_four_note(review: Review) -> str:
    """Why the Prepare screen proposes no form for the young person (rules.gets_no_form)."""
    return _(
        "%(name)s is under 4 on the review date: no form of their own; the review will be "
        "coded PN0.",
        name=review.child.first_name,
    )


@bp.route("/reviews/<int:review_id>/invitations/prepare", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def prepare_invitations(review_id: int) -> str | Response | tuple[str, int]:
    """Propose one invitation per participant (the right form, age band, language)."""
    review = get_review_or_404(review_id, current_user)
    stage = rules.stage_for(review)
    if not review.can_invite:
        abort(409)
    extra = [role for role in request.args.getlist("add") if role in rules.EXTRA_ROLES][:5]
    form = _prepare_form(review, stage, extra)
    if request.method == "GET":
        form.drawn_after.data = rules.invitations_mark(review.id, stage)
    else:
        # Held until this request ends: a second press of the button, or a colleague preparing
        # the same review, waits here and then finds the invitations changed (ADR 0078).
        rules.hold_reviews([review.id])
        if form.drawn_after.data != rules.invitations_mark(review.id, stage):
            saved(_("Nothing was added: this review's invitations changed while the Prepare page "
                    "was open (the button pressed twice, or someone else preparing them). They "
                    "are listed below."))  # fmt: skip
            return redirect(url_for("admin.review", review_id=review.id))
        try:
            valid = _check_rows(form, review, stage)
        except ValidationError:
            valid = False
        if valid:
            created = [
                rules.create(
                    review,
                    stage=stage,
                    role=row.role.data,
                    form_key=row.form_key.data,
                    recipient_name=row.recipient_name.data or "",
                    recipient_email=row.recipient_email.data,
                    recipient_mobile=row.recipient_mobile.data,
                    postal_address=row.postal_address.data,
                    language=row.language.data,
                    channel=row.channel.data,
                )
                for row in form.rows
                if row.include.data
            ]
            db.session.flush()
            for invitation in created:
                audit.record("invitation_created", invitation, role=invitation.role,
                             channel=invitation.channel, stage=stage)  # fmt: skip
            db.session.commit()
            saved(_("%(count)d invitations prepared.", count=len(created)))
            return redirect(url_for("admin.review", review_id=review.id))
    errors = [
        (f"{row.id}-{name}", field.errors)
        for row in form.rows
        for name, field in row.form._fields.items()
        if field.errors
    ] + [("rows-0-include", form.form_errors)] * bool(form.form_errors)
    return render_template(
        "admin/prepare.html", form=form, review=review, stage=stage, errors=errors,
        extra_roles=rules.EXTRA_ROLES, forms=catalogue(),
        due=rules.due_date(review, stage),
        under_four=under_four_note(review) if rules.gets_no_form(review, "child") else None,
    ), (400 if errors else 200)  # fmt: skip


@bp.post("/reviews/<int:review_id>/send-now")
@staff_required(*WRITE_ROLES)
def send_now(review_id: int) -> Response:
    """Send this review's due email invitations and reminders now (as `portal send-due` would)."""
    review = get_review_or_404(review_id, current_user)
    report = send_due(today(), review_id=review.id)
    if report.failed:
        saved(_("%(sent)d sent, %(failed)d could not be sent: see below. They will be tried again.",
                sent=report.sent + report.reminded, failed=report.failed))  # fmt: skip
    else:
        saved(_("%(sent)d emails and texts sent.", sent=report.sent + report.reminded))
    return redirect(url_for("admin.review", review_id=review.id))


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def invitation_revoke(invitation_id: int) -> str | Response:
    """Stop an invitation's link working at once, after an "Are you sure?" page.

    Only a POST from that page (carrying confirm=yes) revokes: a stray POST, or a GET, changes
    nothing and shows the page that spells out what revoking does.
    """
    invitation = get_invitation_or_404(invitation_id, current_user)
    if not invitation.can_revoke:
        abort(409)
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("admin/invitation_revoke.html", invitation=invitation)
    rules.revoke(invitation)
    db.session.commit()
    saved(_("Link revoked. It no longer works."))
    return redirect(url_for("admin.review", review_id=invitation.review_id))


@bp.route("/invitations/<int:invitation_id>/reissue", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def invitation_reissue(invitation_id: int) -> str | Response | tuple[str, int]:
    """Revoke the link and issue a new one, e.g. to a corrected email address."""
    invitation = get_invitation_or_404(invitation_id, current_user)
    if not invitation.can_reissue:
        abort(409)
    form = RecipientForm(obj=None if request.method == "POST" else invitation)
    form.language.choices = language_choices()
    if form.validate_on_submit():
        if form.language.data not in {code for code, _label in form.language.choices}:
            form.language.errors = [_("Choose a language from the list")]
        else:
            rules.reissue(
                invitation,
                recipient_name=form.recipient_name.data or "",
                recipient_email=form.recipient_email.data,
                recipient_mobile=form.recipient_mobile.data,
                channel=form.channel.data,
                language=form.language.data,
            )
            db.session.commit()
            saved(_("The old link no longer works. The invitation will go out again: by email "
                    "or text at the next send, or print its letter."))  # fmt: skip
            return redirect(url_for("admin.review", review_id=invitation.review_id))
    status = 400 if form.errors else 200
    return render_template("admin/reissue.html", form=form, invitation=invitation), status


@bp.post("/invitations/<int:invitation_id>/extend")
@staff_required(*WRITE_ROLES)
def invitation_extend(invitation_id: int) -> Response:
    """Let a sent link work for EXTEND_DAYS more days."""
    invitation = get_invitation_or_404(invitation_id, current_user)
    if not invitation.can_extend:
        abort(409)
    rules.extend(invitation)
    db.session.commit()
    saved(_("The link now works for %(days)d more days.", days=rules.EXTEND_DAYS))
    return redirect(url_for("admin.review", review_id=invitation.review_id))


@bp.route("/invitations/<int:invitation_id>/paper-return", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def invitation_paper_return(invitation_id: int) -> str | Response | tuple[str, int]:
    """Record that a form came back on paper (business support)."""
    invitation = get_invitation_or_404(invitation_id, current_user)
    form = PaperReturnForm()
    if request.method == "GET":
        form.returned_on.data = today().isoformat()
    if form.validate_on_submit():
        keep_if(
            rules.record_paper_return(invitation, parse_date(form.returned_on.data)),
            saved_message=_("Recorded as returned on paper."),
            unchanged_message=_("This form had already come back, so nothing was changed."),
        )
        return redirect(url_for("admin.review", review_id=invitation.review_id))
    status = 400 if form.errors else 200
    return render_template("admin/paper_return.html", form=form, invitation=invitation), status
