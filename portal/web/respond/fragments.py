"""A question's markup, rendered once per question and language and reused by every respondent.

The `question` macro's markup is a fifth of a question page. What it shows of the question comes
only from the form: the translated question (`QuestionView`, built from the form, its version,
the screen, the age band and the locale), whether it is the page heading, the locale and where
static files are served. That is all the cache is keyed on and all it is rendered from: the macro
is rendered with no answers, with a random slot where each answer goes. A respondent's chosen
options and typed words are put into the slots per request, outside the cache, so nothing of
theirs can be kept or shown to anyone else, whatever a template adds later. A question with an
error is rendered whole (it is a failed post), and so is one with follow-up questions under its
options or the focus (their markup holds the follow-ups' answers). Off when templates reload
(development).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from cachetools import LRUCache, cached
from flask import current_app, get_template_attribute, request
from markupsafe import Markup, escape

from portal.languages.i18n import current_language
from portal.questionnaires import QuestionView
from portal.questionnaires.schema import CHILD_NAME

# Where an answer goes in the kept markup: random, so no form or translation can contain it.
SLOT = "answer-" + secrets.token_hex(16)
MAX_QUESTIONS = 2048  # a few KB each: the whole catalogue in every language and band fits

_kept: LRUCache[Any, tuple[str, ...]] = LRUCache(maxsize=MAX_QUESTIONS)
_lock = threading.Lock()  # the development server is threaded


def _render(
    view: QuestionView,
    values: Mapping[str, Any],
    error: Any,
    heading: bool,
    slot: str = "",
    conditionals: Mapping[str, Any] | None = None,
    focus: bool = False,
) -> Markup:
    macro = get_template_attribute("respond/macros.html", "question")
    html = macro(
        view, values, error, heading=heading, slot=slot, conditionals=conditionals, focus=focus
    )
    return Markup(html)  # noqa: S704 - the macro's


@cached(_kept, lock=_lock)
def _parts(view: QuestionView, heading: bool, locale: str, script_root: str) -> tuple[str, ...]:
    """The question's markup with no answer, split at each answer's slot.

    `locale` and `script_root` are not read here: they are in the key because the macro's
    translations and static URLs depend on them.
    """
    return tuple(str(_render(view, {}, None, heading, slot=SLOT)).split(SLOT))


def _answer_marks(view: QuestionView, given: Sequence[str]) -> list[str]:
    """What goes in each slot: the typed text (escaped), or ` checked` on each chosen option."""
    if view.type == "text":
        return [str(escape(given[0])) if given else ""]
    return [" checked" if choice.value in given else "" for choice in view.choices]


def question_html(
    view: QuestionView,
    values: Mapping[str, Sequence[str]],
    error: Any,
    heading: bool = False,
    name: str | None = None,
    conditionals: Mapping[str, Any] | None = None,
    focus: bool = False,
) -> Markup:
    """The `question` macro's markup for `view` with these values and error; `conditionals` are
    the follow-ups opening under its options ({option key: [FollowUp]}), `focus` marks the
    question Continue has just added.

    `name`: the child's first name, for a view whose label has the placeholder (`addressed`).
    It is put in per request like an answer: the kept markup holds only the placeholder.
    """
    if error or conditionals or focus or current_app.jinja_env.auto_reload:
        shown = view.with_name(name) if name else view
        return _render(shown, values, error, heading, conditionals=conditionals, focus=focus)
    parts = _parts(view, heading, current_language(), request.script_root)
    if name:
        placed = str(escape(name))
        parts = tuple(part.replace(CHILD_NAME, placed) for part in parts)
    marks = _answer_marks(view, values.get(view.key) or ())
    html = [parts[0]]
    for mark, part in zip(marks, parts[1:], strict=True):
        html += [mark, part]
    return Markup("".join(html))  # noqa: S704 - kept macro markup; the text was escaped


def kept() -> LRUCache[Any, tuple[str, ...]]:
    """The kept markup (tests check that nothing a respondent gave is in it)."""
    return _kept


def clear() -> None:
    """Forget every kept question (benchmarks measuring a first render)."""
    with _lock:
        _kept.clear()
