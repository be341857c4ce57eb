"""Recorded audio for "Read this to me": which file, if any, a question has here.

A form's question may name a recording per locale (`audio: {ps: child_feedback/sent_form.mp3}`);
files live under static/audio/<locale>/. Otherwise the sound made for the exact words shown
(portal.languages.spoken, the youngest children's pages) is used. A recording is offered only if
the file is really there, so a missing file means the browser's speech voice (or no button),
never a broken player.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Flask, current_app, url_for

from portal.languages.i18n import current_language, html_lang
from portal.languages.spoken import spoken_audio_url, spoken_text

AUDIO_DIR = "audio"


@cache
def _exists(static_folder: str, relative: str) -> bool:
    return (Path(static_folder) / relative).is_file()


def audio_path(audio: dict[str, str], locale: str) -> str | None:
    """The static-relative path of the recording for `locale`, or None (no fallback language)."""
    name = audio.get(locale)
    return f"{AUDIO_DIR}/{locale}/{name}" if name else None


def question_lines(question: object) -> list[str | None]:
    """The words of a question as "Read this to me" says them: label, hint, each choice."""
    lines: list[str | None] = [getattr(question, "label", None), getattr(question, "help", None)]
    lines += [getattr(choice, "label", None) for choice in getattr(question, "choices", ())]
    lines += [getattr(question, "min_label", None), getattr(question, "max_label", None)]
    return lines


def question_audio_url(question: object) -> str | None:
    """URL of the question's recording in the page language, if the file exists.

    `question.audio` is the schema's `{locale: path}` or a path already chosen for this locale;
    without one, the shipped sound of the question's exact words, if there is one.
    """
    locale = current_language()
    audio = getattr(question, "audio", None) or {}
    relative = audio_path(audio if isinstance(audio, dict) else {locale: audio}, locale)
    static_folder = current_app.static_folder or ""
    if relative is None or not _exists(static_folder, relative):
        return spoken_audio_url(locale, spoken_text(question_lines(question)))
    return url_for("static", filename=relative)


def lines_audio_url(lines: list[str]) -> str | None:
    """URL of the shipped sound of these lines of a page in the page language, if any."""
    return spoken_audio_url(current_language(), spoken_text(lines))


def read_aloud_language() -> tuple[str, str]:
    """(BCP 47 tag for speech, locale code) of this page; macros do not see the context."""
    code = current_language()
    return html_lang(code), code


def init_app(app: Flask) -> None:
    """Template globals for macros/read_aloud.html (imported macros get no request context)."""
    app.jinja_env.globals["question_audio_url"] = question_audio_url
    app.jinja_env.globals["read_aloud_language"] = read_aloud_language
    app.jinja_env.globals["lines_audio_url"] = lines_audio_url
