"""Forgotten password: an emailed single-use link that works for an hour."""

from __future__ import annotations

import contextlib

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.crypto.passwords import password_problem
from portal.delivery import mail
from portal.extensions import db, limiter
from portal.models import StaffUser
from portal.staff import users
from portal.web.auth import bp, staff_email_field


class ResetRequestForm(FlaskForm):
    email = staff_email_field()


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password")), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Confirm new password"),
        validators=[
            DataRequired(_l("Enter the new password again")),
            EqualTo("password", _l("The passwords do not match")),
        ],
    )


def send_reset_email(user: StaffUser, token: str, *, welcome: bool = False) -> None:
    """Email a set-password link (for a forgotten password, or a new account)."""
    url = f"{current_app.config['PORTAL_BASE_URL']}/auth/reset/{token}"
    context = {"user": user, "url": url, "minutes": users.RESET_MINUTES, "welcome": welcome}
    mail.send(
        mail.Mail(
            to=[user.email],
            subject=_("Set your password for Review voice"),
            text=render_template("email/password_reset.txt", **context),
            html=render_template("email/password_reset.html", **context),
            kind="password_reset",
        )
    )


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def reset_request() -> str | tuple[str, int]:
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = users.find_by_email(form.email.data)
        if user is not None and user.active:
            token = users.start_reset(user)
            db.session.commit()
            # Same answer either way; mail.send logs a failure (without the address).
            with contextlib.suppress(mail.MailError):
                send_reset_email(user, token)
        return render_template("auth/reset_sent.html")
    return render_template("auth/reset_request.html", form=form), (400 if form.errors else 200)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a new password with a reset link (once)."""
    reset = users.valid_reset(token)
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, (reset.user.email, reset.user.name))
        if problem:
            form.password.errors.append(problem)
        elif users.complete_reset(reset, form.password.data):
            db.session.commit()
            flash(_("Your password has been changed. Sign in with your new password."))
            return redirect(url_for("auth.sign_in"))
        else:
            return render_template("auth/reset_invalid.html"), 404
    return render_template("auth/reset_password.html", form=form), (400 if form.errors else 200)
