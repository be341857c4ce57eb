"""`portal send-due`: the command cron runs to send due invitations, reminders and alerts."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from portal.delivery.sending import send_due
from portal.rules import dates
from portal.rules.safeguarding import retry_alerts


@click.command("send-due")
@click.option(
    "--date", "on", default=None, help="Act as if today were YYYY-MM-DD (for catching up)."
)
@with_appcontext
def send_due_command(on: str | None) -> None:
    """Send pending safeguarding alerts, then every due invitation and reminder once (email, and
    texts through GOV.UK Notify when NOTIFY_API_KEY is set).

    One message that fails is recorded on its row and the run goes on; the exit code is 1 when
    any failed.
    """
    try:
        today = dt.date.fromisoformat(on) if on else dates.today()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--date") from error
    try:
        alerts = retry_alerts()
        report = send_due(today)
    except OperationalError as error:
        # Rows already claimed stay sent; the rest wait for the next run (see portal/delivery/sending.py).
        raise click.ClickException(f"the database went away; run again: {error.orig}") from error
    click.echo(
        f"sent {report.sent}, reminded {report.reminded}, failed {report.failed}, "
        f"skipped {report.skipped} (claimed elsewhere), "
        f"alerts sent {alerts.sent}, alerts failed {alerts.failed}"
    )
    if report.deferred:
        click.echo(f"deferred {report.deferred} to the next run: Notify's rate limit was reached")
    for line in report.errors:
        click.echo(f"failed: {line}", err=True)
    if report.failed or alerts.failed:
        raise SystemExit(1)


@click.command("notify-status")
@click.option("--limit", default=5000, show_default=True, help="Ask about at most this many.")
@with_appcontext
def notify_status_command(limit: int) -> None:
    """Ask GOV.UK Notify what became of every message still without a final status (for when
    Notify's delivery-receipt callback is not set up). Safe beside the callback and itself."""
    from portal.delivery.receipts_poll import poll

    if not current_app.config.get("NOTIFY_API_KEY"):
        raise click.ClickException("NOTIFY_API_KEY is not set: nothing was sent through Notify")
    report = poll(limit)
    click.echo(
        f"asked {report.asked}, updated {report.updated}, unchanged {report.unchanged}, "
        f"not found {report.not_found}, failed {report.failed}"
    )
    if report.failed:
        raise SystemExit(1)
