"""What "Read this to me" says on the youngest children's pages, and every sound that needs.

The 4-7 forms are read aloud on every page, not only the questions: start, check your answers,
the safety page and thank you. Each page reads fixed lines already on it (so the sound can be
made once, scripts/make_audio.py) and never a name, a date or an answer, which are personal.
`needed_audio` lists every sound the site must ship; a test checks that each file exists.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import force_locale, gettext

from portal.languages.read_aloud import question_lines
from portal.languages.spoken import audio_file, spoken_text
from portal.questionnaires import FormDefinition, catalogue, engine

YOUNGEST_BAND = "4-7"
STAGES = ("consultation", "feedback")

# msgids exactly as the templates show them (respond/check.html, safe.html, sent.html).
_CHECK = (
    "Check your answers",
    "You can change any answer before you send them.",
    "When you send your answers, your IRO and their team will be able to read them. You cannot "
    "change them after that.",
)
_SAFE = (
    "Thank you for telling us",
    "What you told us is important. We have let your IRO know, so a person can help.",
    "If you are in danger now, call 999.",
    "Childline: call 0800 1111, free, any time. It will not show on the phone bill.",
)
_SENT_NEXT = {
    "consultation": "Your IRO will read your answers before the review and make sure what you "
    "said is talked about.",
    "feedback": "Your IRO and their team read every answer. They use them to make reviews better.",
}
_SENT_TALK = (
    "If you want to talk to someone about anything, you can ask your carer, your social worker "
    "or your IRO."
)


def start_lines(form: FormDefinition) -> list[str]:
    """The start page's words for a young child (the greeting with their name is left out)."""
    return [
        gettext(form.title),
        gettext(form.intro),
        gettext("It is fine to skip any question you do not want to answer."),
        gettext("You can ask an adult you trust to help you."),
    ]


def check_lines() -> list[str]:
    return [gettext(line) for line in _CHECK]


def safe_lines() -> list[str]:
    return [gettext(line) for line in _SAFE]


def sent_lines(stage: str | None) -> list[str]:
    next_line = _SENT_NEXT.get(stage or "", _SENT_NEXT["feedback"])
    return [gettext(line) for line in ("Thank you", "Your answers have been sent.", next_line)] + [
        gettext(_SENT_TALK)
    ]


def youngest_forms() -> list[FormDefinition]:
    """The forms asked one question a page of 4-7 year olds."""
    return [form for form in catalogue() if YOUNGEST_BAND in form.one_question_per_page_bands]


def _texts(form: FormDefinition, locale: str) -> Iterator[tuple[str, str]]:
    forms = engine()
    yield f"{form.key} start", spoken_text(start_lines(form))
    for screen in forms.screens(form, YOUNGEST_BAND):
        for view in forms.views(form, screen, YOUNGEST_BAND, locale):
            yield f"{form.key}.{view.key}", spoken_text(question_lines(view.addressed()))


def needed_audio(locales: tuple[str, ...]) -> dict[str, tuple[str, str, str]]:
    """{static-relative file: (locale, where, text)} for every sound the youngest pages play.

    Needs an app and request context (translations).
    """
    needed: dict[str, tuple[str, str, str]] = {}
    for locale in locales:
        with force_locale(locale):
            texts = [("check", spoken_text(check_lines())), ("safe", spoken_text(safe_lines()))]
            texts += [(f"sent {stage}", spoken_text(sent_lines(stage))) for stage in STAGES]
            for form in youngest_forms():
                texts += list(_texts(form, locale))
        for where, text in texts:
            needed.setdefault(audio_file(locale, text), (locale, where, text))
    return needed
