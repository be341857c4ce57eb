"""Staff sign in and out, with lockout after repeated failures and an optional second factor."""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from portal.crypto.passwords import verify_password
from portal.extensions import db, limiter, login_manager
from portal.models import StaffUser
from portal.staff import audit, users
from portal.staff import sessions as staff_sessions

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
    """Configure Flask-Login: sessions end on sign-out, when idle, on deactivation or a new password."""
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
        # The cookie must also name a live server-side session.
        return user if staff_sessions.is_live(user) else None


# A path on this site: printable ASCII only, so no tab, newline, space or look-alike character
# that a browser would drop or fold into "//evil.example".
_PLAIN_PATH = re.compile(r"/[!-~]{0,2000}")


def _is_same_site_path(target: str) -> bool:
    if not _PLAIN_PATH.fullmatch(target):
        return False
    for form in (target, unquote(target)):
        if form.startswith("//") or "\\" in form:
            return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str:
    """Only follow a `next` that is a path on this site; anything else goes to the dashboard."""
    if target and _is_same_site_path(target):
        return target
    return url_for("admin.dashboard")


def _email_key() -> str:
    """Rate-limit key: the address being tried (slows guessing at one account from many IPs).

    Keyed-hashed, because Flask-Limiter logs the key when a limit is hit and stores it in Redis:
    neither may hold a staff email address.
    """
    address = (request.form.get("email") or "").strip().lower()[:254]
    secret = current_app.secret_key
    key = secret if isinstance(secret, bytes) else str(secret).encode()
    digest = hmac.new(key, address.encode(), hashlib.sha256)
    return "sign-in:" + digest.hexdigest()[:32]


def complete_sign_in(user: StaffUser, next_url: str | None) -> Response:
    """Start the user's session (after password and, if set up, second factor)."""
    session.clear()
    session.permanent = True
    staff_sessions.start(user)
    login_user(user)
    users.register_success(user)
    audit.record("sign_in", user, actor=user)
    db.session.commit()
    return redirect(safe_next(next_url))


def begin_second_step(user: StaffUser, next_url: str | None) -> Response:
    """Password accepted: ask for the authenticator code, or to set one up if one is required."""
    session.clear()
    session[PENDING] = f"{user.id}:{user.session_version}"
    session["pending_next"] = safe_next(next_url)
    if user.has_authenticator:
        return redirect(url_for("auth.two_factor"))
    return redirect(url_for("auth.two_factor_setup"))


def _refuse(form: SignInForm) -> tuple[str, int]:
    """One answer for an unknown address, a wrong password and a locked account (ADR 0042)."""
    form.email.errors.append(
        _("Enter a correct email address and password. After %(count)d wrong attempts an "
          "account is locked for %(minutes)d minutes: wait, or reset your password.",
          count=users.MAX_FAILED_LOGINS, minutes=users.LOCK_MINUTES)
    )  # fmt: skip
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
    # One full argon2 verification whoever asks, so timing tells no one who has an account.
    password_ok = verify_password(user.password_hash if user else None, form.password.data)
    if user is not None and users.is_locked(user):
        audit.record("sign_in_refused_locked", user, actor=None)
    elif user is not None and user.active and password_ok:
        if users.needs_second_step(user):
            return begin_second_step(user, request.args.get("next"))
        return complete_sign_in(user, request.args.get("next"))
    else:
        if user is not None:
            users.register_failure(user)
        audit.record("sign_in_failed", user, actor=None)
    db.session.commit()
    return _refuse(form)


@bp.post("/sign-out")
@login_required
def sign_out() -> Response:
    """Sign out and forget the session."""
    audit.record("sign_out")
    staff_sessions.end_this()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))


from portal.web.auth import reset, second_factor  # noqa: E402,F401  (routes register on bp)
