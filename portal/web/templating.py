"""Template filters and globals shared by every blueprint."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from babel import Locale
from babel.dates import format_date as babel_format_date
from flask import Flask, request, url_for
from flask_babel import format_date, format_time, get_locale, to_user_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.languages.i18n import current_language, html_lang, language_name, supported_languages
from portal.web.frame import frame_piece
from portal.web.phones import phone_link, phone_links
from portal.web.team_contact import shown_team_contact


def switch_prefix() -> str:
    """The current page's URL, ready for `lang=<code>`: switching language keeps the user in place.

    Pages that cannot be reloaded as they are (a POST, an error without an endpoint) switch on
    the landing page instead.
    """
    if request.endpoint in (None, "static") or request.method != "GET":
        return url_for("public.index") + "?"
    args = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return request.script_root + quote(request.path) + "?" + (f"{args}&" if args else "")


def _switcher(current: str, languages: tuple[str, ...], prefix: str, indent: str) -> Markup:
    """The switcher's list items for one locale and page URL."""
    item = Markup('{}<li><a href="{}lang={}" lang="{}" hreflang="{}"{}>{}</a></li>\n')
    current_mark = Markup(' aria-current="true"')
    return Markup("").join(
        item.format(
            indent,
            prefix,
            quote(code),
            html_lang(code),
            html_lang(code),
            current_mark if code == current else "",
            language_name(code),
        )
        for code in languages
    )


def language_links(indent: str = "", prefix: str | None = None) -> Markup:
    """The language switcher's list items, built in Python (a Jinja loop over the languages was
    costly, docs/speed.md); each link is `prefix` (this page's URL unless given) plus `lang=`.

    The frame's kept switcher (portal/web/frame.py) passes a slot as `prefix`.
    """
    prefix = switch_prefix() if prefix is None else prefix
    return _switcher(current_language(), supported_languages(), prefix, indent)


# The councils are in England: English pages (and easy read) write dates as GOV.UK does,
# "Friday 11 December 2026", not Babel's plain "en" (US) "Friday, December 11, 2026".
BRITISH_ENGLISH = Locale.parse("en_GB")
GOV_UK_LONG_DATE = "EEEE d MMMM y"


def long_date(value: dt.date | dt.datetime | None) -> str:
    """A date written out for the page's language, e.g. 'Tuesday 3 March 2026'."""
    if value is None:
        return ""
    locale = get_locale()
    if locale is not None and locale.language == "en":
        if isinstance(value, dt.datetime):
            value = to_user_timezone(value)
        return babel_format_date(value, format=GOV_UK_LONG_DATE, locale=BRITISH_ENGLISH)
    return format_date(value, format="full")


def date_and_time(value: dt.datetime | None) -> str:
    """A moment for the team's screens: 'Tuesday 3 March 2026 at 14:05' (UK time)."""
    if value is None:
        return ""
    return _("%(date)s at %(time)s", date=long_date(value),
             time=format_time(to_user_timezone(value), "HH:mm"))  # fmt: skip


def left_to_right(value: object) -> Markup:
    """Isolate a web address or code inside a sentence, so right-to-left text cannot reorder it."""
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(value)


def init_app(app: Flask) -> None:
    """Register shared template helpers."""
    app.jinja_env.globals["language_links"] = language_links
    app.jinja_env.globals["switch_prefix"] = switch_prefix
    app.jinja_env.globals["frame_piece"] = frame_piece
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.jinja_env.filters["ltr"] = left_to_right
    app.jinja_env.filters["phone_link"] = phone_link
    app.jinja_env.filters["phone_links"] = phone_links
    app.jinja_env.globals["team_contact"] = shown_team_contact
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
