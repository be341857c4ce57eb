"""Small helpers shared by the team's screens."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, render_template
from flask_babel import gettext as _

from portal.extensions import db
from portal.models import StaffUser


def iro_choices() -> list[tuple[str, str]]:
    """Active IROs as select choices (ids as strings)."""
    iros = db.session.execute(
        db.select(StaffUser)
        .where(StaffUser.role == "iro", StaffUser.active.is_(True))
        .order_by(StaffUser.name, StaffUser.email)
    ).scalars()
    return [("", _("Choose an IRO"))] + [(str(u.id), u.display_name) for u in iros]


def conflict(template: str, **context: object) -> tuple[str, int]:
    """Someone else saved first: say so and show the form again (409), nothing saved."""
    db.session.rollback()
    message = _("Someone else changed this while you were editing. Reload the page to see "
                "their changes, then make yours again.")  # fmt: skip
    return render_template(template, conflict=message, **context), 409


def form_page(template: str, form: Any, **context: object) -> tuple[str, int]:
    """A page with a form: 400 when the submitted form has errors, else 200."""
    return render_template(template, form=form, **context), (400 if form.errors else 200)


def saved(message: str) -> None:
    """Confirm a change on the next page."""
    flash(message)


def keep_if(done: bool, *, saved_message: str, unchanged_message: str) -> None:
    """Commit a change the rule made, or roll back one it refused, and say which on the next page."""
    if done:
        db.session.commit()
        saved(saved_message)
    else:
        db.session.rollback()
        saved(unchanged_message)


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])
