"""The Settings screen (business support): values the whole portal uses, e.g. the advocacy service.

Which settings exist, how they are checked and kept is `portal.rules.settings`; this module only
builds the form from that list, so a new group of settings needs no change here.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField, TextAreaField
from wtforms.validators import StopValidation

from portal.extensions import db
from portal.models import ADMIN_ROLES
from portal.rules import settings
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.forms import SingleLine
from portal.web.admin.helpers import saved

INPUT_TYPES = {"text": "text", "phone": "tel", "url": "url", "email": "email", "address": ""}
AUTOCOMPLETE = {
    "text": "organization", "phone": "tel", "url": "url", "email": "email", "address": "",
}  # fmt: skip


class _Rule:
    """Validator: the setting's own rule (portal.rules.settings.problem), after trimming."""

    def __init__(self, spec: settings.SettingSpec) -> None:
        self.spec = spec

    def __call__(self, form: Any, field: Any) -> None:
        field.data = settings.clean(field.data, self.spec.kind)
        message = settings.problem(self.spec, field.data)
        if message:
            raise StopValidation(message)


def _field(spec: settings.SettingSpec) -> Any:
    # An address has lines (its own rule checks each); every other setting is one line.
    if spec.kind == "address":
        return TextAreaField(spec.label, validators=[_Rule(spec)])
    return StringField(spec.label, validators=[SingleLine(spec.label), _Rule(spec)])


def _settings_form_class() -> type[FlaskForm]:
    """One text field per declared setting, named by its key."""
    fields = {spec.key: _field(spec) for spec in settings.SETTINGS}
    return type("SettingsForm", (FlaskForm,), fields)


SettingsForm = _settings_form_class()


def _page(form: FlaskForm) -> str:
    return render_template(
        "admin/settings.html",
        form=form,
        groups=settings.groups(),
        input_types=INPUT_TYPES,
        autocomplete=AUTOCOMPLETE,
    )


@bp.route("/settings", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def settings_page() -> str | Response | tuple[str, int]:
    """See and change the team-wide settings; every change is audited (keys only)."""
    if request.method == "GET":
        return _page(SettingsForm(formdata=None, data=settings.values()))
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(form), 400
    changed = settings.save({spec.key: form[spec.key].data for spec in settings.SETTINGS})
    db.session.commit()
    saved(_("Settings saved.") if changed else _("Nothing was changed."))
    return redirect(url_for("admin.settings_page"))
