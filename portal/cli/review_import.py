"""`portal import reviews FILE.csv`: the review schedule from the case system (issues 14 and 15).

The rules live in portal/importing/reviews.py; this module is the command and its help, which
lists every column from the same table the importer checks against.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.cli.reports import _FILE, _QUIET, _run_import
from portal.importing.reviews import COLUMNS

# `\b` keeps click from re-wrapping the column list into one paragraph.
HELP = "\n".join(
    [
        "Import the review schedule (and held reviews) from a CSV file: all or nothing, and",
        "importing the same file again changes nothing. Files saved by Excel work (UTF-8 or",
        "Windows-1252, ; or , separators, dd/mm/yyyy dates).",
        "",
        "\b",
        "Columns (header row; optional columns may be left out or left empty):",
        *(f"  {name:<24} {text}" for name, text in COLUMNS.items()),
    ]
)


@click.command("reviews", help=HELP)
@click.argument("path", type=_FILE)
@_QUIET
@with_appcontext
def import_reviews_command(path: str, quiet: bool) -> None:
    from portal.importing.reviews import import_reviews

    _run_import(import_reviews, path, quiet)
