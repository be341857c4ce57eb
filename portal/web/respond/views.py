"""Routes of the journey behind a link: thin (load, call a rule, render or redirect)."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as HTTPResponse

from portal.delivery.letters import outcome_html
from portal.extensions import db, limiter
from portal.languages.i18n import current_language
from portal.models import HELPED_BY, Review
from portal.questionnaires import engine, prune
from portal.rules import outcomes
from portal.rules.advocacy import advocacy_choice
from portal.rules.meeting_qr import response_role
from portal.rules.responses import Submitted, submit_response
from portal.rules.safeguarding import alert_raised, raise_alerts
from portal.web.respond import bp, journey, pages
from portal.web.respond.journey import Journey, LinkState

LINK_RATE_LIMIT = "30 per minute"
# The question page's "Save and come back later" button: save what is valid, then say how.
SAVE_LATER = "save_later"
# Per meeting QR code, whoever sends: a code on a screen must not take a flood of answers.
QR_SUBMIT_RATE_LIMIT = "20 per minute"


def _qr_submit_key() -> str:
    return f"meeting-qr:{journey.held_qr_id(session)}"


def _not_through_a_qr_code() -> bool:
    return journey.held_qr_id(session) is None


def _current() -> Journey | HTTPResponse | tuple[str, int]:
    """The journey for this browser's session, or the page explaining why there is none."""
    state, invitation = journey.from_session(session)
    if state is not LinkState.OK or invitation is None:
        if state is LinkState.UNKNOWN:
            state = pages.NO_SESSION
        # A second tap or device sending again is told it was already sent (409 for a POST).
        status = 409 if state is LinkState.ANSWERED and request.method == "POST" else None
        return pages.link_problem(state, status)
    current = journey.journey_for(invitation)
    if current.is_child:  # every page of a young person's journey offers help
        pages.offer_help_now()
    return current


def _returning_to_check() -> bool:
    """Whether this screen was opened from a Change link on check your answers (or posted so)."""
    if request.method == "POST":
        return request.form.get("_return") == "check"
    return request.args.get("return") == "check"


@bp.get("/r/<token>")
@limiter.limit(LINK_RATE_LIMIT)
def open_link(token: str) -> Any:
    """Resolve a link, keep it in the session and move away from the token URL."""
    state, invitation = journey.find_by_token(token)
    if state is not LinkState.OK or invitation is None:
        return pages.link_problem(state)
    journey.remember(session, invitation, journey.access_for(invitation))
    if outcomes.message_for(invitation) is not None:
        return redirect(url_for("respond.message"))  # the IRO's message comes first
    current = journey.journey_for(invitation)
    return redirect(pages.place_url(current.router.resume(current.saved_page)))


@bp.get("/r/message")
def message() -> Any:
    """What happened at your review: the IRO's message, then on to the feedback form.

    Only the young person's own feedback link shows it; anyone else is sent to the form.
    """
    current = _current()
    if not isinstance(current, Journey):
        return current
    link = current.invitation
    carry_on = pages.place_url(current.router.resume(current.saved_page))
    review = db.session.get(Review, link.review_id)
    shown = (
        outcome_html(review, current_language(), title_level=1)
        if review is not None
        and outcomes.carries_message(link.role, link.stage, link.meeting_qr_id)
        else None
    )
    if shown is None:
        return redirect(carry_on)
    outcomes.record_opened(link.review_id)
    return render_template(
        "respond/message.html", journey=current, message=shown, carry_on=carry_on
    )


@bp.route("/r/start", methods=["GET", "POST"])
def start() -> Any:
    """Who the form is for, who reads it, that skipping is fine, how long it takes."""
    current = _current()
    if not isinstance(current, Journey):
        return current
    if request.method == "POST":
        # Only children are asked; a care leaver's page has no such question to answer.
        helped_by = request.form.get("helped_by") if current.asks_helped_by else None
        if helped_by not in (None, "", *HELPED_BY):
            return pages.start_page(current, error=True), 400
        place = current.router.carry_on(current.saved_page)
        journey.save_draft(
            current,
            current.answers,
            current.router.position(place),
            current_language(),
            helped_by=helped_by or None,
        )
        return redirect(pages.place_url(place))
    return pages.start_page(current)


