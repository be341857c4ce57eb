"""Prepare all reviews in the next N weeks, from the dashboard (ADR 0060).

The rule is portal/rules/bulk_prepare.py. An IRO prepares only the reviews they chair, an admin
every review; managers read only. Running it twice is harmless: the second run finds nothing, so
the summary is shown on the POST's own response rather than kept for a redirect.
"""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf

from portal.extensions import db
from portal.models import WRITE_ROLES
from portal.rules.bulk_prepare import MAX_WEEKS, prepare_window
from portal.rules.dates import today
from portal.staff.access import staff_required
from portal.web.admin import bp

DEFAULT_WEEKS = 4


WEEKS = [str(n) for n in range(1, MAX_WEEKS + 1)]


class PrepareAllForm(FlaskForm):
    weeks = SelectField(
        _l("Prepare invitations for all reviews in the next"),
        choices=[
            SelectChoice(n, _l("%(n)s weeks", n=n) if n != "1" else _l("1 week")) for n in WEEKS
        ],
        # WTForms' own "Not a valid choice" does not say what would be.
        validate_choice=False,
        validators=[AnyOf(WEEKS, message=_l("Choose from 1 to %(max)d weeks", max=MAX_WEEKS))],
    )


def prepare_all_form() -> PrepareAllForm:
    """The form, N preset on a GET; a POST without N is refused, not defaulted."""
    form = PrepareAllForm()
    if request.method == "GET":
        form.weeks.data = str(DEFAULT_WEEKS)
    return form


# The dashboard's block (templates/admin/_prepare_all.html) renders the same form.
bp.add_app_template_global(prepare_all_form)


@bp.route("/invitations/prepare-all", methods=["GET", "POST"])
@staff_required(*WRITE_ROLES)
def prepare_all() -> str | tuple[str, int]:
    """Prepare consultation invitations for every review in the next N weeks that has none."""
    form = prepare_all_form()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("admin/prepare_all.html", form=form, summary=None), status
    weeks = int(form.weeks.data or DEFAULT_WEEKS)
    start = today()
    end = start + dt.timedelta(weeks=weeks, days=-1)
    summary = prepare_window(start, end, user=current_user, via="dashboard")
    db.session.commit()
    return render_template(
        "admin/prepare_all.html", form=form, summary=summary, start=start, end=end, weeks=weeks
    )
