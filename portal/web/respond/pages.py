"""View helpers: the template data for each respondent page; where to go is the router's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import (
    current_app,
    g,
    get_flashed_messages,
    get_template_attribute,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.config import PROJECT_ROOT
from portal.crypto.tokens import format_short_code
from portal.languages.i18n import current_language
from portal.questionnaires import Place, QuestionView, Screen, Stop, engine
from portal.questionnaires.router import follow_ups
from portal.rules import settings
from portal.rules.text import without_control_characters
from portal.web.respond import spoken_pages
from portal.web.respond.fragments import question_html
from portal.web.respond.journey import Journey, LinkState
from portal.web.respond.screen_shell import Shell, Slots, screen_page_html, whole_screen_page
from portal.web.respond.snapshot import LinkSnapshot
from portal.web.templating import switch_prefix

NO_SESSION = "no_session"
ASK_IRO = _l(
    "If you need a new link, ask your IRO (the Independent Reviewing Officer who chairs the "
    "review) or the person who sent it."
)
# (title, what happened, HTTP status) for each link that cannot be used. None of them says
# anything about the child: a stranger holding an old link learns nothing.
PROBLEMS: dict[str, tuple[Any, Any, int]] = {
    LinkState.MALFORMED: (
        _l("This link is not complete"),
        _l("Part of the link may be missing. Open it again from the email or letter, or "
           "type the code from your letter."),
        404,
    ),
    LinkState.UNKNOWN: (
        _l("We cannot find this link"),
        _l("Check you used the whole link or typed the code correctly. A link stops working "
           "when a new one is sent."),
        404,
    ),
    LinkState.EXPIRED: (
        _l("This link has expired"),
        _l("Links stop working some time after the review. If you still want to tell us "
           "something, you can ask for a new link."),
        410,
    ),
    LinkState.REVOKED: (
        _l("This link no longer works"),
        _l("It has been cancelled or replaced. If you were sent a newer link or letter, use "
           "that one."),
        410,
    ),
    LinkState.ANSWERED: (
        _l("Your answers have already been sent"),
        _l("Thank you. You do not need to do anything else. If you want to add something, "
           "contact your IRO."),
        200,
    ),
    LinkState.NO_FORM: (
        _l("This form is not available"),
        _l("Sorry, this form cannot be filled in online at the moment."),
        404,
    ),
    NO_SESSION: (
        _l("Open your link again"),
        _l("We could not tell which form you were filling in. This happens if the page was "
           "left for a long time or cookies are turned off. Your saved answers are safe: open "
           "the link from your email or letter again, or type the code from your letter."),
        400,
    ),
}  # fmt: skip


# A form opened through a meeting QR code while there was room, sent after the last place went.
QR_FULL_AT_SEND = (
    _l("This QR code has been used as many times as it allows"),
    _l("Enough people sent their answers through this code before you did, so your answers "
       "were not saved. If you still want to tell us how the meeting went, ask the IRO who "
       "chaired it."),
    409,
)  # fmt: skip


# The code on a letter opens the same invitation as its link: when that invitation is answered,
# expired or revoked, the code is as dead as the link, so these pages offer the team instead.
NO_CODE_STATES = frozenset({LinkState.ANSWERED, LinkState.EXPIRED, LinkState.REVOKED})


def problem_page(state: str, title: Any, body: Any, ask_iro: Any = None) -> str:
    """A page for a link, code or QR code that cannot be used (with the team's contact)."""
    return render_template(
        "respond/link_problem.html",
        state=str(state),
        title=title,
        body=body,
        ask_iro=ask_iro,
        offers_code=state not in NO_CODE_STATES,
    )


def qr_full_at_send() -> tuple[str, int]:
    """The page for answers refused because the meeting QR code had no place left."""
    title, body, status = QR_FULL_AT_SEND
    return problem_page("qr_full", title, body), status


def link_problem(state: str, status: int | None = None) -> tuple[str, int]:
    """The page for a link that cannot be used, saying what to do next."""
    title, body, default_status = PROBLEMS[state]
    return problem_page(state, title, body, ASK_IRO), status or default_status


def page_not_found(current: Journey) -> tuple[str, int]:
    """A page number that is not in this form."""
    return render_template("respond/page_not_found.html", journey=current), 404


def place_url(place: Place, *, return_to_check: bool = False, added: str | None = None) -> str:
    """The URL of a place the router sends a respondent to; `added` names a question Continue
    has just revealed on that screen (said in a notice and focused)."""
    if place is Stop.START:
        return url_for("respond.start")
    if place is Stop.CHECK:
        return url_for("respond.check")
    args: dict[str, Any] = {"return": "check"} if return_to_check else {}
    if added is not None:
        # No #fragment: a page opened at one skips `autofocus`, which scrolls to the question too.
        args["added"] = added
    return url_for("respond.page", number=place + 1, **args)


@dataclass(frozen=True)
class FollowUp:
    """A question shown right under an option of another on the same screen (conditional reveal):
    `shown` when the saved answers show it already, else it opens when the option is chosen."""

    key: str
    shown: bool
    html: Markup


def _conditionals(
    screen: Screen,
    shown: set[str],
    views: dict[str, QuestionView],
    values: dict[str, list[str]],
    errors: dict[str, str],
    focus: str | None,
) -> dict[str, dict[str, list[FollowUp]]]:
    """{question key: {option key: [FollowUp]}} for the screen's questions with follow-ups.

    A follow-up goes under its option while its question is on the page (shown, or itself a
    follow-up); the deepest are built first, as they go inside the others' markup.
    """
    nested = follow_ups(screen)
    on_page = {
        key for key, (source, _option) in nested.items() if source in shown or source in nested
    }
    found: dict[str, dict[str, list[FollowUp]]] = {}
    for question in reversed(screen.questions):
        if question.key not in on_page:
            continue
        source, option = nested[question.key]
        html = question_html(
            views[question.key],
            values,
            errors.get(question.key),
            conditionals=found.get(question.key),
            focus=question.key == focus,
        )
        follow_up = FollowUp(question.key, question.key in shown, html)
        found.setdefault(source, {}).setdefault(option, []).insert(0, follow_up)
    return found


def _values_from_answers(current: Journey, answers: dict[str, Any]) -> dict[str, list[str]]:
    forms = engine()
    return {
        key: forms.handler(current.form.key, key, current.band).formdata(value)
        for key, value in answers.items()
        if current.form.question(key) is not None
    }


def screen_page(
    current: Journey,
    screen: Screen,
    returning: bool,
    errors: dict[str, str] | None = None,
    formdata: Any = None,
    added: str | None = None,
) -> str:
    """A screen of questions, pre-filled with saved answers (or what was just posted); `added`
    is a question Continue has just revealed (no JavaScript), said and focused."""
    router = current.router
    answers = current.answers
    displayed = formdata.getlist("_shown") if errors and formdata is not None else ()
    shown = router.questions_shown(screen, displayed)
    keys = {question.key for question in shown}
    views = engine().views(current.form, screen, current.band, current_language())
    name = child_name(current)
    shown_views = [view.addressed() if name else view for view in views if view.key in keys]
    if formdata is not None:
        values = {
            key: [without_control_characters(value) for value in formdata.getlist(key)]
            for key in screen.keys
        }
    else:
        values = _values_from_answers(current, answers)
    back = place_url(router.previous_place(screen.number))
    # Only a question an answer can reveal is ever "added" (the argument is in the URL).
    revealable = {question.key for question in shown if question.show_if is not None}
    focus = added if added in revealable else None
    conditionals = _conditionals(
        screen, keys, {view.key: view for view in views}, values, errors or {}, focus
    )
    under_options = {
        follow_up.key
        for options in conditionals.values()
        for under in options.values()
        for follow_up in under
    }
    # Outside the kept question markup (fragments.py): the service is a setting that can change.
    advocacy_keys = {q.key for q in shown if q.has_advocacy_options()}
    single = router.one_question_per_page and len(shown_views) == 1
    # Translated as the template's _() does: catalogues are trusted markup.
    heading = Markup(gettext(screen.title or current.form.title))  # noqa: S704
    questions = get_template_attribute("respond/_screen_questions.html", "screen_questions")(
        top_views=[view for view in shown_views if view.key not in under_options],
        values=values,
        errors=errors or {},
        single=single,
        child_name=name,
        conditionals=conditionals,
        focus=focus,
        advocacy_service=settings.advocacy_service() if advocacy_keys else None,
        advocacy_keys=advocacy_keys,
    )
    shell = Shell(
        locale=current_language(),
        script_root=request.script_root,
        number=screen.number,
        total=router.total,
        heading=heading,
        single=single,
        skippable=router.can_skip(shown),
        saved=_saved_so_far(current) and not errors,
        return_to_check=returning,
        help_now=bool(g.get("offer_help_now")),
    )
    slots = Slots(
        # A screen of one question is titled by it: with the name in, as the heading shows it.
        page_title=(
            (shown_views[0].with_name(name).label if name else shown_views[0].label)
            if single and shown_views
            else heading
        ),
        back_url=back,
        csrf=generate_csrf(),
        questions=Markup(questions),  # noqa: S704 - the macro's markup
        switch_url=switch_prefix(),
    )
    if errors or get_flashed_messages():  # a failed post, or a message to show once: drawn whole
        return whole_screen_page(
            shell, slots, errors=errors or {}, error_items=_error_items(shown_views, errors or {})
        )
    return screen_page_html(shell, slots)


def _saved_so_far(current: Journey) -> bool:
    """Whether this form has answers saved on the server (the "Saved" line says so in words)."""
    return current.invitation.draft is not None


def _error_items(views: list[QuestionView], errors: dict[str, str]) -> list[tuple[str, str]]:
    items = []
    if "_page" in errors:
        items.append(("main", errors["_page"]))
    for view in views:
        if view.key in errors:
            anchor = f"q-{view.key}" if view.type == "text" else f"q-{view.key}-0"
            items.append((anchor, errors[view.key]))
    return items


def child_name(current: Journey) -> str | None:
    """The child's first name where questions may use it; None through a meeting QR code."""
    return current.invitation.child_first_name if current.names_the_child else None


def start_page(current: Journey, error: bool = False) -> str:
    """The first page: who it is for, who reads it, skipping, time, help from an adult."""
    return render_template(
        "respond/start.html",
        journey=current,
        # Not even given to the template when the page must not name the child (meeting QR).
        first_name=child_name(current),
        review_date=current.invitation.review_date if current.names_the_child else None,
        resuming=current.saved_page is not None,
        helped_by=current.helped_by,
        error=error,
        spoken_lines=spoken_pages.start_lines(current.form) if current.youngest else None,
    )


def check_page(current: Journey) -> str:
    """Check your answers: every shown question with its answer and a Change link."""
    forms = engine()
    router = current.router
    answers = current.answers
    name = child_name(current)
    rows = []
    for screen in router.screens_shown():
        views = {
            v.key: v for v in forms.views(current.form, screen, current.band, current_language())
        }
        for question in router.questions_shown(screen):
            view = views[question.key].addressed().with_name(name) if name else views[question.key]
            answer = answers.get(question.key)
            pictures = chosen_pictures(view, answer) if current.youngest else {}
            rows.append((view, view.show(answer), screen.number + 1, pictures))
    return render_template(
        "respond/check.html",
        journey=current,
        rows=rows,
        spoken_lines=spoken_pages.check_lines() if current.youngest else None,
        back_url=place_url(router.back_from_check()),
        saved=_saved_so_far(current),
    )


def chosen_pictures(view: QuestionView, answer: Any) -> dict[str, str]:
    """{shown label: picture} of each chosen option that has a picture (check your answers)."""
    chosen = {str(key) for key in answer} if isinstance(answer, list) else {str(answer)}
    return {c.label: c.picture for c in view.choices if c.picture and c.value in chosen}


def come_back_page(current: Journey, typed_code: str | None) -> str:
    """How to come back to a saved form: by the same link, or the code from the letter."""
    link = current.invitation
    return render_template(
        "respond/saved.html",
        journey=current,
        from_meeting_qr=link.meeting_qr_id is not None,
        code=format_short_code(typed_code) if typed_code else None,
        has_letter_code=link.short_code_hash is not None,
        code_url=f"{current_app.config['PORTAL_BASE_URL']}{url_for('respond.code')}",
        carry_on=place_url(current.router.resume(current.saved_page)),
    )


@cache
def thank_you_picture() -> str:
    """The catalogue's thank-you picture if it has one, else the journey's own."""
    shared = PROJECT_ROOT / "static" / "img" / "thank-you.svg"
    return "img/thank-you.svg" if shared.exists() else "img/journey/thank-you.svg"


def thank_you(sent: dict[str, Any]) -> str:
    """Thank you, and what happens next; a friendly picture for children."""
    return render_template(
        "respond/sent.html",
        child=bool(sent.get("child")),
        care_leaver=bool(sent.get("care_leaver")),
        stage=sent.get("stage"),
        picture=thank_you_picture(),
        youngest=bool(sent.get("youngest")),
        spoken_lines=spoken_pages.sent_lines(sent.get("stage")) if sent.get("youngest") else None,
        advocacy_service=settings.advocacy_service() if sent.get("advocate") else None,
    )


def shown_iro_name(link: LinkSnapshot | None) -> str | None:
    """The IRO's name for a young person's page: never on a meeting QR journey (no names there)."""
    if link is None or link.meeting_qr_id is not None:
        return None
    return link.iro_name or None


def offer_help_now() -> None:
    """This page belongs to a young person's journey: base.html shows "I need help now"."""
    g.offer_help_now = True


def safe_page(current: Journey, next_number: int | None, returning: bool = False) -> str:
    """Who to talk to now; then carry on where they were (still returning to check answers)."""
    position = next_number - 1 if next_number is not None else None
    carry_on = place_url(current.router.at(position), return_to_check=returning)
    return render_template(
        "respond/safe.html",
        journey=current,
        iro_name=shown_iro_name(current.invitation),
        carry_on=carry_on,
        spoken_lines=spoken_pages.safe_lines() if current.youngest else None,
    )
