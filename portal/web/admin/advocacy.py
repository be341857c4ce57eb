"""Advocacy requests as the IRO acts on them: see one, record the date it was referred on.

Who may see which request is `portal.rules.advocacy` (an IRO: their own reviews'); managers
read, admins and IROs act (WRITE_ROLES). The lists are on the home page and the review's digest.
"""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.models import WRITE_ROLES
from portal.rules import advocacy, settings
from portal.rules.dates import today
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.forms import DateInput, free_text, parse_date
from portal.web.admin.helpers import keep_if

REFERRED_ON = _l("Date referred to the advocacy service")


class ReferralForm(FlaskForm):
    referred_on = StringField(
        REFERRED_ON,
        validators=[
            DataRequired(_l("Enter the date you referred them to the advocacy service")),
            DateInput(REFERRED_ON, not_future=True),
        ],
    )
    note = TextAreaField(_l("Note (optional)"), validators=[free_text, Length(max=2000)])


def _page(line: advocacy.RequestLine, form: ReferralForm) -> str:
    return render_template(
        "admin/advocacy_request.html",
        line=line,
        form=form,
        service=settings.advocacy_service(),
    )


@bp.get("/advocacy/<int:request_id>")
@staff_required()
def advocacy_request(request_id: int) -> str:
    """One request: who asked, on which form, and (if still open) the referral form."""
    line = advocacy.get_request_or_404(request_id, current_user)
    return _page(line, ReferralForm(formdata=None, referred_on=today().isoformat()))


@bp.post("/advocacy/<int:request_id>/referred")
@staff_required(*WRITE_ROLES)
def advocacy_referred(request_id: int) -> str | Response | tuple[str, int]:
    """Record that the young person was referred to the advocacy service on a date (once)."""
    line = advocacy.get_request_or_404(request_id, current_user)
    form = ReferralForm()
    if form.validate_on_submit():
        referred_on = parse_date(form.referred_on.data)
        if referred_on is not None and not advocacy.referral_date_problem(
            line.request, referred_on, today()
        ):
            keep_if(
                advocacy.record_referral(line.request, current_user, referred_on, form.note.data),
                saved_message=_("Referral recorded."),
                unchanged_message=_("Someone had already recorded a referral for this request."),
            )
            return redirect(url_for("admin.advocacy_request", request_id=request_id))
        asked = line.request.created_at.strftime("%d/%m/%Y")
        message = _("The date referred must be on or after the day they asked (%(day)s)", day=asked)
        form.referred_on.errors.append(message)
    return _page(line, form), 400
