"""Make the sound "Read this to me" plays on the youngest children's pages (`make audio`).

Reads every line the 4-7 pages say in every language the portal offers, speaks each with
espeak-ng (Debian: apt-get install espeak-ng opus-tools) and keeps it as a small Ogg Opus file
under static/audio/spoken/<locale>/, named by a hash of the words. Files already made are kept;
files no page says any more are removed. Commit the result: CI and the site need no speech
engine. Voices and fallbacks: portal/languages/spoken.py and docs/adr/0069.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from portal import create_app
from portal.config import LANGUAGES
from portal.languages.spoken import SPOKEN_DIR, VOICES
from portal.web.respond.spoken_pages import needed_audio

SPEED = 135  # words a minute: slower than espeak's 175, for young children
BITRATE = 8  # kbit/s mono Opus: clear enough for a synthetic voice, a few KB a sentence
_ENDS_SENTENCE = re.compile(r"[.!?؟።።:…]$")


def spoken_form(text: str) -> str:
    """Each line ends as a sentence, so the voice pauses between the question and each answer."""
    return "\n".join(
        line if _ENDS_SENTENCE.search(line) else f"{line}." for line in text.split("\n")
    )


def program(name: str) -> str:
    """The full path of a Debian program the sound is made with."""
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is missing: apt-get install -y espeak-ng opus-tools")
    return found


def make(path: Path, locale: str, text: str) -> None:
    voice = VOICES[locale]
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        wav = Path(work) / "speech.wav"
        words = spoken_form(voice.readable(text))
        subprocess.run(  # noqa: S603 - fixed programs, our own committed words
            [program("espeak-ng"), "-v", voice.espeak, "-s", str(SPEED), "-w", str(wav), words],
            check=True,
        )
        subprocess.run(  # noqa: S603
            [program("opusenc"), "--quiet", "--bitrate", str(BITRATE), "--downmix-mono", "--comp", "10",
             "--discard-comments", str(wav), str(path)],
            check=True,
        )  # fmt: skip


def main() -> int:
    program("espeak-ng"), program("opusenc")
    app = create_app()
    static = Path(app.static_folder or "static")
    with app.test_request_context():
        needed = needed_audio(LANGUAGES)
    made = 0
    for relative, (locale, _where, text) in sorted(needed.items()):
        path = static / relative
        if not path.exists():
            make(path, locale, text)
            made += 1
    stale = [
        p for p in (static / SPOKEN_DIR).rglob("*.opus") if str(p.relative_to(static)) not in needed
    ]
    for path in stale:
        path.unlink()
    total = sum((static / relative).stat().st_size for relative in needed)
    print(f"{len(needed)} sounds ({made} made, {len(stale)} removed), {total // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
