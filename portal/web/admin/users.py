"""User management (business support): add, change role, deactivate, second factor setting."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.delivery import mail
from portal.extensions import db
from portal.models import ADMIN_ROLES, StaffUser
from portal.staff import users
from portal.staff.access import staff_required
from portal.web.admin import bp
from portal.web.admin.forms import SecuritySettingsForm, UserEditForm, UserForm
from portal.web.admin.helpers import saved
from portal.web.auth.reset import send_reset_email


def _get_user_or_404(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@staff_required(*ADMIN_ROLES)
def users_list() -> str:
    """Every staff account."""
    found = db.session.execute(
        db.select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name)
    ).scalars()
    settings_form = SecuritySettingsForm(
        formdata=None, require_totp=users.totp_required_for_everyone()
    )
    return render_template(
        "admin/users.html",
        users=list(found),
        settings_form=settings_form,
    )


@bp.route("/users/new", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def user_new() -> str | Response | tuple[str, int]:
    """Add a staff account; they get an email to choose a password."""
    form = UserForm()
    if form.validate_on_submit():
        if users.find_by_email(form.email.data):
            form.email.errors.append(_("An account with this email address already exists"))
        else:
            user = users.create_user(form.email.data, form.name.data, form.role.data)
            token = users.start_reset(user)
            db.session.commit()
            try:
                send_reset_email(user, token, welcome=True)
                saved(_("Account added. They have been emailed a link to choose a password."))
            except mail.MailError:
                saved(
                    _(
                        "Account added, but the email could not be sent. Use 'Send a password link' later."
                    )
                )
            return redirect(url_for("admin.users_list"))
    return render_template("admin/user_form.html", form=form, user=None), (
        400 if form.errors else 200
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@staff_required(*ADMIN_ROLES)
def user_edit(user_id: int) -> str | Response | tuple[str, int]:
    """Change a user's name or role, or deactivate a leaver (their sessions end at once)."""
    user = _get_user_or_404(user_id)
    form = UserEditForm(obj=None if request.method == "POST" else user)
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors.append(_("You cannot remove your own admin access"))
        else:
            users.update_user(
                user, name=form.name.data, role=form.role.data, active=form.active.data
            )
            db.session.commit()
            saved(_("Account saved."))
            return redirect(url_for("admin.users_list"))
    return render_template("admin/user_form.html", form=form, user=user), (
        400 if form.errors else 200
    )


@bp.post("/users/<int:user_id>/password-link")
@staff_required(*ADMIN_ROLES)
def user_password_link(user_id: int) -> Response:
    """Email a user a link to set a new password."""
    user = _get_user_or_404(user_id)
    if not user.active:
        abort(409)
    token = users.start_reset(user)
    db.session.commit()
    try:
        send_reset_email(user, token)
        saved(_("Password link sent."))
    except mail.MailError:
        saved(_("The email could not be sent. Try again later."))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-second-factor")
@staff_required(*ADMIN_ROLES)
def user_reset_second_factor(user_id: int) -> Response:
    """Remove a user's authenticator (lost phone): audited, and set-up is due at next sign-in."""
    user = _get_user_or_404(user_id)
    users.reset_second_factor(user)
    db.session.commit()
    saved(_("Second factor removed. They must set up an authenticator app when they next sign in."))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/settings/security")
@staff_required(*ADMIN_ROLES)
def security_settings() -> Response:
    """Require a second factor for everyone (or not)."""
    form = SecuritySettingsForm()
    if form.validate_on_submit():
        users.set_totp_required(bool(form.require_totp.data))
        db.session.commit()
        saved(_("Security setting saved."))
    return redirect(url_for("admin.users_list"))
