"""Catalogues: they compile, their placeholders match, and the report says how good they are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from portal.config import LANGUAGES
from portal.languages.coverage import placeholders, report


def write_catalogue(directory: Path, locale: str, entries: dict[str, str], **kwargs) -> Path:
    catalogue = Catalog(locale=locale, fuzzy=False)
    for msgid, msgstr in entries.items():
        catalogue.add(msgid, msgstr, **kwargs)
    path = directory / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue)
    return path


def test_every_listed_language_has_a_catalogue_that_compiles_with_matching_placeholders(runner):
    result = runner.invoke(args=["translations", "report"])
    assert result.exit_code == 0, result.output
    assert "No problems" in result.output
    for locale in LANGUAGES[1:]:
        assert f"\n{locale} " in result.output


def test_report_fails_when_a_translation_drops_or_renames_a_placeholder(runner, tmp_path):
    write_catalogue(
        tmp_path,
        "ps",
        {
            "Your review is on %(date)s": "ستاسو کتنه په %(data)s ده",
            "{count} questions left": "پوښتنې پاتې دي",
        },
    )
    result = runner.invoke(
        args=["translations", "report", "--locale", "ps", "--translations-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "%(data)s" in result.output and "%(date)s" in result.output
    assert "{count}" in result.output
    assert "problem(s) must be fixed" in result.output


def test_report_fails_when_a_catalogue_does_not_parse_or_is_skipped_as_fuzzy(runner, tmp_path):
    broken = tmp_path / "ti" / "LC_MESSAGES" / "messages.po"
    broken.parent.mkdir(parents=True)
    broken.write_text('msgid "Yes"\nmsgstr "እወ"\nthis line is not gettext\n', encoding="utf-8")
    path = write_catalogue(tmp_path, "am", {"Yes": "አዎ"})
    path.write_text("#, fuzzy\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(
        args=[
            "translations", "report", "--locale", "ti", "--locale", "am",
            "--translations-dir", str(tmp_path),
        ]
    )  # fmt: skip
    assert result.exit_code == 1
    assert "ti: does not parse" in result.output
    assert "am: the header is marked fuzzy" in result.output


def test_report_counts_drafts_fuzzy_and_missing_strings_separately(tmp_path, app):
    sources_dir = tmp_path / "translations"
    path = write_catalogue(sources_dir, "so", {})
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n# draft: unchecked machine-quality translation\nmsgid "Yes"\nmsgstr "Haa"\n'
        + '\n#, fuzzy\nmsgid "No"\nmsgstr "Maya"\n'
        + '\nmsgid "Language"\nmsgstr "Luqadda"\n',
        encoding="utf-8",
    )
    with app.app_context():
        (result,) = report(["so"], translations=sources_dir)
    assert not result.problems
    assert (result.counts.draft, result.counts.fuzzy, result.counts.reviewed) == (1, 1, 1)
    assert result.counts.missing == result.counts.total - 3
    assert result.by_area["form child_feedback"].draft == 1  # "Yes" in the child's form


def test_placeholders_are_found_in_both_python_formats_and_not_in_plain_percentages():
    assert placeholders("%(name)s is %(age)d, %s") == ["%(age)d", "%(name)s", "%s"]
    assert placeholders("{name} and {0}, not {{literal}}") == ["{0}", "{name}"]
    assert placeholders("100%% sure") == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Friday 11 December 2026"),  # British order, not Babel's US "en"
        ("en_ER", "Friday 11 December 2026"),
        ("cy", "Dydd Gwener, 11 Rhagfyr 2026"),
    ],
)
def test_review_dates_are_written_for_the_reader(app, lang, expected):
    from portal.web.templating import long_date

    with app.test_request_context(f"/?lang={lang}"):
        assert long_date(dt.date(2026, 12, 11)) == expected
