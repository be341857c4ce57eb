"""`portal translations report`: coverage per locale and per form, and a gate for releases."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.languages.coverage import PAGES, STAFF, LocaleReport, report
from portal.languages.i18n import language_name


def _area_order(area: str) -> tuple[int, str]:
    return (0 if area == PAGES else 2 if area == STAFF else 1, area)


def _row(label: str, counts, width: int) -> str:
    return (
        f"{label:<{width}} {counts.total:>6} {counts.translated:>10} {counts.reviewed:>8} "
        f"{counts.draft:>6} {counts.fuzzy:>6} {counts.missing:>8}"
    )


def render(reports: list[LocaleReport], *, per_form: bool) -> list[str]:
    """The report as lines of text (a table, then the breakdown by area)."""
    header = f"{'locale':<26} {'total':>6} {'translated':>10} {'reviewed':>8} {'draft':>6} {'fuzzy':>6} {'missing':>8}"
    lines = [
        "Respondent-facing strings per locale. translated = reviewed + draft (both shown);",
        "fuzzy strings are not shown and missing ones fall back to English, string by string.",
        "",
        header,
    ]
    for result in reports:
        label = f"{result.locale} {language_name(result.locale)}"
        lines.append(_row(label, result.counts, 26))
    if per_form:
        for result in reports:
            lines += ["", f"{result.locale}:"]
            for area in sorted(result.by_area, key=_area_order):
                lines.append(_row(f"  {area}", result.by_area[area], 40))
    problems = [(r.locale, p) for r in reports for p in r.problems]
    lines.append("")
    if problems:
        lines.append(f"{len(problems)} problem(s) must be fixed:")
        lines += [f"  {locale}: {problem}" for locale, problem in problems]
    else:
        lines.append("No problems: every catalogue compiles and every placeholder matches.")
    return lines


@click.group("translations")
def translations_group() -> None:
    """Translation catalogues."""


@translations_group.command("report")
@click.option("--per-form/--summary", default=True, help="Break each locale down by form.")
@click.option("--locale", "locales", multiple=True, help="Only these locales (repeatable).")
@click.option(
    "--translations-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Catalogues to check (default: the project's translations/).",
)
@with_appcontext
def translations_report(
    per_form: bool, locales: tuple[str, ...], translations_dir: Path | None
) -> None:
    """Coverage per locale and form; exits 1 if a catalogue is broken or a placeholder differs."""
    chosen = locales or tuple(current_app.config["LANGUAGES"])
    kwargs = {"translations": translations_dir} if translations_dir else {}
    reports = report(chosen, **kwargs)
    for line in render(reports, per_form=per_form):
        click.echo(line)
    if any(result.problems for result in reports):
        raise SystemExit(1)
