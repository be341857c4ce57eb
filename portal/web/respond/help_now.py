"""Help one tap away: /r/help (999, Childline, the IRO and the team) and "Tell my IRO I need help".

Every page of a young person's journey links here (base.html, `g.offer_help_now`). The page keeps
the respondent's session as it is; without one it still gives the numbers. Only a young person's
own journey can raise the alert, and a meeting QR journey never shows a name.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, session, url_for

from portal.extensions import limiter
from portal.rules.safeguarding import ask_for_help
from portal.web.respond import bp, journey, pages
from portal.web.respond.journey import LinkState
from portal.web.respond.snapshot import LinkSnapshot

HELP_RATE_LIMIT = "10 per minute"
ASKED_KEY = "asked_for_help"  # the invitation whose young person asked: the thank-you is true


def _asker() -> tuple[LinkState, LinkSnapshot | None]:
    """The young person's link held by this browser (None: nobody we could tell)."""
    state, link = journey.from_session(session)
    if link is None or not journey.is_young_person(link.role):
        return state, None
    return state, link


def _back_to_form(state: LinkState, link: LinkSnapshot | None) -> str | None:
    """Where the form carries on, while it can still be filled in."""
    if link is None or state is not LinkState.OK:
        return None
    current = journey.journey_for(link)
    return pages.place_url(current.router.resume(current.saved_page))


@bp.get("/r/help")
def help_now() -> Any:
    """Who to contact now; a young person can also tell their IRO they need help."""
    state, link = _asker()
    return render_template(
        "respond/help.html",
        iro_name=pages.shown_iro_name(link),
        can_ask=link is not None,
        back_url=_back_to_form(state, link),
    )


@bp.post("/r/help")
@limiter.limit(HELP_RATE_LIMIT)
def ask_iro_for_help() -> Any:
    """Raise an "asked for help" alert (one open alert however often it is pressed)."""
    _state, link = _asker()
    if link is None:
        return pages.link_problem(pages.NO_SESSION)
    ask_for_help(link, link.form_key)
    session[ASKED_KEY] = link.id
    return redirect(url_for("respond.help_asked"))


@bp.get("/r/help/asked")
def help_asked() -> Any:
    """We have told your IRO: who will be in touch, and the way back to the form."""
    state, link = _asker()
    if link is None or session.get(ASKED_KEY) != link.id:
        return redirect(url_for("respond.help_now"))  # nothing was asked from this browser
    return render_template(
        "respond/help_asked.html",
        iro_name=pages.shown_iro_name(link),
        back_url=_back_to_form(state, link),
    )
