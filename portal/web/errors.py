"""Friendly error pages: every error a user can cause gets a clear page and a 4xx, never a trace."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db
from portal.web.security import redact

log = logging.getLogger(__name__)

ERROR_TEXT = {
    400: (_l("Something went wrong with that request"),
          _l("The page could not use what was sent. Go back, check your answers and try again.")),
    403: (_l("You cannot see this page"),
          _l("You do not have permission to see this page.")),
    404: (_l("Page not found"),
          _l("If you typed the web address, check it is correct. "
             "If you followed a link, ask the person who sent it for a new one.")),
    405: (_l("That did not work"),
          _l("This page cannot be used that way. Go back and try again.")),
    413: (_l("That was too much to send"),
          _l("What you sent was too long. Make your answer shorter and try again.")),
    429: (_l("Please wait and try again"),
          _l("There have been too many tries from your connection. Wait a few minutes, "
             "then try again.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Try again later. Your saved answers have not been lost.")),
}  # fmt: skip

CSRF_TEXT = (
    _l("Your page timed out"),
    _l("For your security, we could not accept that. Go back, reload the page and try again."),
)


def _frames(error: BaseException) -> list[str]:
    """Where an exception came from (file:line function), without its message or locals."""
    return [
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    ]


STAFF_PREFIXES = ("/admin/", "/auth/")


def _in_team_workspace() -> bool:
    """A signed-in member of staff on a team page keeps the team's layout and navigation."""
    return request.path.startswith(STAFF_PREFIXES) and current_user.is_authenticated


def _shows_team_contact(status: int) -> bool:
    """A family stuck on a public error page (404, 429...) is told how to reach the IRO team.

    Not on a 500: the database may be what failed, and that page must draw without it.
    """
    return status < 500 and not request.path.startswith(STAFF_PREFIXES)


def render_error(status: int, title: str, body: str):
    """Render the error page (the team's or the public one) with a status code."""
    template = "errors/staff_error.html" if _in_team_workspace() else "errors/error.html"
    html = render_template(
        template,
        status=status,
        title=title,
        body=body,
        show_team_contact=_shows_team_contact(status),
    )
    return html, status


def init_app(app: Flask) -> None:
    """Register handlers for every HTTP error and for unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        db.session.rollback()
        return render_error(400, str(CSRF_TEXT[0]), str(CSRF_TEXT[1]))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        db.session.rollback()
        title, body = ERROR_TEXT.get(error.code, ERROR_TEXT[400])
        return render_error(error.code, str(title), str(body))

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        # Log the type and a redacted path only: no request body, no tokens, no answers.
        # Exception messages are left out too: a database error's message quotes the row's values.
        log.error(
            "unhandled %s on %s %s at %s",
            type(error).__name__,
            request.method,
            redact(request.path),
            " <- ".join(reversed(_frames(error))),
        )
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED_ERRORS", False):
            raise error
        title, body = ERROR_TEXT[500]
        return render_error(InternalServerError.code, str(title), str(body))
