"""A question screen's page, drawn once per screen and language and reused by every respondent.

Drawing the page (base.html around respond/screen.html) was the largest part of a question
page's cost (docs/speed.md). Without errors or messages to show, the page differs between
respondents only in its title (it may name the child), its back link, its CSRF token, the
questions with their answers and the page's URL in the language links. Those go into random slots
per request (`Slots`); everything else is drawn from a `Shell`, whose fields are both the cache
key and the only values the template is given.

So nothing about a respondent can be kept, whatever a template adds later: the page is drawn in
a copy of the template environment that has no request, session, g or CSRF token among its
globals and that fails (StrictUndefined) on any name it was not given. A value added to
screen.html or base.html must come in through `Shell` (and so be in the key) or through a slot.
The same drawing runs with the cache off (development), so what a developer sees is what
production serves.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import asdict, dataclass

from cachetools import LRUCache, cached
from flask import current_app, render_template
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from portal.languages.i18n import language_context

TEMPLATE = "respond/screen.html"
# The only globals the page may use: neither reads anything about the reader.
GLOBALS = ("url_for", "frame_piece")
SLOT = "screen-" + secrets.token_hex(16)  # random, so no form or translation can contain it
_SLOT_NAMES = ("page_title", "back_url", "csrf", "questions", "switch_url")
_SLOTTED = re.compile(f"{SLOT}-({'|'.join(_SLOT_NAMES)})-")
_ENVIRONMENT = "portal.screen_shell"  # its key in app.extensions
# A few KB each: every screen of every form in a few languages and both flags' values.
_kept: LRUCache[Shell, tuple[str, ...]] = LRUCache(maxsize=1024)
_lock = threading.Lock()  # the development server is threaded


@dataclass(frozen=True)
class Shell:
    """What a screen's page shows besides its slots: the cache key, and all the template gets.

    `locale` and `script_root` are not passed to the template: they are in the key because its
    translations and URLs depend on them.
    """

    locale: str
    script_root: str
    number: int  # the screen's index (0 for the first)
    total: int
    heading: str  # the screen's translated title (the h1 of a screen of several questions)
    single: bool  # one question, which is the page's heading
    skippable: bool
    saved: bool
    return_to_check: bool
    help_now: bool

    def template_values(self) -> dict[str, object]:
        """The fields the template is given: all but `locale` and `script_root`."""
        values = asdict(self)
        del values["locale"], values["script_root"]
        return values


@dataclass(frozen=True)
class Slots:
    """What is put into a screen's page per request."""

    page_title: str
    back_url: str
    csrf: str
    questions: Markup
    switch_url: str

    def filled(self) -> dict[str, str]:
        """Each slot's text as the page shows it (escaped, as the template would)."""
        return {
            "page_title": str(escape(self.page_title)),
            "back_url": str(escape(self.back_url)),
            "csrf": str(escape(self.csrf)),
            "questions": str(self.questions),
            "switch_url": str(escape(self.switch_url)),
        }


def _environment() -> Environment:
    """The app's template environment without anything about the request (made once per app)."""
    environment = current_app.extensions.get(_ENVIRONMENT)
    if environment is None:
        environment = current_app.jinja_env.overlay(undefined=StrictUndefined)
        environment.globals = {name: current_app.jinja_env.globals[name] for name in GLOBALS}
        current_app.extensions[_ENVIRONMENT] = environment
    return environment


def _template_values(shell: Shell) -> dict[str, object]:
    values = {"errors": {}, "error_items": (), "flashed": ()}
    return {**language_context(), **shell.template_values(), **values}


def _draw(shell: Shell) -> tuple[str, ...]:
    """The page with a mark in each slot, split at the marks: text, slot name, text, ..."""
    marks = {name: Markup(f"{SLOT}-{name}-") for name in _SLOT_NAMES}  # noqa: S704 - hex only
    html = _environment().get_template(TEMPLATE).render(**_template_values(shell), **marks)
    return tuple(_SLOTTED.split(html))


@cached(_kept, lock=_lock)
def _kept_draw(shell: Shell) -> tuple[str, ...]:
    return _draw(shell)


def screen_page_html(shell: Shell, slots: Slots) -> str:
    """The screen's page: the kept drawing for `shell` with `slots` put in."""
    parts = _draw(shell) if current_app.jinja_env.auto_reload else _kept_draw(shell)
    filled = slots.filled()
    html = [parts[0]]
    for index in range(1, len(parts), 2):
        html += [filled[parts[index]], parts[index + 1]]
    return "".join(html)


def whole_screen_page(shell: Shell, slots: Slots, **extra: object) -> str:
    """The same page drawn whole, with the live template context (a page with errors)."""
    return render_template(TEMPLATE, **shell.template_values(), **asdict(slots), **extra)


def kept() -> LRUCache[Shell, tuple[str, ...]]:
    """The kept pages (tests check what is in them)."""
    return _kept


def clear() -> None:
    """Forget every kept page (benchmarks measuring a first render)."""
    with _lock:
        _kept.clear()
