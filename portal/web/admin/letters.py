"""Letters to print (one A4 page each) and the meeting QR code shown in the room."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.crypto.tokens import hash_token
from portal.delivery import letters
from portal.delivery.qr import qr_svg
from portal.extensions import db
from portal.models import WRITE_ROLES, MeetingQR, utcnow
from portal.rules.dates import today
from portal.rules.meeting_qr import create_meeting_qr
from portal.staff import audit
from portal.staff.access import get_invitation_or_404, get_review_or_404, staff_required
from portal.web.admin import bp
from portal.web.admin.forms import CHANNEL_LABELS, MeetingQRForm
from portal.web.admin.helpers import saved


def _print_page(chosen: list, back_url: str, *, paper_forms: bool = False) -> str:
    built = letters.build(chosen, paper_forms=paper_forms)
    # Laid out before the commit, which would expire every invitation and make the page load
    # each one again (a query a letter); the page is only returned once the links are saved.
    page = render_template(
        "letters/print.html", letters=built, back_url=back_url, paper_forms=paper_forms
    )
    db.session.commit()
    return page


@bp.get("/letters")
@staff_required(*WRITE_ROLES)
def letters_due() -> str:
    """Postal and by-hand invitations due by the end of this week, ready to print together."""
    due = letters.due_this_week(current_user, today())
    return render_template("admin/letters_due.html", invitations=due, channel_labels=CHANNEL_LABELS)


@bp.post("/letters/print-due")
@staff_required(*WRITE_ROLES)
def letters_print_due() -> str:
    """Print every postal and by-hand invitation due this week (each gets a fresh link), with
    a paper form after each letter when that button was pressed."""
    due = letters.due_this_week(current_user, today())
    paper_forms = request.form.get("with") == "paper_forms"
    return _print_page(due, url_for("admin.letters_due"), paper_forms=paper_forms)


@bp.post("/reviews/<int:review_id>/letters")
@staff_required(*WRITE_ROLES)
def review_letters(review_id: int) -> str:
    """Print a review's letters (post, by hand and QR invitations)."""
    review = get_review_or_404(review_id, current_user)
    chosen = letters.for_review(current_user, review.id)
    return _print_page(chosen, url_for("admin.review", review_id=review.id))


@bp.post("/invitations/<int:invitation_id>/letter")
@staff_required(*WRITE_ROLES)
def invitation_letter(invitation_id: int) -> str:
    """Print one invitation's letter (any channel: e.g. to hand over in person)."""
    invitation = get_invitation_or_404(invitation_id, current_user)
    if not invitation.can_print_letter:
        abort(409)
    return _print_page([invitation], url_for("admin.review", review_id=invitation.review_id))


@bp.post("/invitations/<int:invitation_id>/paper-form")
@staff_required(*WRITE_ROLES)
def invitation_paper_form(invitation_id: int) -> str:
    """Print one invitation's letter followed by its paper form, for a family without a phone."""
    invitation = get_invitation_or_404(invitation_id, current_user)
    if not invitation.can_print_letter:
        abort(409)
    back = url_for("admin.review", review_id=invitation.review_id)
    return _print_page([invitation], back, paper_forms=True)


@bp.post("/reviews/<int:review_id>/meeting-qr")
@staff_required(*WRITE_ROLES)
def meeting_qr_create(review_id: int) -> str | Response | tuple[str, int]:
    """Make a QR code for the people in the meeting room (held reviews only)."""
    review = get_review_or_404(review_id, current_user)
    if not review.can_show_meeting_qr:
        saved(_("Mark the review as held first, then show the meeting QR code."))
        return redirect(url_for("admin.review", review_id=review.id))
    form = MeetingQRForm()
    if not form.validate_on_submit():
        from portal.web.admin.reviews import review_context

        return render_template(
            "admin/review.html", **review_context(review) | {"qr_form": form}
        ), 400
    raw = create_meeting_qr(
        review,
        created_by=current_user,
        max_responses=form.max_responses.data,
    )
    meeting_qr = db.session.execute(
        db.select(MeetingQR).where(MeetingQR.token_hash == hash_token(raw))
    ).scalar_one()
    audit.record("meeting_qr_created", meeting_qr, review_id=review.id,
                 max_responses=meeting_qr.max_responses)  # fmt: skip
    url = f"{current_app.config['PORTAL_BASE_URL']}/m/{raw}"
    db.session.commit()
    return render_template(
        "admin/meeting_qr.html",
        review=review,
        meeting_qr=meeting_qr,
        url=url,
        qr=qr_svg(url, _("QR code for feedback on this meeting")),
        expires_on=(meeting_qr.expires_at - dt.timedelta(seconds=1)).date(),
    )


@bp.post("/meeting-qr/<int:meeting_qr_id>/revoke")
@staff_required(*WRITE_ROLES)
def meeting_qr_revoke(meeting_qr_id: int) -> Response:
    """Stop a meeting QR code working."""
    meeting_qr = db.session.get(MeetingQR, meeting_qr_id)
    if meeting_qr is None:
        abort(404)
    get_review_or_404(meeting_qr.review_id, current_user)
    meeting_qr.revoked_at = meeting_qr.revoked_at or utcnow()
    audit.record("meeting_qr_revoked", meeting_qr)
    db.session.commit()
    saved(_("Meeting QR code revoked."))
    return redirect(url_for("admin.review", review_id=meeting_qr.review_id))
