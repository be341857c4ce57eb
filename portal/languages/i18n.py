"""Which language a page is in, and what that means for layout.

Order of choice: an explicit `?lang=` (remembered in the session), then the language of the
respondent's link (set by the respond blueprint as `session["link_lang"]`), then the browser's
Accept-Language, then English. Text direction comes from Babel's CLDR data, never a hand list.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


def supported_languages() -> tuple[str, ...]:
    """Locale codes the site offers, in switcher order."""
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> Locale:
    """Babel's locale selector (see module docstring for the order)."""
    if not has_request_context():
        return _locale("en")  # the CLI (e.g. a refused password in `portal users create`)
    languages = supported_languages()
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return _locale(asked)
    for key in ("lang", "link_lang"):
        chosen = session.get(key)
        if chosen in languages:
            return _locale(chosen)
    return _locale(request.accept_languages.best_match(languages) or "en")


@cache
def _locale(code: str) -> Locale:
    """A parsed Locale per code: Flask-Babel would parse the selector's string on every request."""
    return Locale.parse(code)


# Names CLDR gets wrong for our readers. Dari speakers look for "دری", not "Persian
# (Afghanistan)"; en_ER is our easy-read English catalogue, not English as used in Eritrea
# (docs/adr/0021).
LANGUAGE_NAMES = {"fa_AF": "دری", "en_ER": "Easy read"}


# The one table of language names staff read (every staff screen, select, report and export):
# what people in the team say, not CLDR's English display names ("Persian (Afghanistan)" for
# Dari, "English (Eritrea)" for our easy-read catalogue). A code not listed falls back to CLDR.
STAFF_LANGUAGE_NAMES = {
    "en": "English",
    "cy": "Welsh",
    "ar": "Arabic",
    "ps": "Pashto",
    "fa": "Farsi",
    "fa_AF": "Dari",
    "ckb": "Kurdish (Sorani)",
    "ku": "Kurdish (Kurmanji)",
    "ti": "Tigrinya",
    "am": "Amharic",
    "vi": "Vietnamese",
    "sq": "Albanian",
    "so": "Somali",
    "pl": "Polish",
    "om": "Oromo",
    "en_ER": "Easy read English",
}


@cache
def staff_language_name(code: str | None) -> str:
    """A language's name in English as the team says it ("Dari", "Easy read English")."""
    if not code:
        return ""
    if code in STAFF_LANGUAGE_NAMES:
        return STAFF_LANGUAGE_NAMES[code]
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code  # an unknown code read from an old import: show it as it is


@cache
def staff_language_choice(code: str) -> str:
    """A select option: the team's name, then the name in the language when it differs."""
    english, own = staff_language_name(code), language_name(code)
    return english if own.casefold() in english.casefold() else f"{english} – {own}"


@cache
def language_name(code: str) -> str:
    """A language's name in that language (what a speaker looks for in a switcher)."""
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    return Locale.parse(code).get_display_name(code) or code


@cache
def text_direction(code: str) -> str:
    """`rtl` or `ltr` for a locale code, from CLDR."""
    return Locale.parse(code).text_direction


def html_lang(code: str) -> str:
    """BCP 47 tag for the html lang attribute (fa_AF -> fa-AF)."""
    return code.replace("_", "-")


def current_language() -> str:
    """The locale code in use for this request."""
    locale = get_locale()
    return "en" if locale is None else _code(locale)


@cache
def _code(locale: Locale) -> str:
    return str(locale)  # Babel rebuilds the identifier on every str()


def page_translations() -> NullTranslations:
    """The catalogue for this request's locale, found once per request and locale.

    A page asks for a dozen strings, and Flask-Babel's get_translations() repeats its context and
    catalogue look-ups for each. Keyed by the locale object, so force_locale (letters
    and emails in the recipient's language) still switches catalogue inside a request.
    """
    locale = get_locale()
    if locale is None:  # no request or app context: Flask-Babel's own answer
        return get_translations()
    held = g.get("_page_translations")
    if held is None or held[0] is not locale:
        held = g._page_translations = (locale, get_translations())
    return held[1]


@lru_cache(maxsize=64)
def _bound_gettext(translations: NullTranslations) -> Callable[..., str]:
    """Jinja's newstyle gettext (same escaping and %-formatting) bound to one catalogue.

    A page is rendered in one language, so its `_()` is looked up once per render (in
    `language_context`) instead of asking Flask-Babel for the locale on each of a dozen calls.
    """
    ugettext = translations.ugettext

    @pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
        translated = ugettext(string)
        if eval_ctx.autoescape:
            translated = Markup(translated)  # noqa: S704 - as Jinja does: catalogues are trusted
        return translated % variables

    return gettext


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, **variables: Any) -> str:
    """`_()` where no render context is at hand (macros imported without context)."""
    return _bound_gettext(page_translations())(eval_ctx, string, **variables)


def _install_template_gettext(app: Flask) -> None:
    """Templates' _(), ngettext() and friends, as Flask-Babel installs them, via page_translations.

    `_` is normally an alias that looks `gettext` up again on every call; a page has a dozen.
    """
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext)


def language_context() -> dict[str, object]:
    """What every template is given about this request's language (a context processor)."""
    code = current_language()
    gettext = _bound_gettext(page_translations())
    return {
        "_": gettext,
        "gettext": gettext,
        "page_lang": html_lang(code),
        "page_dir": text_direction(code),
        "current_language": code,
        "current_language_name": language_name(code),
    }


def init_app(app: Flask) -> None:
    """Expose language helpers to every template."""
    _install_template_gettext(app)
    app.context_processor(language_context)

    app.add_template_filter(staff_language_name, "language_label")
