"""Sound shipped with the site for "Read this to me": which words, which file, which voice.

A phone may have no speech voice for the page language (most have none for Tigrinya, Pashto or
Somali), so the youngest children's pages come with audio made once by scripts/make_audio.py
(espeak-ng) and committed. Each file is named by a hash of the exact words it says in its
locale, so a changed translation has no file until the audio is made again (a test says so),
and a page never plays words it does not show. docs/adr/0069 records the voices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app, url_for

SPOKEN_DIR = "audio/spoken"
AUDIO_SUFFIX = ".opus"  # Ogg Opus: a few KB a sentence at 8 kbit/s
AUDIO_TYPE = "audio/ogg"


@dataclass(frozen=True)
class Voice:
    """The espeak-ng voice that reads a locale, and how its text is made readable by it."""

    espeak: str
    # Letters the voice does not know, written as the nearest ones it does (else it spells
    # them out as "letter six..."); honest fallbacks, recorded in docs/adr/0069.
    letters: tuple[tuple[str, str], ...] = ()
    fallback: str | None = None  # why this is not the language's own voice, if it is not

    def readable(self, text: str) -> str:
        for letter, nearest in self.letters:
            text = text.replace(letter, nearest)
        return text


# Pashto and Sorani letters that the Persian voice spells out, as the nearest Persian ones.
_PASHTO_AS_PERSIAN = (
    ("ځ", "ز"), ("څ", "س"), ("ګ", "گ"), ("ې", "ی"), ("ۍ", "ی"), ("ښ", "ش"), ("ږ", "ژ"),
    ("ټ", "ت"), ("ډ", "د"), ("ړ", "ر"), ("ڼ", "ن"), ("ك", "ک"), ("ي", "ی"),
)  # fmt: skip
_SORANI_AS_PERSIAN = (
    ("ڕ", "ر"), ("ڵ", "ل"), ("ێ", "ی"), ("ۆ", "و"), ("ە", "ه"), ("ڤ", "و"), ("ھ", "ه"),
    ("ك", "ک"), ("ي", "ی"),
)  # fmt: skip

VOICES: dict[str, Voice] = {
    "en": Voice("en-gb"),
    "en_ER": Voice("en-gb"),
    "cy": Voice("cy"),
    "ar": Voice("ar"),
    "fa": Voice("fa"),
    "fa_AF": Voice("fa", fallback="Dari read by the Persian voice (same script and words)"),
    "ps": Voice(
        "fa",
        _PASHTO_AS_PERSIAN,
        fallback="no Pashto voice: the Persian voice, Pashto-only letters as the nearest Persian",
    ),
    "ckb": Voice(
        "fa",
        _SORANI_AS_PERSIAN,
        fallback="no Sorani voice (ku is Kurmanji, Latin script): the Persian voice",
    ),
    "ku": Voice("ku"),
    "ti": Voice("am", fallback="no Tigrinya voice: the Amharic voice reads the same Ge'ez script"),
    "am": Voice("am"),
    "vi": Voice("vi"),
    "sq": Voice("sq"),
    "so": Voice("om", fallback="no Somali voice: the Oromo voice (a sister language, spelt alike)"),
    "pl": Voice("pl"),
    "om": Voice("om"),
}


def spoken_text(lines: Iterable[str | None]) -> str:
    """The words read, one line per block of the page, as they are keyed and spoken."""
    return "\n".join(" ".join(line.split()) for line in lines if line and line.strip())


def audio_file(locale: str, text: str) -> str:
    """The static-relative path of the sound of `text` in `locale`."""
    digest = hashlib.sha256(f"{locale}\n{text}".encode()).hexdigest()[:20]
    return f"{SPOKEN_DIR}/{locale}/{digest}{AUDIO_SUFFIX}"


@cache
def _exists(static_folder: str, relative: str) -> bool:
    return (Path(static_folder) / relative).is_file()


def spoken_audio_url(locale: str, text: str) -> str | None:
    """URL of the shipped sound of `text` in `locale`, or None when there is none."""
    if not text:
        return None
    relative = audio_file(locale, text)
    if not _exists(current_app.static_folder or "", relative):
        return None
    return url_for("static", filename=relative)
