"""`portal import …` and `portal report …`: contracts used by scheduled reports and migrations.

Errors in an import file are printed one per line as `line N: reason` and the command exits
with status 1 having changed nothing.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.importing.csvfile import ImportError_, ImportSummary, count_lines
from portal.models import CHANNELS, STAGES, StaffUser
from portal.reporting.exports import csv_bytes
from portal.reporting.periods import GRANULARITIES, PeriodError, date_range, parse_date


@click.group("import")
def import_group() -> None:
    """Import invitations or responses from CSV (all or nothing)."""


@contextmanager
def _bars(path: Path, quiet: bool) -> Iterator[tuple[Callable[[int], None] | None, ...]]:
    if quiet:
        yield None, None
        return
    total = count_lines(path)
    # One bar for both halves: checking every row, then saving them.
    with click.progressbar(length=2 * total, label="Importing", file=sys.stderr) as bar:
        yield bar.update, bar.update


def _run_import(function: Callable[..., ImportSummary], path: str, quiet: bool) -> None:
    source = Path(path)
    try:
        with _bars(source, quiet) as (checking, saving):
            summary = function(source, checking, saving)
    except ImportError_ as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(problem, err=True)
        click.echo(f"Nothing imported: {len(error.problems)} problem(s).", err=True)
        raise SystemExit(1) from None
    click.echo(summary.line())


def import_command(name: str, function: str, help: str) -> click.Command:
    """`portal import <name> PATH [--quiet]`, running the importer `function` ("module:name",
    imported when the command runs, so the CLI starts without loading every importer)."""

    @click.command(name, help=help)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True))
    @click.option("--quiet", is_flag=True, help="No progress bar; only the summary.")
    @with_appcontext
    def command(path: str, quiet: bool) -> None:
        module, attribute = function.split(":")
        _run_import(getattr(import_module(module), attribute), path, quiet)

    return command


import_group.add_command(
    import_command(
        "invitations",
        "portal.importing.invitations:import_invitations",
        "Import sent and returned forms: case_ref,review_kind,review_date,stage,role,sent_on,…",
    )
)
import_group.add_command(
    import_command(
        "responses",
        "portal.importing.responses:import_responses",
        "Import historical or paper responses: form,submitted_on,language,<question keys>…",
    )
)


@click.group("report")
def report_group() -> None:
    """Return rates and feedback results, for scheduled reports."""


def _date(_ctx: Any, param: click.Parameter, value: str) -> Any:
    try:
        return parse_date(value)
    except PeriodError as error:
        raise click.BadParameter(str(error), param=param) from None


def _iro_id(email: str | None) -> int | None:
    if not email:
        return None
    found = db.session.execute(
        db.select(StaffUser.id).where(StaffUser.email == email.strip().lower())
    ).scalar_one_or_none()
    if found is None:
        raise click.BadParameter(f"no staff user {email}", param_hint="--iro")
    return found


def _period(start: Any, end: Any) -> Any:
    try:
        return date_range(start, end)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None


def _emit(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))


@report_group.command("returns")
@click.option("--from", "start", required=True, callback=_date, help="First review date.")
@click.option("--to", "end", required=True, callback=_date, help="Last review date.")
@click.option("--stage", type=click.Choice(STAGES), help="Omit for both stages.")
@click.option(
    "--by",
    "by",
    default="role,review_kind",
    show_default=True,
    help="Comma list from role,review_kind,iro,channel,language,period.",
)
@click.option(
    "--period",
    "granularity",
    type=click.Choice(GRANULARITIES),
    default="month",
    show_default=True,
    help="Length of a period when grouping --by period.",
)
@click.option("--iro", help="Only reviews chaired by this IRO (email).")
@click.option("--channel", type=click.Choice(CHANNELS))
@click.option("--language")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--publication", is_flag=True, help="Apply the publication rule (ADR 0046).")
@with_appcontext
def report_returns(
    start: Any,
    end: Any,
    stage: str | None,
    by: str,
    granularity: str,
    iro: str | None,
    channel: str | None,
    language: str | None,
    fmt: str,
    publication: bool,
) -> None:
    """Forms sent, received and the return rate, by review date."""
    from portal.reporting.published import ShownReturns
    from portal.reporting.returns import Filters, parse_by, return_rates
    from portal.reporting.tables import returns_table, text_table

    try:
        fields = parse_by(by)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--by") from None
    filters = Filters(stage=stage, iro_id=_iro_id(iro), channel=channel, language=language)
    table = return_rates(_period(start, end), fields, filters, granularity)
    if fmt == "json":
        shown = ShownReturns({"rates": table}, publication).as_json("rates")
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        _emit(csv_bytes([returns_table(table, publication)]).decode("utf-8-sig"))
    else:
        click.echo(text_table(returns_table(table, publication)))


@report_group.command("feedback")
@click.option("--form", "form_key", required=True, help="Form key, e.g. child_feedback.")
@click.option("--from", "start", required=True, callback=_date, help="First submitted date.")
@click.option("--to", "end", required=True, callback=_date, help="Last submitted date.")
@click.option("--iro", help="Only responses about reviews chaired by this IRO (email).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--publication", is_flag=True, help="Apply the publication rule (ADR 0046).")
@with_appcontext
def report_feedback(
    form_key: str, start: Any, end: Any, iro: str | None, fmt: str, publication: bool
) -> None:
    """Answers to one feedback form: per question, answered and per-option counts."""
    from portal.questionnaires import catalogue
    from portal.reporting.feedback import FeedbackFilters, comments, feedback_results
    from portal.reporting.published import shown_feedback
    from portal.reporting.tables import comments_table, feedback_table
    from portal.staff import audit

    form = catalogue().get(form_key)
    if form is None:
        known = ", ".join(sorted(f.key for f in catalogue()))
        raise click.BadParameter(f"no form {form_key!r} (known: {known})", param_hint="--form")
    period = _period(start, end)
    filters = FeedbackFilters(iro_id=_iro_id(iro))
    results = feedback_results(form, period, filters)
    if fmt == "json":
        shown = shown_feedback(results, publication)
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    tables = [feedback_table(results, publication)]
    if not publication:
        tables.append(comments_table(comments(form, period, filters)))
        audit.record("report_comments_exported", None, form=form.key, via="cli")
        db.session.commit()
    _emit(csv_bytes(tables).decode("utf-8-sig"))
