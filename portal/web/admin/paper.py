"""Keying in a paper form's answers (business support), through the form's own pages."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.languages.i18n import current_language
from portal.models import ADMIN_ROLES, HELPED_BY
from portal.questionnaires import catalogue, engine
from portal.questionnaires.engine import answers_as_formdata
from portal.rules.dates import today
from portal.rules.paper import paper_screens, store_paper_response, validate_paper
from portal.rules.responses import HELPED_BY_LABELS
from portal.rules.text import without_control_characters
from portal.staff.access import get_invitation_or_404, staff_required
from portal.web.admin import bp
from portal.web.admin.forms import PaperReturnForm, parse_date
from portal.web.admin.helpers import saved


@bp.route("/invitations/<int:invitation_id>/paper-answers", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def invitation_paper_answers(invitation_id: int) -> str | Response | tuple[str, int]:
    """Type in the answers from a returned paper form; stored as a paper response."""
    invitation = get_invitation_or_404(invitation_id, current_user)
    definition = catalogue().get(invitation.form_key)
    if definition is None or not invitation.can_key_in_paper_answers:
        abort(409)
    date_form = PaperReturnForm()
    if request.method == "GET":
        date_form.returned_on.data = (invitation.returned_at.date() if invitation.returned_at
                                      else today()).isoformat()  # fmt: skip
    errors: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    helped_by = request.form.get("helped_by") or None
    if request.method == "POST":
        answers, errors = validate_paper(definition, request.form)
        values = {
            key: [without_control_characters(value) for value in request.form.getlist(key)]
            for key in request.form
        }
        date_ok = date_form.validate_on_submit()
        if helped_by not in (None, *HELPED_BY):
            errors["helped_by"] = _("Choose who filled in the form")
        if date_ok and not errors:
            stored = store_paper_response(
                invitation, definition, answers, returned_on=parse_date(date_form.returned_on.data),
                entered_by=current_user, helped_by=helped_by,
            )  # fmt: skip
            saved(
                _("Paper answers saved.")
                if stored
                else _("This form already has answers, so nothing was saved.")
            )
            return redirect(url_for("admin.review", review_id=invitation.review_id))
        values = values or answers_as_formdata(engine(), definition, None, answers)
    sections = [
        (screen, engine().views(definition, screen, None, current_language()))
        for screen in paper_screens(definition)
    ]
    error_items = [(f"q-{key}", message) for key, message in errors.items()]
    error_items += [(name, messages) for name, messages in date_form.errors.items()]
    return render_template(
        "admin/paper_answers.html", invitation=invitation, definition=definition,
        sections=sections, values=values, errors=errors, error_items=error_items,
        date_form=date_form, helped_by=helped_by, helped_by_labels=HELPED_BY_LABELS,
    ), (400 if error_items else 200)  # fmt: skip
