"""Every catalogue's plural forms agree with CLDR's plural rules (docs/adr/0070).

Babel's own table of gettext plural headers (used by `pybabel init`) is older than CLDR: it gives
Arabic's 11-99 the "other" form, Welsh five forms and Persian or Vietnamese one, so a header
written by `pybabel init` is not trusted; this test holds each header to babel's CLDR rules.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from babel.plural import _plural_tags

from portal.config import LANGUAGES, PROJECT_ROOT
from portal.languages.coverage import placeholders

CATALOGUES = PROJECT_ROOT / "translations"
NUMBERS = range(0, 201)


def catalogue(locale: str):
    path: Path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def cldr_index(locale: str, n: int) -> tuple[int, int]:
    """(nplurals, the form CLDR picks for n), numbering the categories as gettext does."""
    rule = Locale.parse(locale).plural_form
    tags = [tag for tag in _plural_tags if tag in rule.tags or tag == "other"]
    return len(tags), tags.index(rule(n))


@pytest.mark.parametrize("locale", LANGUAGES[1:])
def test_plural_forms_header_agrees_with_cldr_for_0_to_200(locale):
    read = catalogue(locale)
    choose = gettext.c2py(read.plural_expr)
    nplurals = cldr_index(locale, 1)[0]
    assert read.num_plurals == nplurals, f"{locale}: CLDR has {nplurals} plural forms"
    wrong = [n for n in NUMBERS if choose(n) != cldr_index(locale, n)[1]]
    assert not wrong, f"{locale}: the header picks the wrong form for n = {wrong[:10]}"


@pytest.mark.parametrize("locale", LANGUAGES[1:])
def test_every_translated_plural_message_has_every_form_with_its_placeholders(locale):
    read = catalogue(locale)
    plural = [m for m in read if m.id and m.pluralizable and any(m.string)]
    assert plural, f"{locale}: no translated plural message (the start page has one)"
    for message in plural:
        assert len(message.string) == read.num_plurals, message.id[0]
        expected = sorted(placeholders(message.id[1]))
        for index, form in enumerate(message.string):
            assert form.strip(), f"{locale} msgstr[{index}] is empty: {message.id[0]}"
            assert sorted(placeholders(form)) == expected, f"{locale} msgstr[{index}]: {form}"


def test_the_cldr_numbering_is_gettexts():
    """Arabic: zero, one, two, few (3-10), many (11-99), other (100-102)."""
    assert [cldr_index("ar", n)[1] for n in (0, 1, 2, 5, 11, 99, 100, 102, 103)] == [
        0, 1, 2, 3, 4, 4, 5, 5, 3,
    ]  # fmt: skip
