"""Staff sign in and out, with lockout after repeated failures and an optional second factor."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from .. import audit, users
from ..extensions import db, limiter, login_manager
from ..models import StaffUser
from ..passwords import verify_password

bp = Blueprint("auth", __name__)
PENDING = "pending_sign_in"  # session key: user id and session version awaiting a second factor


def staff_email_field() -> EmailField:
    """The email address field of the sign-in and reset forms."""
    return EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter your email address")),
            Email(_l("Enter an email address in the correct format, like name@example.gov.uk")),
            Length(max=254),
        ],
    )


class SignInForm(FlaskForm):
    email = staff_email_field()
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password")), Length(max=200)]
    )


def init_login(app: Flask) -> None:
    """Configure Flask-Login: sessions end when the user is deactivated or changes password."""
    # Flask-Login's own context processor loads the user for every template; respondent pages never
    # look at it, and loading it ran session protection, which rewrote their cookie on every page.
    login_manager.init_app(app, add_context_processor=False)
    app.context_processor(lambda: {"current_user": current_user})  # the lazy proxy
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> StaffUser | None:
        raw_id, _sep, version = user_id.partition(":")
        if not raw_id.isdigit():
            return None
        user = db.session.get(StaffUser, int(raw_id))
        if user is None or not user.active or str(user.session_version) != version:
            return None
        return user


def safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.dashboard")


def _email_key() -> str:
    """Rate-limit key: the address being tried (slows guessing at one account from many IPs)."""
    return "sign-in:" + (request.form.get("email") or "").strip().lower()[:254]


def complete_sign_in(user: StaffUser, next_url: str | None) -> Response:
    """Start the user's session (after password and, if set up, second factor)."""
    session.clear()
    session.permanent = True
    login_user(user)
    users.register_success(user)
    audit.record("sign_in", user, actor=user)
    db.session.commit()
    return redirect(safe_next(next_url))


def begin_second_step(user: StaffUser, next_url: str | None) -> Response:
    """Password accepted: ask for the authenticator code, or to set one up if everyone must."""
    session.clear()
    session[PENDING] = f"{user.id}:{user.session_version}"
    session["pending_next"] = safe_next(next_url)
    if user.totp_secret:
        return redirect(url_for("auth.two_factor"))
    return redirect(url_for("auth.two_factor_setup"))


def _refuse(form: SignInForm, message: str) -> tuple[str, int]:
    form.email.errors.append(message)
    return render_template("auth/sign_in.html", form=form), 400


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@limiter.limit("10 per 10 minutes", methods=["POST"], key_func=_email_key)
def sign_in() -> str | Response | tuple[str, int]:
    """Sign in with email and password."""
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form), (
            400 if request.method == "POST" else 200
        )
    user = users.find_by_email(form.email.data)
    if user is not None and users.is_locked(user):
        audit.record("sign_in_refused_locked", user, actor=None)
        db.session.commit()
        return _refuse(
            form,
            _("This account is locked after too many failed attempts. Wait %(minutes)d minutes, "
              "or reset your password.", minutes=users.LOCK_MINUTES),
        )  # fmt: skip
    if user is not None and user.active and verify_password(user.password_hash, form.password.data):
        if user.totp_secret or users.totp_required_for_everyone():
            return begin_second_step(user, request.args.get("next"))
        return complete_sign_in(user, request.args.get("next"))
    if user is None:
        verify_password(None, form.password.data)
    locked = users.register_failure(user) if user is not None else False
    audit.record("sign_in_failed", user, actor=None)
    db.session.commit()
    if locked:
        return _refuse(
            form,
            _("This account is locked after too many failed attempts. Wait %(minutes)d minutes, "
              "or reset your password.", minutes=users.LOCK_MINUTES),
        )  # fmt: skip
    return _refuse(form, _("Enter a correct email address and password"))


@bp.post("/sign-out")
@login_required
def sign_out() -> Response:
    """Sign out and forget the session."""
    audit.record("sign_out")
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


from . import reset, second_factor  # noqa: E402,F401  (routes register on bp)
