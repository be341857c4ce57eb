"""The second factor: a 6-digit code from an authenticator app (TOTP)."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal.delivery.qr import qr_svg
from portal.extensions import db, limiter
from portal.models import StaffUser
from portal.staff import audit, users
from portal.web.auth import PENDING, bp, complete_sign_in

SETUP_SECRET = "totp_setup_secret"  # noqa: S105 - a session key name, not a secret


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[DataRequired(_l("Enter the 6-digit code")), Length(max=12)],
    )


class ReplaceForm(CodeForm):
    """Replacing an authenticator: a code from the one in use proves the phone is yours."""

    current_code = StringField(
        _l("Code from the authenticator app you use now"),
        validators=[
            DataRequired(_l("Enter the 6-digit code from your current app")),
            Length(max=12),
        ],
    )


def _pending_user() -> StaffUser | None:
    raw = session.get(PENDING) or ""
    user_id, _sep, version = raw.partition(":")
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def two_factor() -> str | Response | tuple[str, int]:
    """Second step of signing in: the code from the authenticator app."""
    user = _pending_user()
    if user is None or not user.has_authenticator:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if users.is_locked(user):
            form.code.errors.append(_("This account is locked. Wait, then sign in again."))
        elif users.verify_totp(user, form.code.data):
            return complete_sign_in(user, session.get("pending_next"))
        else:
            users.register_failure(user)
            audit.record("second_factor_failed", user, actor=None)
            db.session.commit()
            form.code.errors.append(_("Enter the code your authenticator app shows now"))
    status = 400 if form.errors else 200
    return render_template("auth/two_factor.html", form=form), status


def _setup_user() -> tuple[StaffUser | None, bool]:
    """Who is setting up an authenticator, and whether they are fully signed in."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), True  # type: ignore[attr-defined]
    return _pending_user(), False


def _current_code_problem(user: StaffUser, form: ReplaceForm) -> str | None:
    """Why the code from the authenticator in use does not allow replacing it, or None."""
    if users.verify_totp(user, form.current_code.data):
        return None
    users.register_failure(user)
    audit.record("second_factor_failed", user, actor=user)
    db.session.commit()
    return _("Enter the code your current authenticator app shows now")


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def two_factor_setup() -> str | Response | tuple[str, int]:
    """Set up an authenticator app (signed in, or part-way through a required sign-in).

    Part-way through signing in, an account that has an authenticator must use it: set-up is
    never offered, or a stolen password would be enough to replace it.
    """
    user, signed_in = _setup_user()
    if user is None:
        return redirect(url_for("auth.sign_in"))
    if not signed_in and user.has_authenticator:
        return redirect(url_for("auth.two_factor"))
    secret = session.get(SETUP_SECRET) or users.new_totp_secret()
    session[SETUP_SECRET] = secret
    form = ReplaceForm() if user.has_authenticator else CodeForm()
    if form.validate_on_submit():
        step = users.matching_step(secret, form.code.data)
        # The new app's code first: a typo there must not use up the current app's code.
        if step is None:
            form.code.errors.append(_("Enter the code your authenticator app shows now"))
        elif isinstance(form, ReplaceForm) and (problem := _current_code_problem(user, form)):
            form.current_code.errors.append(problem)
        else:
            users.set_up_totp(user, secret, step)
            session.pop(SETUP_SECRET, None)
            db.session.commit()
            if signed_in:
                flash(
                    _(
                        "Your authenticator app is set up. You will need a code each time you sign in."
                    )
                )
                return redirect(url_for("admin.dashboard"))
            return complete_sign_in(user, session.get("pending_next"))
    uri = users.totp_uri(secret, user.email)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        qr=qr_svg(uri, _("QR code to scan with your authenticator app")),
        secret=secret,
    ), (400 if form.errors else 200)
