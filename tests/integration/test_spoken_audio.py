"""Every 4-7 question, and every line the 4-7 pages read aloud, has shipped sound in every
language the portal offers, for its current words (docs/adr/0069)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_babel import force_locale

from portal.config import LANGUAGES, PROJECT_ROOT
from portal.languages.read_aloud import question_lines
from portal.languages.spoken import SPOKEN_DIR, VOICES, audio_file, spoken_audio_url, spoken_text
from portal.questionnaires import engine
from portal.web.respond.spoken_pages import YOUNGEST_BAND, needed_audio, youngest_forms

STATIC = PROJECT_ROOT / "static"
REMAKE = "run `make audio` and commit static/audio/spoken/"


@pytest.fixture
def app_config():
    return {"FORMS_DIR": str(PROJECT_ROOT / "forms")}


@pytest.fixture
def needed(app) -> dict[str, tuple[str, str, str]]:
    with app.test_request_context():
        return needed_audio(LANGUAGES)


def test_every_youngest_question_is_heard_in_every_language(app):
    """Counted here from the forms themselves, not from the list the script makes."""
    silent, heard = [], 0
    with app.test_request_context():
        forms = youngest_forms()
        for locale in LANGUAGES:
            with force_locale(locale):
                for form in forms:
                    for screen in engine().screens(form, YOUNGEST_BAND):
                        for view in engine().views(form, screen, YOUNGEST_BAND, locale):
                            text = spoken_text(question_lines(view.addressed()))
                            if (STATIC / audio_file(locale, text)).is_file():
                                heard += 1
                            else:
                                silent.append(f"{locale} {form.key}.{view.key}")
    assert {form.key for form in forms} == {"child_consultation", "child_feedback"}
    assert silent == [], f"{len(silent)} silent ({REMAKE}): {silent[:5]}"
    assert heard >= 30 * len(LANGUAGES)


def test_every_youngest_page_is_heard_in_every_language(needed):
    heard = {(locale, where) for locale, where, _ in needed.values()}
    for locale in LANGUAGES:
        for page in ("check", "safe", "sent consultation", "sent feedback"):
            assert (locale, page) in heard


def test_every_sound_exists_for_the_current_words(needed):
    absent = sorted(
        f"{locale} {where}: {path}"
        for path, (locale, where, _) in needed.items()
        if not (STATIC / path).is_file()
    )
    assert absent == [], f"{len(absent)} sounds missing ({REMAKE}): {absent[:5]}"


def test_no_sound_is_shipped_that_no_page_says(needed):
    shipped = {str(path.relative_to(STATIC)) for path in (STATIC / SPOKEN_DIR).rglob("*.opus")}
    assert sorted(shipped - set(needed)) == [], REMAKE


def test_the_sounds_are_small_ogg_opus_files(needed):
    sizes = [(STATIC / path).stat().st_size for path in needed if (STATIC / path).is_file()]
    assert sizes and max(sizes) < 64 * 1024  # about a minute of speech at most
    sample = STATIC / next(iter(needed))
    assert sample.read_bytes()[:4] == b"OggS" and b"OpusHead" in sample.read_bytes()[:64]


def test_every_language_the_portal_offers_has_a_voice():
    assert set(LANGUAGES) <= set(VOICES)


def test_a_changed_translation_has_no_sound_until_it_is_made_again(app, needed):
    locale, _, text = next(iter(needed.values()))
    with app.test_request_context():
        # Fingerprinted like every static file (`?v=<hash>`): the path names the words' own file.
        url = spoken_audio_url(locale, text)
        assert url is not None and url.split("?")[0] == "/static/" + audio_file(locale, text)
        assert spoken_audio_url(locale, text + " (changed)") is None
        assert spoken_audio_url("ti", text) is None  # the words of another language


def test_the_sound_is_keyed_by_the_words_the_page_shows(app):
    """The question's own translated label, hint and choices, in the page language."""
    with app.test_request_context(), force_locale("ti"):
        [form] = [form for form in youngest_forms() if form.key == "child_consultation"]
        screen = engine().screens(form, YOUNGEST_BAND)[0]
        [view] = engine().views(form, screen, YOUNGEST_BAND, "ti")
        lines = question_lines(view)
        assert lines[0] == view.label != "How do you feel?"
        assert Path(STATIC / audio_file("ti", spoken_text(lines))).is_file()


@pytest.mark.parametrize("locale", ["ps", "ckb"])
def test_the_persian_voice_is_given_only_letters_it_says(needed, locale):
    """Pashto and Sorani are read by the Persian voice (no voice of their own): any letter not in
    Persian would be spelt out by name ("letter six…"), so each is written as the nearest one."""
    persian = set("آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءأؤئةۀ")
    # Vowel signs, joiners, isolates and the tatweel (stretching): the voice reads or skips them.
    marks = {chr(code) for code in range(0x064B, 0x0660)} | set("\u200c\u200f\u2066\u2069\u0640")
    voice = VOICES[locale]
    unknown = {
        letter
        for where_locale, _, text in needed.values()
        if where_locale == locale
        for letter in voice.readable(text)
        if "\u0600" <= letter <= "\u06ff"
        and letter not in persian | marks
        and not letter.isdigit()
        and letter not in "،؛؟٪"
    }
    assert unknown == set(), sorted(unknown)
