"""`portal import reviews` and `portal import contacts`: the schedule and the people to invite,
from the case system.

The rules live in portal/importing/reviews.py and contacts.py; this module is the commands and
their help, which lists every column from the same table the importer checks against.
"""

from __future__ import annotations

from portal.cli.reports import import_command
from portal.importing.contacts import COLUMNS as CONTACT_COLUMNS
from portal.importing.reviews import COLUMNS


def column_help(intro: list[str], columns: dict[str, str]) -> str:
    """An import's help: its intro, then every column from the table the importer checks."""
    # `\b` keeps click from re-wrapping the column list into one paragraph.
    return "\n".join(
        [
            *intro,
            "",
            "\b",
            "Columns (header row; optional columns may be left out or left empty):",
            *(f"  {name:<24} {text}" for name, text in columns.items()),
        ]
    )


HELP = column_help(
    [
        "Import the review schedule (and held reviews) from a CSV file: all or nothing, and",
        "importing the same file again changes nothing. Files saved by Excel work (UTF-8 or",
        "Windows-1252, ; or , separators, dd/mm/yyyy dates).",
    ],
    COLUMNS,
)


import_reviews_command = import_command("reviews", "portal.importing.reviews:import_reviews", HELP)
import_contacts_command = import_command(
    "contacts",
    "portal.importing.contacts:import_contacts",
    column_help(
        [
            "Import the people to invite for each child from a CSV file: a row replaces the",
            "contact with the same case_ref, role and name; all or nothing, and importing the",
            "same file again changes nothing. Files saved by Excel work (UTF-8 or",
            "Windows-1252, ; or , separators, addresses on several lines in one cell).",
        ],
        CONTACT_COLUMNS,
    ),
)
