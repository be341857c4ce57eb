"""A question's markup, rendered once and reused (issue 8: the macro was a fifth of a page).

The `question` macro's output depends only on the translated question, which options are chosen,
the error, whether it is the page heading, the locale and where static files are served. Choice
questions with no error are cached on exactly that; nothing a respondent typed is ever kept (text
answers and pages with errors are rendered every time). Off when templates reload (development).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from flask import current_app, get_template_attribute, request
from markupsafe import Markup

from portal.languages.i18n import current_language
from portal.questionnaires import QuestionView


def _render(view: QuestionView, values: Mapping[str, Any], error: Any, heading: bool) -> Markup:
    macro = get_template_attribute("respond/macros.html", "question")
    return Markup(macro(view, values, error, heading=heading))  # noqa: S704 - the macro's output


@lru_cache(maxsize=2048)
def _cached(
    view: QuestionView, chosen: tuple[str, ...], heading: bool, locale: str, script_root: str
) -> Markup:
    return _render(view, {view.key: list(chosen)}, None, heading)


def question_html(
    view: QuestionView, values: Mapping[str, Sequence[str]], error: Any, heading: bool = False
) -> Markup:
    """The `question` macro's markup for `view` with these values and error."""
    if view.type == "text" or error or current_app.jinja_env.auto_reload:
        return _render(view, values, error, heading)
    given = values.get(view.key) or ()
    # Only the option values that are offered: the key never holds anything a respondent sent.
    chosen = tuple(choice.value for choice in view.choices if choice.value in given)
    return _cached(view, chosen, heading, current_language(), request.script_root)
