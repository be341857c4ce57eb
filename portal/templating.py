"""Template filters and globals shared by every blueprint."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from flask import Flask, g, request, url_for
from flask_babel import format_date
from markupsafe import Markup, escape


def url_with_language(code: str) -> str:
    """The current page's URL with `lang` set, so switching language keeps the user in place.

    Every page lists about a dozen languages, so the URL without `lang` is built once per
    request and each link appends to it (a url_for per language was half of a page's render).
    """
    prefix = g.get("_url_with_language_prefix")
    if prefix is None:
        if request.endpoint in (None, "static") or request.method != "GET":
            prefix = url_for("public.index") + "?"
        else:
            args = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
            prefix = request.script_root + quote(request.path) + "?" + (f"{args}&" if args else "")
        g._url_with_language_prefix = prefix
    return f"{prefix}lang={quote(code)}"


def long_date(value: dt.date | dt.datetime | None) -> str:
    """A date written out for the page's language, e.g. 'Tuesday 3 March 2026'."""
    if value is None:
        return ""
    return format_date(value, format="full")


def left_to_right(value: object) -> Markup:
    """Isolate a web address or code inside a sentence, so right-to-left text cannot reorder it."""
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(value)


def init_app(app: Flask) -> None:
    """Register shared template helpers."""
    app.jinja_env.globals["url_with_language"] = url_with_language
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["ltr"] = left_to_right
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
