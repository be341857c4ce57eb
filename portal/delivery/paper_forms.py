"""A printable paper form: the recipient's form in their language and age band, every question
with tick boxes or ruled lines, for a family without a phone (ADR 0061).

The questions come from the forms engine in the order and wording the online form uses (the
same screens staff key a returned form into), so what is ticked on paper maps one to one onto
the paper-entry screen. A follow-up question is printed with an "If you answered ..." lead-in,
because paper cannot hide it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale, gettext
from markupsafe import Markup

from portal.languages.i18n import html_lang, text_direction
from portal.models import Invitation
from portal.questionnaires import FormDefinition, QuestionView, age_band, catalogue, engine
from portal.rules.invitations import Link
from portal.rules.paper import paper_screens
from portal.rules.roles import YOUNG_PERSON_ROLES
from portal.rules.settings import TeamContact

# A line of handwriting holds about 60 characters; a short answer still gets room to write.
CHARACTERS_PER_LINE = 60
MIN_LINES, MAX_LINES = 3, 10


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    view: QuestionView
    lead_in: str | None  # "If you answered "Yes" to question 3:" (follow-up questions)
    lines: int  # ruled lines for a written answer


@dataclass(frozen=True)
class PaperPage:
    title: str
    questions: list[PaperQuestion]


def band_for(invitation: Invitation) -> str | None:
    """The age band a child's or care leaver's form is worded for; None for adults."""
    if invitation.role not in YOUNG_PERSON_ROLES:
        return None
    return age_band(
        invitation.review.child.date_of_birth,
        invitation.review_date,
        care_leaver=invitation.role == "care_leaver",
    )


def writing_lines(max_length: int | None) -> int:
    """How many ruled lines a written answer gets, from how long it may be."""
    return max(MIN_LINES, min(MAX_LINES, (max_length or 0) // (CHARACTERS_PER_LINE * 4)))


def pages(definition: FormDefinition, band: str | None, locale: str) -> list[PaperPage]:
    """Every page and question of the form, numbered, in the band's wording (translated)."""
    forms = engine()
    numbered: dict[str, tuple[int, QuestionView]] = {}
    result = []
    for screen in paper_screens(definition):
        questions = []
        for question, view in zip(
            screen.questions, forms.views(definition, screen, band, locale), strict=True
        ):
            number = len(numbered) + 1
            numbered[question.key] = (number, view)
            lead_in = None
            if question.show_if is not None:
                source_number, source = numbered[question.show_if.question]
                labels = {choice.value: choice.label for choice in source.choices}
                answers = " / ".join(f"“{labels[key]}”" for key in question.show_if.equals)
                lead_in = gettext(
                    "If you answered %(answers)s to question %(number)d:",
                    answers=answers,
                    number=source_number,
                )
            lines = writing_lines(view.max_length) if view.type == "text" else 0
            questions.append(PaperQuestion(number, view, lead_in, lines))
        result.append(PaperPage(gettext(screen.title or definition.title), questions))
    return result


def paper_form_html(invitation: Invitation, *, link: Link, qr: Markup, team: TeamContact) -> Markup:
    """The paper form for an invitation, laid out for print in the recipient's language."""
    definition = catalogue().get(invitation.form_key)
    if definition is None:
        return Markup("")
    language = invitation.language
    with force_locale(language):
        html = render_template(
            "letters/_paper_form.html",
            invitation=invitation,
            definition=definition,
            pages=pages(definition, band_for(invitation), language),
            code=link.short_code_display,
            code_url=link.code_url,
            qr=qr,
            team=team,
        )
    return Markup(  # noqa: S704  (rendered by autoescaping Jinja)
        f'<div class="paper-form-wrap" lang="{html_lang(language)}" '
        f'dir="{text_direction(language)}">{html}</div>'
    )
