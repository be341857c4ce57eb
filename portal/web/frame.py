"""The frame of a page (stylesheet, switcher, footer, scripts, read-aloud script), kept per language.

Every public and respondent page draws the same frame around its content, and drawing it each
time was a large part of a question page's CPU (docs/speed.md): a safety sentence's phone links,
static file URLs, the switcher's sixteen links. What a kept piece shows comes only from the language and where the app is mounted
(`script_root`), which are all the cache is keyed on: the pieces are rendered by macros of
templates/macros/frame.html that get no request context, so nothing about the reader can reach
them. The one per-request value in the frame, the current page's URL that the switcher's links
keep the reader on, is put into random slots per request, outside the cache (like the answers in
fragments.py). Off when templates reload (development).
"""

from __future__ import annotations

import secrets
import threading

from cachetools import LRUCache, cached
from flask import current_app, get_template_attribute, request
from markupsafe import Markup, escape

from portal.languages.i18n import current_language, language_name

# Where the current page's URL goes in the kept switcher: random, so no translation contains it.
SLOT = "frame-" + secrets.token_hex(16)
PIECES = ("head", "switcher", "footer", "scripts", "read_aloud_script")
# Five pieces a language (and a mount point): a few KB each.
_kept: LRUCache[tuple[str, str, str], tuple[str, ...]] = LRUCache(maxsize=256)
_lock = threading.Lock()  # the development server is threaded


def _render(piece: str, locale: str) -> tuple[str, ...]:
    """One piece of the frame in the current locale, split at the current page URL's slots."""
    macro = get_template_attribute("macros/frame.html", piece)
    html = macro(SLOT, language_name(locale)) if piece == "switcher" else macro()
    return tuple(str(html).split(SLOT))


@cached(_kept, lock=_lock)
def _parts(piece: str, locale: str, script_root: str) -> tuple[str, ...]:
    """`script_root` is not read here: it is in the key because the static URLs depend on it."""
    return _render(piece, locale)


def frame_piece(piece: str, page_url: str = "") -> Markup:
    """The frame's `piece` for this request's language, with `page_url` in its slots."""
    if piece not in PIECES:
        raise ValueError(f"no frame piece {piece!r}")
    locale = current_language()
    if current_app.jinja_env.auto_reload:
        parts = _render(piece, locale)
    else:
        parts = _parts(piece, locale, request.script_root)
    return Markup(str(escape(page_url)).join(parts))  # noqa: S704 - macro markup; the URL escaped


def kept() -> LRUCache[tuple[str, str, str], tuple[str, ...]]:
    """The kept pieces (tests check what is in them)."""
    return _kept


def clear() -> None:
    """Forget every kept piece (benchmarks measuring a first render)."""
    with _lock:
        _kept.clear()
