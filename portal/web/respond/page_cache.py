"""Question pages rendered once per distinct page, not once per request (issue 8).

A question page shows the same markup to every respondent on that screen of that form, in that
language, with the same options chosen: a carer opening page 2 sees what the previous carer saw.
Rendering it (layout, switcher, translations, questions) was a third of the page's CPU, so the
HTML is kept, keyed on everything it shows, and only the session's CSRF token is put in per
request. As with the question fragments, nothing a respondent typed is ever kept: a page showing
a text answer, an error or a flashed message is rendered every time. Off when templates reload.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf as page_csrf_token

from portal.languages.i18n import current_language
from portal.web.templating import switch_prefix

# What the cached HTML holds where the CSRF token goes: random, so no answer can contain it.
CSRF_SLOT = "csrf-" + secrets.token_hex(16)
MAX_PAGES = 256  # about 20 KB each: a few MB per worker at most


class _LRU:
    """A small thread-safe least-recently-used map (the development server is threaded)."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key: Hashable, html: str) -> None:
        with self._lock:
            self._items[key] = html
            if len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_pages = _LRU(MAX_PAGES)


def render_page(template: str, key: Hashable | None, **context: object) -> str:
    """render_template, reused while `key` (all the page shows but the CSRF token) is the same.

    `key` None: this page holds something personal (typed text, an error); always render it.
    """
    if key is None or current_app.jinja_env.auto_reload or session.get("_flashes"):
        return render_template(template, **context)
    full_key = (template, key, current_language(), switch_prefix(), request.script_root)
    html = _pages.get(full_key)
    if html is None:
        slot: Callable[[], str] = lambda: CSRF_SLOT  # noqa: E731
        html = render_template(template, csrf_token=slot, **context)
        _pages.put(full_key, html)
    return html.replace(CSRF_SLOT, page_csrf_token())


def clear() -> None:
    """Forget every kept page (tests that change forms or translations at run time)."""
    _pages.clear()
