"""The words of GOV.UK Frontend's character count, in the page's language.

The component reads its messages from `data-i18n.*` attributes and picks a plural form with the
browser's `Intl.PluralRules` (Arabic and Welsh have six). The messages put the number after a
colon ("Characters left: 12"), so one translation fits every plural form: each form the language
has is given the same words. Without JavaScript the page shows the limit instead (the `-info`
hint), and the server refuses a longer answer, naming the box.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask import Flask
from flask_babel import format_number, gettext
from markupsafe import Markup, escape

from portal.languages.i18n import current_language

COUNT = "%{count}"  # GOV.UK Frontend's placeholder, filled in by its JavaScript


@cache
def _plural_forms(locale: str) -> tuple[str, ...]:
    """The CLDR plural categories of `locale` (always with "other", GOV.UK Frontend's fallback)."""
    try:
        tags = Locale.parse(locale).plural_form.tags
    except (ValueError, LookupError):
        tags = set()
    return tuple(sorted(set(tags) | {"other"}))


def character_count_i18n() -> Markup:
    """The data-i18n attributes of a character count, for the current language."""
    forms = _plural_forms(current_language())
    left = gettext("Characters left: %(count)s", count=COUNT)
    over = gettext("Characters too many: %(count)s", count=COUNT)
    attributes = [
        *(f'data-i18n.characters-under-limit.{form}="{escape(left)}"' for form in forms),
        *(f'data-i18n.characters-over-limit.{form}="{escape(over)}"' for form in forms),
        'data-i18n.characters-at-limit="{}"'.format(
            escape(gettext("Characters left: %(count)s", count=format_number(0)))
        ),
    ]
    return Markup(" ".join(attributes))  # noqa: S704 - every value is escaped above


def init_app(app: Flask) -> None:
    app.jinja_env.globals["character_count_i18n"] = character_count_i18n
    app.jinja_env.filters["format_number"] = format_number
