"""`portal invitations prepare --from DATE --to DATE`: prepare a window's reviews in bulk.
The rule is portal/rules/bulk_prepare.py; this is the command and its output."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.models import ROLES
from portal.rules.bulk_prepare import prepare_window, window_problem


@click.group("invitations")
def invitations_group() -> None:
    """Invitations in bulk."""


def _date(_ctx: click.Context, param: click.Parameter, value: str) -> dt.date:
    """YYYY-MM-DD (or dd/mm/yyyy, as a spreadsheet writes it); anything else is a usage error."""
    for parse in (
        dt.date.fromisoformat,
        lambda text: dt.datetime.strptime(text, "%d/%m/%Y").date(),
    ):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD", param=param)


@invitations_group.command("prepare")
@click.option(
    "--from", "start", required=True, callback=_date, help="First review date (YYYY-MM-DD)."
)
@click.option("--to", "end", required=True, callback=_date, help="Last review date (YYYY-MM-DD).")
@click.option(
    "--format", "output", type=click.Choice(["json", "table"]), default="table", show_default=True
)
@with_appcontext
def prepare_command(start: dt.date, end: dt.date, output: str) -> None:
    """Prepare consultation invitations for every scheduled review dated FROM to TO (inclusive)
    that has none yet, as the Prepare screen proposes them: email, post or by hand from the
    child's contacts; by hand when there are no contact details (counted as needing a contact).
    Reviews already past are left out. Running it again over the same window prepares nothing.
    """
    problem = window_problem(start, end)
    if problem:
        raise click.UsageError(f"--from/--to: {problem}")
    summary = prepare_window(start, end, via="cli")
    db.session.commit()
    if output == "json":
        click.echo(json.dumps(summary.as_dict()))
        return
    if not summary.invitations:
        click.echo(f"Nothing to prepare: every scheduled review from {start} to {end} already has "
                   "invitations (invitations: 0).")  # fmt: skip
        return
    click.echo(f"{'reviews':<14}{summary.reviews:>6}")
    click.echo(f"{'invitations':<14}{summary.invitations:>6}")
    for role in ROLES:
        if role in summary.by_role:
            click.echo(f"  {role:<12}{summary.by_role[role]:>6}")
    click.echo(
        f"{'need contact':<14}{summary.need_contact:>6}  (by hand: no email or postal address)"
    )