@bp.route("/r/page/<int:number>", methods=["GET", "POST"])
def page(number: int) -> Any:
    """One screen of the form: show it, or validate and save it, then move on."""
    current = _current()
    if not isinstance(current, Journey):
        return current
    router = current.router
    screen = router.screen(number - 1)
    if screen is None:
        return pages.page_not_found(current)
    if not router.shows_anything(screen):
        return redirect(pages.place_url(router.next_place(screen.number)))
    returning = _returning_to_check()
    if request.method == "GET":
        return pages.screen_page(current, screen, returning, added=request.args.get("added"))

    action = request.form.get("_action")
    if action == "skip":
        answers, revealed = router.skip(screen), []
    else:
        formdata = request.form.copy()
        result = engine().validate_screen(
            current.form,
            screen,
            current.band,
            formdata,
            current.answers,
            shown=formdata.getlist("_shown"),
            allow_unanswered=action == SAVE_LATER,
        )
        if not result.ok:
            return pages.screen_page(current, screen, returning, result.errors, formdata), 400
        answers, revealed = result.answers, result.revealed
    move = router.with_answers(answers).after_answering(
        screen.number, revealed=bool(revealed), returning=returning
    )
    position = router.position(move.place)
    journey.save_draft(current, answers, position, current_language())
    # Safeguarding does not wait for submit: the page with the answer raises the alert.
    if raise_alerts(current.invitation, current.form, answers, screen.questions):
        # The safe page carries on to the same place, still on the way back to check answers.
        back = {"return": "check"} if move.return_to_check else {}
        return redirect(url_for("respond.safe", next=position + 1, **back))
    if action == SAVE_LATER:
        return redirect(url_for("respond.come_back"))
    # Without JavaScript a follow-up is asked after Continue: the page comes back saying so.
    added = revealed[0] if revealed and move.place == screen.number else None
    return redirect(pages.place_url(move.place, return_to_check=move.return_to_check, added=added))


@bp.get("/r/saved")
def come_back() -> Any:
    """Saved for later: how to come back (the same link, the code), or honestly that a form
    from a meeting QR code cannot be opened again."""
    current = _current()
    if not isinstance(current, Journey):
        return current
    return pages.come_back_page(current, journey.typed_code(session))


@bp.route("/r/check", methods=["GET", "POST"])
@limiter.limit(
    QR_SUBMIT_RATE_LIMIT,
    methods=["POST"],
    key_func=_qr_submit_key,
    exempt_when=_not_through_a_qr_code,
)
def check() -> Any:
    """Check your answers, then send them (stored exactly once)."""
    current = _current()
    if not isinstance(current, Journey):
        return current
    if request.method == "GET":
        return pages.check_page(current)
    invitation = journey.invitation_row(current)
    draft = current.invitation.draft
    answers = current.answers
    # Any alert not yet raised (e.g. a page saved before an outage) is raised now.
    raise_alerts(invitation, current.form, answers)
    outcome = submit_response(
        invitation,
        current.form,
        answers,
        language=current_language(),
        helped_by=current.helped_by,
        text_languages=dict(draft.text_languages) if draft else {},
        source="meeting_qr" if invitation.meeting_qr_id else "online",
        role=response_role(invitation),
    )
    if outcome is Submitted.ALREADY:
        return pages.link_problem(LinkState.ANSWERED, status=409)
    if outcome is Submitted.FULL:
        journey.forget(session)
        return pages.qr_full_at_send()
    # The thank-you page then says how to reach the advocacy service meanwhile.
    asked = advocacy_choice(current.form, prune(current.form, answers)) is not None
    session["respond_sent"] = {
        "child": current.is_child,
        "care_leaver": current.is_care_leaver,
        "stage": invitation.stage,
        "advocate": current.is_child and asked,
        "youngest": current.youngest,
    }
    return redirect(url_for("respond.sent"))


@bp.get("/r/sent")
def sent() -> Any:
    """Thank you, and what happens next: only after a real send (nothing else may say "sent")."""
    sent = session.get("respond_sent")
    if not sent:
        return redirect(url_for("respond.code"))
    if sent.get("child"):
        pages.offer_help_now()
    return pages.thank_you(sent)


@bp.get("/r/safe")
def safe() -> Any:
    """Who to talk to now, after an answer that raised a safeguarding alert."""
    current = _current()
    if not isinstance(current, Journey):
        return current
    return pages.safe_page(
        current, request.args.get("next", type=int), returning=_returning_to_check()
    )


@bp.get("/r/no-thanks")
def no_thanks() -> Any:
    """Not wanting to answer is fine: say so, and how to come back."""
    current = _current()
    if not isinstance(current, Journey):
        return current
    # After an alert, "nothing will be shared" would be untrue: say what has happened instead.
    return render_template(
        "respond/no_thanks.html",
        journey=current,
        alert_passed=alert_raised(current.invitation.id),
    )
