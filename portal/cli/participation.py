"""`portal report participation`: how children took part in the reviews held in a range."""

from __future__ import annotations

import json
from typing import Any

import click
from flask.cli import with_appcontext

from portal.cli.reports import _date, _emit, _iro_id, _period
from portal.models import REVIEW_KINDS
from portal.reporting.participation import BY_FIELDS, PERIOD_LENGTHS


@click.command("participation")
@click.option("--from", "start", required=True, callback=_date, help="First held date.")
@click.option("--to", "end", required=True, callback=_date, help="Last held date.")
@click.option("--kind", type=click.Choice(REVIEW_KINDS), help="Omit for both kinds of review.")
@click.option("--iro", help="Only reviews chaired by this IRO (email).")
@click.option("--by", "by", type=click.Choice(BY_FIELDS), help="Also one set of figures per group.")
@click.option(
    "--period",
    "length",
    type=click.Choice(tuple(PERIOD_LENGTHS)),
    default="fy",
    show_default=True,
    help="Length of a period when grouping --by period (fy = financial year).",
)
@click.option("--publication", is_flag=True, help="Apply the publication rule (ADR 0046).")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "table"]), default="table",
    show_default=True,
)  # fmt: skip
@with_appcontext
def report_participation(
    start: Any,
    end: Any,
    kind: str | None,
    iro: str | None,
    by: str | None,
    length: str,
    publication: bool,
    fmt: str,
) -> None:
    """Reviews held, by participation code (PN0-PN7), the participation rates and chairing."""
    from portal.reporting.exports import csv_bytes
    from portal.reporting.participation import ParticipationFilters, participation_report
    from portal.reporting.participation_shown import ShownParticipation
    from portal.reporting.tables import text_table

    filters = ParticipationFilters(kind=kind, iro_id=_iro_id(iro))
    report = participation_report(_period(start, end), filters, by, PERIOD_LENGTHS[length])
    shown = ShownParticipation(report, publication)
    if fmt == "json":
        click.echo(json.dumps(shown.as_json(), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        _emit(csv_bytes(shown.export_tables()).decode("utf-8-sig"))
    else:
        click.echo("\n\n".join(text_table(table) for table in shown.export_tables()))
