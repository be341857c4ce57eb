"""Phone numbers on pages: `tel:` links whose digits right-to-left text cannot split or reorder.

A number is written as <a href="tel:08001111"><bdi dir="ltr" class="phone">0800 1111</bdi></a>:
the isolate keeps its digits left to right inside Arabic or Farsi, and the `phone` class keeps it
on one line (white-space: nowrap in static/css/portal.css; no inline style under the CSP).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

EMERGENCY = "999"
CHILDLINE = "0800 1111"
# Numbers every respondent page may mention, found inside translated sentences.
WELL_KNOWN = (CHILDLINE, EMERGENCY)
# Translators isolate numbers with Unicode marks (LRI ... PDI, LRM): the <bdi> does that job now.
_MARKS = "[\u2066\u2067\u2068\u2069\u200e\u200f]?"
# Between digit groups: a space, a no-break space or a narrow no-break space.
_GAP = "[ \u00a0\u202f]?"
_LINK = Markup('<a href="{}"><bdi dir="ltr" class="phone">{}</bdi></a>')


def tel_href(number: str) -> str:
    """The `tel:` address of a number (RFC 3966 allows no spaces)."""
    return "tel:" + "".join(c for c in number if c.isdigit() or c == "+")


def phone_link(number: str) -> Markup:
    """One number as a `tel:` link that stays on one line, left to right."""
    number = " ".join(str(number).split())
    if not number:
        return Markup("")
    return _LINK.format(tel_href(number), number)


@lru_cache(maxsize=64)
def _pattern(numbers: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for the numbers, longest first, never matching inside a longer number."""
    alternatives = []
    for number in sorted(set(numbers), key=len, reverse=True):
        groups = number.replace("+", " + ").split()
        alternatives.append(_GAP.join(re.escape(group) for group in groups))
    # Not glued to a digit, nor to a digit one space away: "999" inside "0800 999 123" is not 999.
    return re.compile(
        rf"(?<![\d+])(?<!\d[ \u00a0\u202f]){_MARKS}(?P<n>{'|'.join(alternatives)}){_MARKS}"
        rf"(?![ \u00a0\u202f]?\d)"
    )


def phone_links(text: object, *numbers: str) -> Markup:
    """A sentence with 999, Childline and the given `numbers` made `tel:` links.

    Everything around the numbers is escaped (a translation is plain text), so nothing in it can
    become markup. Each number found is linked in its canonical spelling from the list.
    """
    source = text if isinstance(text, Markup) else str(text)
    known = tuple(n for n in (*WELL_KNOWN, *numbers) if n and any(c.isdigit() for c in n))
    canonical = {re.sub(r"\D", "", n): " ".join(n.split()) for n in known}
    pieces: list[Markup] = []
    end = 0
    for match in _pattern(known).finditer(source):
        found = match.group("n")
        pieces.append(escape(source[end : match.start()]))
        pieces.append(phone_link(canonical.get(re.sub(r"\D", "", found), found)))
        end = match.end()
    pieces.append(escape(source[end:]))
    return Markup("").join(pieces)
